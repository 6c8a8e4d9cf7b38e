// The client's guest index (src/pve/inventory.ts): vmid-only calls share one /cluster/resources
// for a few seconds; a write forgets it; a guest that moved or appeared behind the server's back
// is found by a fresh lookup, and the call is retried once where the guest is now.

import { describe, expect, test } from "bun:test";
import { scoped } from "./support.ts";

// Long enough that no call here outlives the index, however slow the machine.
const STEADY = { pveOptions: { inventoryTtlMs: 600_000 } };

/** The index's reads (a tool's own listing of storages or nodes is another matter). */
const inventoryReads = (h: Awaited<ReturnType<typeof scoped>>) =>
  h.mock.requests.filter(
    (r) => r.method === "GET" && r.path === "/cluster/resources" && r.params.type === "vm",
  ).length;

describe("the guest index", () => {
  test("vmid-only calls share one inventory read; a write forgets it", async () => {
    const h = await scoped({}, STEADY);
    await h.ok("get_vm_config", { vmid: 100 });
    await h.ok("get_vm_config", { vmid: 101 });
    await h.ok("get_vm_stats", { vmid: 100 });
    expect(inventoryReads(h)).toBe(1);
    h.guest(102).status = "stopped";
    await h.ok("start_vm", { vmid: 102 });
    const before = inventoryReads(h);
    await h.ok("get_vm_config", { vmid: 100 });
    expect(inventoryReads(h)).toBe(before + 1);
  });

  test("a guest moved behind the server's back is followed to its new node", async () => {
    const h = await scoped({}, STEADY);
    expect((await h.ok<{ node: string }>("get_vm_config", { vmid: 102 })).node).toBe("pve2");
    h.guest(102).node = "pve3"; // migrated by someone else
    h.mock.requests.length = 0;
    expect((await h.ok<{ node: string }>("get_vm_config", { vmid: 102 })).node).toBe("pve3");
    expect(h.mock.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      "GET /nodes/pve2/qemu/102/config",
      "GET /cluster/resources",
      "GET /nodes/pve3/qemu/102/config",
    ]);
  });

  test("a guest missing from the cached copy is looked for in a fresh one", async () => {
    const h = await scoped({}, STEADY);
    await h.ok("get_vm_config", { vmid: 100 });
    const other = await scoped({}); // another admin's client on another cluster: take its guest
    h.mock.state.guests.set(150, { ...other.guest(101), vmid: 150, node: "pve1" });
    expect((await h.ok<{ vmid: number }>("get_vm_config", { vmid: 150 })).vmid).toBe(150);
    expect(await h.fails("get_vm_config", { vmid: 160 })).toContain("VM 160 does not exist");
  });

  test("under a node scope, answers that name their node cost no inventory read", async () => {
    const h = await scoped({ allowed_nodes: ["pve1"] }, STEADY);
    const upid = h.mock.state.tasks.find((t) => t.node === "pve1" && t.id === "100")?.upid ?? "";
    await h.ok("get_task_status", { upid });
    await h.ok("list_tasks", { node: "pve1" });
    expect(inventoryReads(h)).toBe(0);
    // Backups on shared storage name no node: their guests are looked up.
    await h.ok("list_backups", { storage: "backups" });
    expect(inventoryReads(h)).toBe(1);
  });
});
