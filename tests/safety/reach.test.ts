// Writes beyond any guest: cluster-wide changes (cluster firewall, ACLs on other objects,
// pruning without a vmid) are refused under any scope; node administration (host shells,
// services) is refused under a guest scope unless allow_node_admin; pool membership cannot pull
// a guest into an allowed pool; inventories show only what is inside.

import { describe, expect, test } from "bun:test";
import { scoped, scopedApi, touching, vmidsOf } from "./support.ts";

const SCOPE = { allowed_vmids: ["100-101"] };

describe("cluster-wide changes", () => {
  test("prune_backups without a vmid is refused; with one inside the scope it runs", async () => {
    const h = await scoped(SCOPE);
    const backups = () => h.mock.state.volumes.filter((v) => v.content === "backup").length;
    const before = backups();
    const text = await h.fails("prune_backups", { storage: "backups", keep_last: 1 });
    expect(text).toContain("pruning backups on backups without a vmid reaches every guest");
    expect(text).toContain("Name the guests (vmid)");
    expect(h.writes()).toEqual([]);
    expect(backups()).toBe(before);
    await h.ok("prune_backups", { storage: "backups", vmid: 100, keep_last: 1 });
    const left = h.mock.state.volumes.filter((v) => v.content === "backup");
    expect(left.filter((v) => v.vmid === 200)).toHaveLength(1);
  });

  for (const scope of [SCOPE, { allowed_nodes: ["pve1"] }]) {
    test(`a cluster firewall rule is refused under ${JSON.stringify(scope)}`, async () => {
      const h = await scoped(scope);
      const before = structuredClone(h.mock.state.dc.firewall);
      const text = await h.fails("add_firewall_rule", { type: "in", action: "DROP" });
      expect(text).toContain("POST /cluster/firewall/rules: this request is a cluster-wide change");
      expect(text).toContain("a server without those settings may make cluster-wide changes");
      expect(h.writes()).toEqual([]);
      expect(h.mock.state.dc.firewall).toEqual(before);
    });
  }

  test("update_acl on another guest is refused; on a guest inside it is granted", async () => {
    const h = await scoped(SCOPE);
    const acl = () =>
      h.mock.state.acl.filter((a) => a.path === "/vms/102" || a.path === "/vms/100");
    const before = structuredClone(acl());
    const text = await h.fails("update_acl", {
      path: "/vms/102",
      roles: "PVEVMAdmin",
      users: "root@pam",
    });
    expect(text).toContain("guest 102 is outside this server's scope");
    expect(touching(h, 102)).toEqual([]);
    expect(acl()).toEqual(before);
    expect(
      await h.fails("update_acl", { path: "/", roles: "Administrator", users: "root@pam" }),
    ).toContain("the ACL path / is a cluster-wide change");
    await h.ok("update_acl", { path: "/vms/100", roles: "PVEVMUser", users: "root@pam" });
    expect(h.mock.state.acl.some((a) => a.path === "/vms/100" && a.roleid === "PVEVMUser")).toBe(
      true,
    );
  });

  test("update_pool cannot pull another guest into an allowed pool", async () => {
    const h = await scoped({ allowed_pools: ["prod"] });
    const text = await h.fails("update_pool", { poolid: "prod", vms: "103" });
    expect(text).toContain("guest 103 is outside this server's scope (allowed: pools prod)");
    expect(touching(h, 103)).toEqual([]);
    expect(h.guest(103).pool).toBeUndefined();
    // …and so cannot control it afterwards.
    expect(await h.fails("stop_vm", { vmid: 103 })).toContain("guest 103 is outside");
    expect(h.guest(103).status).toBe("running");
  });
});

describe("node administration under a guest scope", () => {
  test("console_open on a node's host shell is refused unless allow_node_admin", async () => {
    const h = await scoped(SCOPE);
    const text = await h.fails("console_open", { node: "pve1", wait_ms: 0 });
    expect(text).toContain("is administration of node pve1");
    expect(text).toContain("allow_node_admin (--allow-node-admin");
    expect(h.mock.requests.filter((r) => r.path.includes("termproxy"))).toEqual([]);
    expect(h.writes()).toEqual([]);
    const admin = await scoped({ ...SCOPE, allow_node_admin: true });
    const opened = await admin.ok<{ session: string }>("console_open", {
      node: "pve1",
      wait_ms: 0,
    });
    expect(opened.session).toContain("pve1");
    await admin.ok("console_close", { session: opened.session });
  });

  test("a node's services are node administration", async () => {
    const h = await scoped(SCOPE);
    expect(
      await h.fails("manage_service", { node: "pve1", service: "pveproxy", action: "restart" }),
    ).toContain("is administration of node pve1");
    expect(h.writes()).toEqual([]);
  });
});

describe("inventories", () => {
  test("get_cluster_resources and proxmox_api_get /cluster/resources show only the guests inside", async () => {
    const everything = await scoped({});
    const all = await everything.ok<{ resources: Record<string, unknown>[] }>(
      "get_cluster_resources",
      { type: "vm" },
    );
    expect(vmidsOf(all.resources).length).toBeGreaterThan(2);
    const h = await scopedApi(SCOPE);
    const r = await h.ok<{ resources: Record<string, unknown>[] }>("get_cluster_resources");
    expect(new Set(vmidsOf(r.resources))).toEqual(new Set([100, 101]));
    expect(r.resources.some((x) => x.type === "node")).toBe(true);
    const raw = await h.ok<{ data: Record<string, unknown>[] }>("proxmox_api_get", {
      path: "/cluster/resources",
    });
    expect(new Set(vmidsOf(raw.data))).toEqual(new Set([100, 101]));
  });

  test("under a node scope a guest elsewhere is neither listed nor reachable", async () => {
    const h = await scoped({ allowed_nodes: ["pve1"] });
    const vms = await h.ok<{ guests: { vmid: number; node: string }[] }>("list_vms");
    expect(vms.guests.every((g) => g.node === "pve1")).toBe(true);
    expect(await h.fails("get_vm_config", { vmid: 102 })).toContain(
      "guest 102 is outside this server's scope (allowed: nodes pve1)",
    );
    expect(touching(h, 102)).toEqual([]);
  });
});
