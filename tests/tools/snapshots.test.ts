// Snapshot tools through a real MCP client against the mock: state in the mock, the endpoint
// called, and the refusals.

import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { type Harness, startHarness } from "../support/harness.ts";

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(() => h.close());

const guest = (vmid: number) => h.guest(vmid);

/** VM 100 with two snapshots, "before-upgrade" (2 cores) and "second", as a user leaves them. */
async function twoSnapshots(): Promise<void> {
  await h.ok("snapshot_vm", { vmid: 100, snapname: "before-upgrade" });
  await h.ok("snapshot_vm", { vmid: 100, snapname: "second", vmstate: true });
  h.mock.requests.length = 0;
}

describe("snapshots", () => {
  test("snapshot_vm takes a snapshot; list_snapshots shows it with its parent chain", async () => {
    h.mock.requests.length = 0;
    const r = await h.ok<{ task_status: string; upid: string }>("snapshot_vm", {
      vmid: 100,
      snapname: "before-upgrade",
      description: "pre apt upgrade",
    });
    expect(r.task_status).toBe("ok");
    expect(r.upid).toContain(":qmsnapshot:100:");
    const [req] = h.writes();
    expect(req?.path).toBe("/nodes/pve1/qemu/100/snapshot");
    expect(req?.params).toEqual({ snapname: "before-upgrade", description: "pre apt upgrade" });
    expect(guest(100).snapshots.map((s) => s.name)).toEqual(["before-upgrade"]);

    await h.ok("snapshot_vm", { node: "pve1", vmid: 100, snapname: "second", vmstate: true });
    const list = await h.ok<{
      snapshots: { name: string; parent?: string; vmstate?: boolean; time?: string }[];
      current_parent: string;
    }>("list_snapshots", { vmid: 100 });
    expect(list.snapshots.map((s) => [s.name, s.parent, s.vmstate])).toEqual([
      ["before-upgrade", undefined, undefined],
      ["second", "before-upgrade", true],
    ]);
    expect(list.current_parent).toBe("second");
    expect(list.snapshots[0]?.time).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  test("containers: snapshot works, vmstate is refused before anything is sent", async () => {
    h.mock.requests.length = 0;
    const text = await h.fails("snapshot_vm", { vmid: 200, snapname: "x1", vmstate: true });
    expect(text).toContain("containers have no RAM state");
    expect(h.writes()).toEqual([]);
    await h.ok("snapshot_vm", { vmid: 200, snapname: "ct-snap", type: "lxc" });
    expect(guest(200).snapshots.map((s) => s.name)).toEqual(["ct-snap"]);
  });

  test("an invalid snapshot name sends nothing", async () => {
    h.mock.requests.length = 0;
    const text = await h.fails("snapshot_vm", { vmid: 100, snapname: "../x" });
    expect(text).toContain("Invalid arguments for snapshot_vm");
    expect(h.mock.requests).toEqual([]);
  });

  test("a duplicate name comes back as PVE says it", async () => {
    await twoSnapshots();
    const text = await h.fails("snapshot_vm", { vmid: 100, snapname: "second" });
    expect(text).toContain("snapshot name 'second' already used");
  });

  test("rollback_vm restores the config and leaves a VM without RAM state stopped", async () => {
    await twoSnapshots();
    expect(guest(100).config.cores).toBe(2);
    guest(100).config.cores = 8;
    h.mock.requests.length = 0;
    const r = await h.ok<{ message: string }>("rollback_vm", {
      vmid: 100,
      snapname: "before-upgrade",
    });
    expect(r.message).toContain("rolled back to 'before-upgrade'");
    expect(h.writes().map((w) => `${w.method} ${w.path}`)).toEqual([
      "POST /nodes/pve1/qemu/100/snapshot/before-upgrade/rollback",
    ]);
    expect(guest(100).config.cores).toBe(2);
    expect(guest(100).config.parent).toBe("before-upgrade");
    expect(guest(100).status).toBe("stopped");
  });

  test("rollback_vm with start boots the guest again", async () => {
    await twoSnapshots();
    guest(100).status = "stopped";
    await h.ok("rollback_vm", { vmid: 100, snapname: "before-upgrade", start: true });
    expect(h.writes().at(-1)?.params).toEqual({ start: "1" });
    expect(guest(100).status).toBe("running");
  });

  test("delete_snapshot removes it; a missing one is PVE's error", async () => {
    await twoSnapshots();
    await h.ok("delete_snapshot", { vmid: 100, snapname: "second" });
    expect(h.writes()[0]?.method).toBe("DELETE");
    expect(guest(100).snapshots.map((s) => s.name)).toEqual(["before-upgrade"]);
    const text = await h.fails("delete_snapshot", { vmid: 100, snapname: "second" });
    expect(text).toContain("snapshot 'second' does not exist");
  });

  test("a missing guest is named with nearby ids", async () => {
    const text = await h.fails("list_snapshots", { vmid: 999 });
    expect(text).toContain("VM 999 does not exist");
  });
});
