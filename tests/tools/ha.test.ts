// HA and replication tools through a real MCP client against the mock: resources, groups
// versus PVE 9 rules, status, and replication jobs (which need ZFS).

import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { type Harness, startHarness } from "../support/harness.ts";

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(() => h.close());

const ha = () => h.mock.state.dc.ha;

/** Container 200 under HA, as add_ha_resource leaves it. */
async function container200UnderHa(): Promise<void> {
  await h.ok("add_ha_resource", { sid: "ct:200", max_restart: 2, state: "started" });
  h.mock.requests.length = 0;
}

describe("HA resources", () => {
  test("list_ha_resources shows the seeded guest", async () => {
    const r = await h.ok<{ resources: Record<string, unknown>[] }>("list_ha_resources");
    expect(r.resources).toEqual([{ sid: "vm:103", type: "vm", vmid: 103, state: "started" }]);
  });

  test("add_ha_resource takes a bare vmid and finds the type", async () => {
    h.mock.requests.length = 0;
    const r = await h.ok<{ sid: string }>("add_ha_resource", {
      sid: "200",
      max_restart: 2,
      state: "started",
    });
    expect(r.sid).toBe("ct:200");
    expect(h.writes()[0]).toMatchObject({
      path: "/cluster/ha/resources",
      params: { sid: "ct:200", max_restart: "2", state: "started" },
    });
    expect(ha().resources.get("ct:200")).toMatchObject({
      type: "ct",
      max_restart: 2,
      state: "started",
    });
    expect(h.mock.state.guests.get(200)?.hastate).toBe("started");
  });

  test("PVE's refusals: twice, the wrong type, a missing guest", async () => {
    await container200UnderHa();
    expect(await h.fails("add_ha_resource", { sid: "ct:200" })).toContain(
      "create resource failed: resource ID 'ct:200' already defined",
    );
    expect(await h.fails("add_ha_resource", { sid: "vm:201" })).toContain(
      "resource 'vm:201' - guest with ID 201 is not a VM",
    );
    expect(await h.fails("add_ha_resource", { sid: "999" })).toContain("VM 999 does not exist");
  });

  test("groups on a PVE 9 cluster are explained", async () => {
    const text = await h.fails("add_ha_resource", { sid: "vm:100", group: "prefer-pve1" });
    expect(text).toContain("this cluster uses HA rules (PVE 9)");
    expect(ha().resources.has("vm:100")).toBe(false);
  });

  test("update_ha_resource changes the requested state", async () => {
    await container200UnderHa();
    await h.ok("update_ha_resource", {
      sid: "ct:200",
      state: "stopped",
      comment: "maintenance",
    });
    expect(h.writes()[0]?.params).toEqual({ state: "stopped", comment: "maintenance" });
    expect(ha().resources.get("ct:200")).toMatchObject({
      state: "stopped",
      comment: "maintenance",
    });
    expect(h.mock.state.guests.get(200)?.hastate).toBe("stopped");
    h.mock.requests.length = 0;
    expect(await h.fails("update_ha_resource", { sid: "ct:200" })).toContain("nothing to change");
    expect(h.writes()).toEqual([]);
  });

  test("get_ha_status: quorum, master, nodes, services", async () => {
    const s = await h.ok<{
      quorate: boolean;
      master: string;
      nodes: { node: string; status: string }[];
      services: { sid: string; state: string; node?: string }[];
    }>("get_ha_status");
    expect(s.services.map((x) => x.sid)).toEqual(["vm:103"]);
    await container200UnderHa();
    await h.ok("update_ha_resource", { sid: "ct:200", state: "stopped" });
    const after = await h.ok<{ services: { sid: string; state: string; node?: string }[] }>(
      "get_ha_status",
    );
    expect(s.quorate).toBe(true);
    expect(s.master).toBe("pve1");
    expect(s.nodes.map((n) => n.node)).toEqual(["pve1", "pve2", "pve3"]);
    expect(after.services).toContainEqual(
      expect.objectContaining({
        sid: "ct:200",
        node: "pve1",
        state: "stopping",
        request_state: "stopped",
      }),
    );
  });

  test("remove_ha_resource also drops it from rules", async () => {
    await h.ok("remove_ha_resource", { sid: "vm:103" });
    expect(ha().resources.has("vm:103")).toBe(false);
    expect(ha().rules.size).toBe(0);
    expect(h.mock.state.guests.get(103)?.hastate).toBeUndefined();
    expect(await h.fails("remove_ha_resource", { sid: "vm:103" })).toContain(
      "cannot delete service 'vm:103', not HA managed!",
    );
  });
});

describe("list_ha_groups", () => {
  test("PVE 9: groups were migrated, so it lists rules", async () => {
    ha().rules.clear(); // a cluster whose one rule is this one
    ha().rules.set("keep-apart", {
      rule: "keep-apart",
      type: "resource-affinity",
      resources: "vm:100,vm:101",
      affinity: "negative",
    });
    const r = await h.ok<{
      model: string;
      rules: Record<string, unknown>[];
    }>("list_ha_groups");
    expect(r.model).toBe("rules");
    expect(r.rules).toEqual([
      {
        rule: "keep-apart",
        type: "resource-affinity",
        resources: ["vm:100", "vm:101"],
        affinity: "negative",
        enabled: true,
      },
    ]);
  });

  test("before the migration: groups", async () => {
    ha().rules.clear(); // rules come with the migration
    await container200UnderHa();
    ha().groups.set("prefer-pve1", {
      group: "prefer-pve1",
      nodes: "pve1:2,pve2",
      restricted: true,
    });
    try {
      const r = await h.ok<{
        model: string;
        groups: { group: string; nodes: string[]; restricted: boolean }[];
      }>("list_ha_groups");
      expect(r.model).toBe("groups");
      expect(r.groups[0]).toMatchObject({
        group: "prefer-pve1",
        nodes: ["pve1:2", "pve2"],
        restricted: true,
      });
      await h.ok("update_ha_resource", { sid: "ct:200", group: "prefer-pve1" });
      expect(ha().resources.get("ct:200")?.group).toBe("prefer-pve1");
    } finally {
      ha().groups.clear();
    }
  });
});

describe("replication", () => {
  test("disks on LVM-thin cannot replicate: PVE's error", async () => {
    const text = await h.fails("create_replication_job", { id: "100-0", target: "pve2" });
    expect(text).toContain("missing replicate feature on volume 'local-lvm:vm-100-disk-0'");
  });

  test("create, list, change and remove a job for a guest on ZFS", async () => {
    h.mock.state.storages.set("local-zfs", {
      storage: "local-zfs",
      type: "zfspool",
      content: ["images", "rootdir"],
      shared: false,
      total: 2 ** 40,
      baseUsed: 0,
      enabled: true,
    });
    for (const v of h.mock.state.volumes.filter((x) => x.vmid === 202 && x.content === "rootdir")) {
      v.storage = "local-zfs";
      v.volid = v.volid.replace("local-lvm:", "local-zfs:");
    }
    await h.ok("create_replication_job", {
      id: "202-0",
      target: "pve1",
      schedule: "*/5",
      rate: 50,
    });
    expect(h.mock.state.dc.replication.get("202-0")).toMatchObject({
      guest: 202,
      source: "pve3",
      target: "pve1",
      schedule: "*/5",
      rate: 50,
    });
    const listed = await h.ok<{ jobs: { id: string; enabled: boolean; schedule: string }[] }>(
      "list_replication_jobs",
      { guest: 202 },
    );
    expect(listed.jobs).toEqual([
      expect.objectContaining({
        id: "202-0",
        source: "pve3",
        target: "pve1",
        enabled: true,
        schedule: "*/5",
      }),
    ]);
    await h.ok("update_replication_job", { id: "202-0", enable: false });
    expect(h.mock.state.dc.replication.get("202-0")?.disable).toBe(true);
    expect(await h.fails("create_replication_job", { id: "202-1", target: "pve3" })).toContain(
      "Source and target must not be identical",
    );
    await h.ok("delete_replication_job", { id: "202-0" });
    expect(h.mock.state.dc.replication.get("202-0")?.remove_job).toBe("full");
    await h.ok("delete_replication_job", { id: "202-0", force: true });
    expect(h.mock.state.dc.replication.has("202-0")).toBe(false);
  });

  test("bad ids never leave", async () => {
    h.mock.requests.length = 0;
    await h.fails("create_replication_job", { id: "abc", target: "pve2" });
    await h.fails("delete_replication_job", { id: "100-0", keep: true, force: true });
    expect(h.mock.requests).toEqual([]);
  });
});
