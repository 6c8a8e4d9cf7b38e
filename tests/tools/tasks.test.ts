// Task tools through a real MCP client against the mock: status, log, list, wait (with progress).

import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import type { Progress } from "@modelcontextprotocol/sdk/types.js";
import { type Harness, startHarness } from "../support/harness.ts";

let h: Harness;
let upid: string;

/** A fresh cluster where VM 102 was just started: upid is that finished task. */
beforeEach(async () => {
  h = await startHarness();
  h.guest(102).status = "stopped";
  upid = (await h.ok<{ upid: string }>("start_vm", { vmid: 102 })).upid;
});
afterEach(() => h.close());

describe("get_task_status", () => {
  test("a finished task: stopped, OK, fields from the UPID", async () => {
    const s = await h.ok<Record<string, unknown>>("get_task_status", { upid });
    expect(s).toMatchObject({
      upid,
      node: "pve2",
      type: "qmstart",
      id: "102",
      status: "stopped",
      exitstatus: "OK",
      ok: true,
    });
  });

  test("node is optional (it is in the UPID) but a contradicting node is refused", async () => {
    await h.ok("get_task_status", { node: "pve2", upid });
    const text = await h.fails("get_task_status", { node: "pve1", upid });
    expect(text).toContain("ran on node pve2");
  });

  test("garbage is refused before any request", async () => {
    h.mock.requests.length = 0;
    const text = await h.fails("get_task_status", { upid: "UPID:../../access:x" });
    expect(text).toContain("not a task id");
    expect(h.mock.requests).toHaveLength(0);
  });
});

describe("read_task_log", () => {
  test("the last lines by default, paging with start/limit, and tail", async () => {
    const all = await h.ok<{ lines: { n: number; t: string }[]; total: number }>("read_task_log", {
      upid,
    });
    expect(all.lines.at(-1)?.t).toBe("TASK OK");
    expect(all.total).toBe(all.lines.length);
    const first = await h.ok<{ lines: { n: number }[] }>("read_task_log", {
      upid,
      start: 0,
      limit: 1,
    });
    expect(first.lines.map((l) => l.n)).toEqual([1]);
    const tail = await h.ok<{ lines: { t: string }[] }>("read_task_log", { upid, tail: 1 });
    expect(tail.lines.map((l) => l.t)).toEqual(["TASK OK"]);
  });
});

describe("list_tasks", () => {
  test("of one node, with type and vmid filters", async () => {
    const r = await h.ok<{ tasks: { upid: string; type: string; status: string }[] }>(
      "list_tasks",
      {
        node: "pve2",
        type: "qmstart",
        vmid: 102,
      },
    );
    expect(r.tasks.map((t) => t.upid)).toContain(upid);
    expect(r.tasks.every((t) => t.type === "qmstart")).toBe(true);
    expect(r.tasks.find((t) => t.upid === upid)?.status).toBe("OK");
  });

  test("cluster-wide by default, newest first; errors filter", async () => {
    h.mock.faults.failTask.set("qmstop", "boom");
    await h.fails("stop_vm", { vmid: 102 });
    h.mock.faults.failTask.delete("qmstop");
    const all = await h.ok<{ tasks: { starttime: number; node: string }[] }>("list_tasks");
    const times = all.tasks.map((t) => t.starttime);
    expect(times).toEqual([...times].sort((a, b) => b - a));
    const failed = await h.ok<{ tasks: { type: string; status: string }[] }>("list_tasks", {
      errors: true,
    });
    expect(failed.tasks.map((t) => t.type)).toContain("qmstop");
    expect(failed.tasks.every((t) => t.status !== "OK")).toBe(true);
  });

  test("running filter sees a task in flight", async () => {
    h.mock.faults.hangTasks.add("qmreboot");
    try {
      const started = await h.ok<{ upid: string }>("reboot_vm", { vmid: 100, wait: false });
      const r = await h.ok<{ tasks: { upid: string; status: string }[] }>("list_tasks", {
        node: "pve1",
        running: true,
      });
      expect(r.tasks.find((t) => t.upid === started.upid)?.status).toBe("RUNNING");
    } finally {
      h.mock.faults.hangTasks.delete("qmreboot");
    }
  });
});

describe("wait_for_task", () => {
  test("sends progress notifications while waiting, in order, then the result", async () => {
    h.guest(102).status = "stopped";
    const started = await h.ok<{ upid: string }>("start_vm", { vmid: 102, wait: false });
    const seen: Progress[] = [];
    const result = await h.client.callTool(
      { name: "wait_for_task", arguments: { upid: started.upid } },
      undefined,
      { onprogress: (p) => seen.push(p) },
    );
    expect(result.isError).toBeFalsy();
    expect((result.structuredContent as { exitstatus: string }).exitstatus).toBe("OK");
    expect(seen.length).toBeGreaterThan(0);
    const values = seen.map((p) => p.progress);
    expect(values).toEqual([...values].sort((a, b) => a - b));
    expect(new Set(values).size).toBe(values.length);
  });

  test("times out cleanly on a task that never ends", async () => {
    h.mock.faults.hangTasks.add("qmshutdown");
    try {
      const started = await h.ok<{ upid: string }>("shutdown_vm", { vmid: 100, wait: false });
      const r = await h.ok<{ status: string; next: string }>("wait_for_task", {
        upid: started.upid,
        timeout: 1,
      });
      expect(r.status).toBe("running");
      expect(r.next).toContain("wait_for_task");
    } finally {
      h.mock.faults.hangTasks.delete("qmshutdown");
    }
  });

  test("a failed task is an error with its exit status and last log lines", async () => {
    h.mock.faults.failTask.set("qmstart", "start failed: QEMU exited with code 1");
    try {
      h.guest(102).status = "stopped";
      const started = await h.ok<{ upid: string }>("start_vm", { vmid: 102, wait: false });
      const text = await h.fails("wait_for_task", { upid: started.upid });
      expect(text).toContain("start failed: QEMU exited with code 1");
      expect(text).toContain("TASK ERROR: start failed");
    } finally {
      h.mock.faults.failTask.delete("qmstart");
    }
  });
});
