// What cancelling an MCP task does to the Proxmox task behind it. Clone, migrate, backup, restore
// and download are stopped (DELETE …/tasks/{upid}, through the same client and so the same scope
// as every request): PVE cleans up after them, e.g. a clone's half-made guest goes away. Any
// other task keeps running, because stopping it midway could leave a guest half-changed. Either
// way the answer names the UPID, says what became of it and how to follow it.

import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import {
  CLEANS_UP_WHEN_STOPPED,
  explainUpid,
  getTaskStatus,
  isTaskOk,
  type PveClient,
  parseUpid,
  stopTask,
  waitForTask,
} from "../pve/index.ts";

/** How long a stopped task may take to report itself stopped. */
const STOP_SETTLE_MS = 15_000;

export interface CancelEnd {
  /** The final result of the cancelled call (tasks/result). */
  result: CallToolResult;
  /** One line for tasks/get's statusMessage. */
  note: string;
  /** True when this cancel stopped the Proxmox task. */
  stopped: boolean;
}

export async function endCancelledTask(
  pve: PveClient,
  upid: string | undefined,
): Promise<CancelEnd> {
  if (!upid) {
    return end(
      "Cancelled before Proxmox named a task. If the request had already reached Proxmox, a task may have started: list_tasks shows it.",
      { task_status: "cancelled" },
    );
  }
  const what = `Proxmox task ${upid} (${explainUpid(upid)})`;
  const follow = `get_task_status with upid "${upid}"`;
  const status = await getTaskStatus(pve, upid).catch(() => undefined);
  if (status?.status === "stopped") {
    return end(
      `Cancelled, but ${what} had already finished: ${status.exitstatus}. ${follow} shows it.`,
      {
        upid,
        task_status: isTaskOk(status.exitstatus) ? "ok" : "failed",
        exitstatus: status.exitstatus,
      },
    );
  }
  const type = parseUpid(upid)?.type ?? "";
  if (!CLEANS_UP_WHEN_STOPPED.has(type)) {
    return end(
      `Cancelled the wait, not the work: ${what} keeps running, because stopping a ${type} midway could leave the guest half-changed. Follow it with wait_for_task or ${follow}; stop_task stops it if you must.`,
      { upid, task_status: "running", next: `wait_for_task with upid "${upid}"` },
    );
  }
  try {
    await stopTask(pve, upid);
  } catch (error) {
    return end(
      `Cancelled, but stopping ${what} failed (${(error as Error).message}); it may still be running. Follow it with ${follow}.`,
      { upid, task_status: "running", next: follow },
    );
  }
  const after = await waitForTask(pve, upid, { timeoutMs: STOP_SETTLE_MS, pollMs: 200 }).catch(
    () => undefined,
  );
  if (!after || after.running) {
    return end(
      `Cancelled: asked Proxmox to stop ${what}; it has not ended yet. Follow it with ${follow}.`,
      {
        upid,
        task_status: "stopping",
        next: follow,
      },
    );
  }
  return {
    ...end(
      `Cancelled: ${what} was stopped (${after.exitstatus}); PVE cleans up what it had begun. ${follow} shows its final state.`,
      { upid, task_status: "stopped", exitstatus: after.exitstatus },
    ),
    stopped: true,
  };
}

function end(note: string, fields: Record<string, unknown>): CancelEnd {
  return {
    note,
    stopped: false,
    result: {
      isError: fields.task_status !== "ok",
      content: [{ type: "text", text: note }],
      structuredContent: { cancelled: true, ...fields },
    },
  };
}
