// Long operations through a real MCP client: progress while waiting, cancellation, concurrent
// waits, stopping a Proxmox task, and MCP tasks (tools/call with task augmentation).

import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { CallToolResultSchema, type Progress } from "@modelcontextprotocol/sdk/types.js";
import type { AuditEntry } from "../../src/server/audit.ts";
import { type Harness, startHarness } from "../support/harness.ts";

let h: Harness;
/** Outcome lines of the audit log: written when a call's handler returns, so its wait is over. */
let outcomes: AuditEntry[];
let outcomeWritten: () => void;
beforeEach(async () => {
  outcomes = [];
  h = await startHarness({
    mock: { taskDurationMs: 400 },
    // Waits end with their task or their cancellation, not with a bound, while a test runs.
    taskWaitMs: 10 * 60_000,
    server: {
      audit: {
        call: (entry) => {
          outcomes.push(entry);
          outcomeWritten?.();
        },
        intent: () => 0,
        outcome: () => {},
      },
    },
  });
});
afterEach(() => h.close());

/** Resolves when the call of `tool` has returned (its audit line is written). */
async function returned(tool: string): Promise<AuditEntry> {
  for (;;) {
    const entry = outcomes.find((e) => e.tool === tool);
    if (entry) return entry;
    await new Promise<void>((resolve) => {
      outcomeWritten = resolve;
    });
  }
}

const guest = (vmid: number) => h.guest(vmid);

/** Waits for a condition that a request the mock answers will make true. */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await Bun.sleep(5);
}

const statusPolls = () =>
  h.mock.requests.filter((r) => r.method === "GET" && r.path.endsWith("/status")).length;

describe("progress", () => {
  test("a waiting tool reports progress in order: elapsed time and the latest log line", async () => {
    // A task of 1.5 s is polled several times (from 250 ms on, each wait 1.5 times longer).
    const slow = await startHarness({ mock: { taskDurationMs: 1500 } });
    slow.guest(102).status = "stopped";
    const seen: Progress[] = [];
    const r = await slow.client
      .callTool({ name: "start_vm", arguments: { vmid: 102 } }, undefined, {
        onprogress: (p) => seen.push(p),
      })
      .finally(() => slow.close());
    expect(r.isError).toBeFalsy();
    expect(seen.length).toBeGreaterThan(1);
    const values = seen.map((p) => p.progress);
    expect(values).toEqual([...values].sort((a, b) => a - b));
    expect(new Set(values).size).toBe(values.length);
    expect(seen[0]?.message).toMatch(/^\d+ s: /);
  });

  test("two tools waiting at once each get their own progress and result", async () => {
    guest(102).status = "stopped";
    guest(201).status = "stopped";
    const a: Progress[] = [];
    const b: Progress[] = [];
    const [ra, rb] = await Promise.all([
      h.client.callTool({ name: "start_vm", arguments: { vmid: 102 } }, undefined, {
        onprogress: (p) => a.push(p),
      }),
      h.client.callTool({ name: "start_container", arguments: { vmid: 201 } }, undefined, {
        onprogress: (p) => b.push(p),
      }),
    ]);
    expect((ra.structuredContent as { upid: string }).upid).toContain(":qmstart:102:");
    expect((rb.structuredContent as { upid: string }).upid).toContain(":vzstart:201:");
    expect(a.length).toBeGreaterThan(0);
    expect(b.length).toBeGreaterThan(0);
    expect(guest(102).status).toBe("running");
    expect(guest(201).status).toBe("running");
  });
});

describe("cancellation", () => {
  test("cancelling the call ends the wait; the Proxmox task keeps running", async () => {
    h.mock.faults.hangTasks.add("qmstart");
    guest(102).status = "stopped";
    const controller = new AbortController();
    let waiting: () => void = () => {};
    const polled = new Promise<void>((resolve) => {
      waiting = resolve;
    });
    const call = h.client.callTool({ name: "start_vm", arguments: { vmid: 102 } }, undefined, {
      signal: controller.signal,
      onprogress: () => waiting(), // the tool is waiting on its task
    });
    await polled;
    controller.abort("user cancelled");
    await expect(call).rejects.toThrow();
    // Nothing else ends this wait (the task hangs, the bound is ten minutes), and the handler
    // awaits it: the handler returning is the polling ending.
    const { upid } = await returned("start_vm");
    expect(upid).toContain(":qmstart:102:");
    expect(h.mock.state.tasks.find((t) => t.upid === upid)?.status).toBe("running");
  });

  test("stop_task stops a running task; a finished one is refused", async () => {
    h.mock.faults.hangTasks.add("qmshutdown");
    try {
      const started = await h.ok<{ upid: string }>("shutdown_vm", { vmid: 100, wait: false });
      const stopped = await h.ok<{ status: string; exitstatus: string }>("stop_task", {
        upid: started.upid,
      });
      expect(stopped).toMatchObject({ status: "stopped", exitstatus: "interrupted by signal" });
      expect(h.writes().at(-1)).toMatchObject({
        method: "DELETE",
        path: expect.stringContaining("/tasks/UPID"),
      });
      const again = await h.fails("stop_task", { upid: started.upid });
      expect(again).toContain("already ended");
    } finally {
      h.mock.faults.hangTasks.delete("qmshutdown");
    }
  });
});

describe("MCP tasks", () => {
  test("the server offers tasks for tools/call; long tools say taskSupport optional", async () => {
    expect(h.client.getServerCapabilities()?.tasks?.requests?.tools?.call).toBeDefined();
    const { tools } = await h.client.listTools();
    expect(tools.find((t) => t.name === "start_vm")?.execution?.taskSupport).toBe("optional");
    expect(tools.find((t) => t.name === "list_vms")?.execution).toBeUndefined();
  });

  test("a long tool runs as a task: created at once, then completed with the tool's result", async () => {
    guest(102).status = "stopped";
    const kinds: string[] = [];
    let result: { structuredContent?: { upid?: string } } | undefined;
    for await (const message of h.client.experimental.tasks.callToolStream({
      name: "start_vm",
      arguments: { vmid: 102 },
      task: { ttl: 60_000 },
    })) {
      kinds.push(message.type);
      if (message.type === "result") result = message.result as typeof result;
      if (message.type === "error") throw message.error;
    }
    expect(kinds[0]).toBe("taskCreated");
    expect(kinds.at(-1)).toBe("result");
    expect(result?.structuredContent?.upid).toContain(":qmstart:102:");
    expect(guest(102).status).toBe("running");
  });

  test("tasks/cancel ends the wait; the task reports cancelled", async () => {
    h.mock.faults.hangTasks.add("qmreboot");
    let taskId = "";
    for await (const message of h.client.experimental.tasks.callToolStream({
      name: "reboot_vm",
      arguments: { vmid: 100 },
      task: { ttl: 60_000 },
    })) {
      if (message.type === "taskCreated") {
        taskId = message.task.taskId;
        break;
      }
    }
    expect(taskId).not.toBe("");
    await until(() => statusPolls() > 0); // the reboot was sent and its wait has begun
    await h.client.experimental.tasks.cancelTask(taskId);
    const task = await h.client.experimental.tasks.getTask(taskId);
    expect(task.status).toBe("cancelled");
    // A reboot is not stopped midway: the result names its UPID and says it keeps running.
    const result = await h.client.experimental.tasks.getTaskResult(taskId, CallToolResultSchema);
    expect(result.structuredContent).toMatchObject({ task_status: "running" });
    expect(JSON.stringify(result.content)).toContain(":qmreboot:100:");
    // An MCP task waits for hours unless cancelled: the handler returning is the wait ending.
    expect((await returned("reboot_vm")).upid).toContain(":qmreboot:100:");
  });
});
