// Power tools through a real MCP client against the mock: each checks the state change in the
// mock, the endpoint called, and the errors of PVE's own matrix.

import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { type Harness, startHarness } from "../support/harness.ts";

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(() => h.close());

const guest = (vmid: number) => h.guest(vmid);

const writes = () => h.writes().map((r) => `${r.method} ${r.path}`);

interface PowerResult {
  vmid: number;
  node: string;
  type: string;
  task_status: string;
  upid?: string;
  message: string;
}

describe("VMs", () => {
  test("start_vm starts a stopped VM and waits for its task", async () => {
    guest(102).status = "stopped";
    h.mock.requests.length = 0;
    const r = await h.ok<PowerResult>("start_vm", { vmid: 102 });
    expect(r).toMatchObject({ vmid: 102, node: "pve2", type: "qemu", task_status: "ok" });
    expect(r.upid).toContain(":qmstart:102:");
    expect(guest(102).status).toBe("running");
    expect(writes()).toEqual(["POST /nodes/pve2/qemu/102/status/start"]);
  });

  test("start_vm on a running VM does nothing and says so", async () => {
    h.mock.requests.length = 0;
    const r = await h.ok<PowerResult>("start_vm", { vmid: 100 });
    expect(r.message).toContain("already running");
    expect(writes()).toEqual([]);
  });

  test("seed arguments (node, vmid, type) work", async () => {
    guest(102).status = "running";
    const r = await h.ok<PowerResult>("stop_vm", { node: "pve2", vmid: 102, type: "qemu" });
    expect(r.task_status).toBe("ok");
    expect(guest(102).status).toBe("stopped");
  });

  test("shutdown_vm passes timeout and forceStop as PVE names them", async () => {
    guest(102).status = "running";
    h.mock.requests.length = 0;
    await h.ok("shutdown_vm", { vmid: 102, timeout: 30, force_stop: true });
    const [req] = h.writes();
    expect(req?.path).toBe("/nodes/pve2/qemu/102/status/shutdown");
    expect(req?.params).toEqual({ timeout: "30", forceStop: "1" });
    expect(guest(102).status).toBe("stopped");
  });

  test("reboot_vm reboots a running VM; a stopped one is refused with what to do", async () => {
    const r = await h.ok<PowerResult>("reboot_vm", { vmid: 100 });
    expect(r.upid).toContain(":qmreboot:100:");
    expect(guest(100).status).toBe("running");
    const text = await h.fails("reboot_vm", { vmid: 102 });
    expect(text).toContain("not running");
    expect(text).toContain("start_vm");
  });

  test("a failing start is an error with the exit status and the log tail", async () => {
    guest(102).status = "stopped";
    h.mock.faults.failTask.set("qmstart", "start failed: QEMU exited with code 1");
    try {
      const text = await h.fails("start_vm", { vmid: 102 });
      expect(text).toContain("start failed: QEMU exited with code 1");
      expect(text).toContain("TASK ERROR");
      expect(guest(102).status).toBe("stopped");
    } finally {
      h.mock.faults.failTask.delete("qmstart");
    }
  });

  test("wait=false returns the UPID at once; the task tools follow it", async () => {
    guest(102).status = "stopped";
    const r = await h.ok<PowerResult & { next: string }>("start_vm", { vmid: 102, wait: false });
    expect(r.task_status).toBe("running");
    expect(r.next).toContain("wait_for_task");
    const done = await h.ok<{ status: string; exitstatus: string }>("wait_for_task", {
      upid: r.upid,
      timeout: 10,
    });
    expect(done).toMatchObject({ status: "stopped", exitstatus: "OK" });
    expect(guest(102).status).toBe("running");
  });

  test("a protected/locked guest error from PVE comes back explained", async () => {
    guest(101).lock = "backup";
    try {
      const text = await h.fails("shutdown_vm", { vmid: 101 });
      expect(text).toMatch(/locked/);
    } finally {
      delete guest(101).lock;
    }
  });
});

describe("containers", () => {
  test("stop_container and start_container change the container's state", async () => {
    await h.ok("stop_container", { vmid: 200 });
    expect(guest(200).status).toBe("stopped");
    h.mock.requests.length = 0;
    const r = await h.ok<PowerResult>("start_container", { node: "pve1", vmid: 200 });
    expect(r.type).toBe("lxc");
    expect(guest(200).status).toBe("running");
    expect(writes()).toEqual(["POST /nodes/pve1/lxc/200/status/start"]);
  });

  test("shutdown_container and reboot_container", async () => {
    await h.ok("reboot_container", { vmid: 202 });
    expect(guest(202).status).toBe("running");
    await h.ok("shutdown_container", { vmid: 202, timeout: 5 });
    expect(guest(202).status).toBe("stopped");
  });

  test("a container tool on a VM is refused, pointing to the VM tool", async () => {
    h.mock.requests.length = 0;
    const text = await h.fails("stop_container", { vmid: 100 });
    expect(text).toContain("is a VM");
    expect(text).toContain("stop_vm");
    expect(writes()).toEqual([]);
    expect(guest(100).status).toBe("running");
  });

  test("the *_vm power tools drive a container found by its vmid alone", async () => {
    // What lets the default surface leave the *_container names to the power_extra toolset.
    guest(202).status = "running";
    h.mock.requests.length = 0;
    expect((await h.ok<PowerResult>("shutdown_vm", { vmid: 202 })).type).toBe("lxc");
    expect(guest(202).status).toBe("stopped");
    await h.ok("start_vm", { vmid: 202 });
    expect(guest(202).status).toBe("running");
    await h.ok("reboot_vm", { vmid: 202 });
    await h.ok("stop_vm", { vmid: 202 });
    expect(guest(202).status).toBe("stopped");
    expect(writes()).toEqual([
      "POST /nodes/pve3/lxc/202/status/shutdown",
      "POST /nodes/pve3/lxc/202/status/start",
      "POST /nodes/pve3/lxc/202/status/reboot",
      "POST /nodes/pve3/lxc/202/status/stop",
    ]);
    await h.ok("start_vm", { vmid: 202 });
  });

  test("start_vm with type lxc drives a container (seed behaviour)", async () => {
    guest(201).status = "stopped";
    await h.ok("start_vm", { vmid: 201, type: "lxc" });
    expect(guest(201).status).toBe("running");
  });
});

describe("bounded waits", () => {
  test("past the bound, the UPID and how to continue come back", async () => {
    const quick = await startHarness({ taskWaitMs: 150 });
    try {
      quick.mock.faults.hangTasks.add("qmstart");
      quick.guest(102).status = "stopped";
      const r = await quick.ok<PowerResult & { next: string }>("start_vm", { vmid: 102 });
      expect(r.task_status).toBe("running");
      expect(r.next).toContain(r.upid as string);
      const status = await quick.ok<{ status: string }>("get_task_status", { upid: r.upid });
      expect(status.status).toBe("running");
    } finally {
      await quick.close();
    }
  });
});
