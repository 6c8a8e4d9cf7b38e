// Cancelling an MCP task, through a real client: a clone (PVE cleans up after a stopped clone) has
// its Proxmox task stopped and its half-made guest removed; a creation keeps running and the
// answer says so. Either way tasks/get and tasks/result name the UPID and how to follow it.

import { afterEach, expect, test } from "bun:test";
import { CreateTaskResultSchema } from "@modelcontextprotocol/sdk/experimental/tasks/types.js";
import {
  CallToolResultSchema,
  CancelTaskResultSchema,
  GetTaskResultSchema,
} from "@modelcontextprotocol/sdk/types.js";
import type { Harness } from "../support/harness.ts";
import { startHarness } from "../support/harness.ts";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** Starts a tool as an MCP task; returns the task id once its Proxmox task of `type` runs. */
async function startTask(x: Harness, name: string, args: Record<string, unknown>, type: string) {
  const created = await x.client.request(
    { method: "tools/call", params: { name, arguments: args, task: { ttl: 60_000 } } },
    CreateTaskResultSchema,
  );
  while (!x.mock.state.tasks.some((t) => t.type === type && t.status === "running")) {
    await Bun.sleep(10);
  }
  return created.task.taskId;
}

const cancel = (x: Harness, taskId: string) =>
  x.client.request({ method: "tasks/cancel", params: { taskId } }, CancelTaskResultSchema);
const get = (x: Harness, taskId: string) =>
  x.client.request({ method: "tasks/get", params: { taskId } }, GetTaskResultSchema);
const result = (x: Harness, taskId: string) =>
  x.client.request({ method: "tasks/result", params: { taskId } }, CallToolResultSchema);
const text = (r: { content: { type: string; text?: string }[] }) =>
  r.content.map((c) => c.text ?? "").join("\n");

test("cancelling a task-run clone stops the Proxmox task; PVE removes the half-made guest", async () => {
  h = await startHarness();
  h.mock.faults.hangTasks.add("qmclone"); // runs until stopped
  const taskId = await startTask(h, "clone_vm", { vmid: 100, newid: 150 }, "qmclone");
  const pveTask = h.mock.state.tasks.find((t) => t.type === "qmclone");
  expect(h.mock.state.guests.has(150)).toBe(true); // the clone's placeholder, locked

  const cancelled = await cancel(h, taskId);
  expect(cancelled.status).toBe("cancelled");

  const final = await result(h, taskId);
  const upid = pveTask?.upid as string;
  expect(final.isError).toBe(true);
  expect(text(final)).toContain(upid);
  expect(text(final)).toContain("was stopped (interrupted by signal)");
  expect(final.structuredContent).toMatchObject({ upid, task_status: "stopped" });
  // The simulated cluster's task was stopped, and the clone cleaned up after itself.
  expect(pveTask?.status).toBe("stopped");
  expect(pveTask?.exitstatus).toBe("interrupted by signal");
  expect(h.mock.state.guests.has(150)).toBe(false);
  expect(h.mock.requests.some((r) => r.method === "DELETE" && r.path.includes("/tasks/"))).toBe(
    true,
  );

  const task = await get(h, taskId);
  expect(task.status).toBe("cancelled");
  expect(task.statusMessage).toContain(upid);
  expect(task.statusMessage).toContain("get_task_status");
});

test("cancelling a task-run creation leaves it running and says how to follow it", async () => {
  h = await startHarness();
  h.mock.faults.hangTasks.add("qmcreate");
  const taskId = await startTask(h, "create_vm", { node: "pve1", vmid: 160 }, "qmcreate");
  const pveTask = h.mock.state.tasks.find((t) => t.type === "qmcreate");
  await cancel(h, taskId);
  const final = await result(h, taskId);
  const upid = pveTask?.upid as string;
  expect(text(final)).toContain(upid);
  expect(text(final)).toContain("keeps running");
  expect(text(final)).toContain("wait_for_task");
  expect(final.structuredContent).toMatchObject({ upid, task_status: "running" });
  expect(pveTask?.status).toBe("running");
  expect(h.mock.requests.some((r) => r.method === "DELETE")).toBe(false);
  expect((await get(h, taskId)).statusMessage).toContain(upid);
});

test("a task that ends by itself is stored as its tool result; cancelling it then is -32602", async () => {
  h = await startHarness();
  const created = await h.client.request(
    {
      method: "tools/call",
      params: { name: "clone_vm", arguments: { vmid: 100, newid: 151 }, task: { ttl: 60_000 } },
    },
    CreateTaskResultSchema,
  );
  const final = await result(h, created.task.taskId);
  expect(final.isError).toBeFalsy();
  expect(final.structuredContent).toMatchObject({ vmid: 151, task_status: "ok" });
  const upid = final.structuredContent?.upid as string;
  expect((await get(h, created.task.taskId)).statusMessage).toContain(`Done: Proxmox task ${upid}`);
  const refused = await cancel(h, created.task.taskId).then(
    () => undefined,
    (e: { code: number }) => e.code,
  );
  expect(refused).toBe(-32602);
});
