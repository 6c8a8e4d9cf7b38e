// Node system tools through a real MCP client against the mock: services, apt, subscription.

import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { type Harness, startHarness } from "../support/harness.ts";

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(() => h.close());

const service = (node: string, name: string) =>
  h.mock.state.dc.system.get(node)?.services.get(name);

describe("services", () => {
  test("list_services across nodes; problems_only narrows", async () => {
    const r = await h.ok<{ services: { node: string; service: string; state: string }[] }>(
      "list_services",
    );
    expect(new Set(r.services.map((s) => s.node))).toEqual(new Set(["pve1", "pve2", "pve3"]));
    expect(r.services.find((s) => s.node === "pve1" && s.service === "pveproxy")?.state).toBe(
      "running",
    );
    const bad = h.mock.state.dc.system.get("pve2")?.services.get("pvestatd");
    if (bad) Object.assign(bad, { state: "failed", activeState: "failed" });
    const p = await h.ok<{ services: { node: string; service: string }[] }>("list_services", {
      problems_only: true,
    });
    expect(p.services).toEqual([expect.objectContaining({ node: "pve2", service: "pvestatd" })]);
  });

  test("manage_service restarts a failed service and stops one", async () => {
    h.mock.requests.length = 0;
    const r = await h.ok<{ task_status: string; upid: string }>("manage_service", {
      node: "pve2",
      service: "pvestatd",
      action: "restart",
    });
    expect(r.upid).toContain(":srvrestart:pvestatd:");
    expect(h.writes().map((w) => w.path)).toEqual(["/nodes/pve2/services/pvestatd/restart"]);
    expect(service("pve2", "pvestatd")).toMatchObject({ state: "running", activeState: "active" });
    await h.ok("manage_service", { node: "pve1", service: "pve-ha-lrm", action: "stop" });
    expect(service("pve1", "pve-ha-lrm")).toMatchObject({ state: "dead", activeState: "inactive" });
  });

  test("stopping an essential service is refused before anything is sent", async () => {
    h.mock.requests.length = 0;
    const text = await h.fails("manage_service", {
      node: "pve1",
      service: "pveproxy",
      action: "stop",
    });
    expect(text).toContain("pveproxy cannot be stopped");
    await h.fails("manage_service", { node: "pve1", service: "nginx", action: "start" });
    expect(h.mock.requests).toEqual([]);
  });
});

describe("apt", () => {
  test("run_apt_update refreshes the index; then a new update shows", async () => {
    const before = await h.ok<{ updates: { package: string }[] }>("list_apt_updates", {
      node: "pve3",
    });
    expect(before.updates.map((u) => u.package)).toEqual(["pve-manager", "qemu-server"]);
    const r = await h.ok<{ updates_available: number; upid: string; task_status: string }>(
      "run_apt_update",
      {
        node: "pve3",
      },
    );
    expect(r).toMatchObject({ task_status: "ok", updates_available: 3 });
    expect(r.upid).toContain(":aptupdate::");
    const after = await h.ok<{
      updates: { package: string; installed: string; available: string }[];
    }>("list_apt_updates", { node: "pve3" });
    expect(after.updates.find((u) => u.package === "openssh-server")).toMatchObject({
      installed: "1:10.0p1-7",
      available: "1:10.0p1-7+deb13u1",
    });
  });

  test("get_apt_versions: installed versions, kernel, candidates", async () => {
    await h.ok("run_apt_update", { node: "pve3" }); // candidates come from the refreshed index
    const r = await h.ok<{
      manager_version: string;
      running_kernel: string;
      packages: { package: string; installed: string; candidate?: string }[];
    }>("get_apt_versions", { node: "pve3" });
    expect(r.manager_version).toBe("9.1.3/bf9f2a8bd3d4aa42");
    expect(r.running_kernel).toBe("6.17.2-1-pve");
    expect(r.packages[0]).toMatchObject({ package: "proxmox-ve", installed: "9.1.0" });
    expect(r.packages.find((p) => p.package === "pve-manager")?.candidate).toBe("9.1.4");
  });
});

describe("subscription", () => {
  const KEY = "pve1c-0a1b2c3d4e";

  test("get_subscription_info on every node: no key yet", async () => {
    const r = await h.ok<{ nodes: { node: string; status: string }[] }>("get_subscription_info");
    expect(r.nodes.map((n) => [n.node, n.status])).toEqual([
      ["pve1", "notfound"],
      ["pve2", "notfound"],
      ["pve3", "notfound"],
    ]);
  });

  test("set_subscription_key activates it and never echoes the key", async () => {
    const r = await h.call("set_subscription_key", { node: "pve1", key: KEY });
    expect(r.isError).toBeFalsy();
    expect(JSON.stringify(r)).not.toContain("0a1b2c3d4e");
    expect(r.structuredContent).toMatchObject({
      node: "pve1",
      status: "active",
      level: "community",
    });
    expect(h.mock.state.dc.system.get("pve1")?.subscription.key).toBe(KEY);
    const listed = await h.call("get_subscription_info", { node: "pve1" });
    expect(JSON.stringify(listed)).not.toContain("0a1b2c3d4e");
  });

  test("a malformed key is refused without echoing it or sending it", async () => {
    h.mock.requests.length = 0;
    const text = await h.fails("set_subscription_key", { node: "pve1", key: "pve9x-secretvalue" });
    expect(text).not.toContain("secretvalue");
    expect(h.mock.requests).toEqual([]);
  });

  test("check_subscription forces a new check", async () => {
    await h.ok("set_subscription_key", { node: "pve1", key: KEY });
    const sub = h.mock.state.dc.system.get("pve1")?.subscription;
    if (sub) sub.checktime = 1000;
    h.mock.requests.length = 0;
    const r = await h.ok<{ last_check: string }>("check_subscription", { node: "pve1" });
    expect(h.writes()[0]).toMatchObject({
      path: "/nodes/pve1/subscription",
      params: { force: "1" },
    });
    expect(Date.parse(r.last_check)).toBeGreaterThan(1000 * 1000);
    expect(r.last_check).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });
});
