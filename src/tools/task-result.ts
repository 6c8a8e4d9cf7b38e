// What a tool that started a Proxmox task returns: the outcome when it finished within the wait,
// or the UPID and how to continue when it did not. A failed task is an error with its log tail.

import { z } from "zod";
import { TASK_LOG, TASK_STATUS } from "../pve/endpoints/index.ts";
import { isUpid, waitForTask } from "../pve/index.ts";
import type { ToolContext } from "./define.ts";
import { ToolError } from "./errors.ts";

/** What settleTask (and waitForTask) may call: a tool that waits for its task lists these. */
export const TASK_ENDPOINTS = [TASK_STATUS, TASK_LOG] as const;

export const taskFields = {
  upid: z.string().optional().describe("Task id; absent when the call finished synchronously"),
  task_status: z
    .enum(["ok", "running", "failed"])
    .describe("ok: finished well; running: still going when the wait ended"),
  exitstatus: z.string().optional(),
  elapsed_ms: z.number().optional(),
  next: z.string().optional().describe("What to call to follow a task that is still running"),
};

export type TaskFields = {
  upid?: string;
  task_status: "ok" | "running" | "failed";
  exitstatus?: string;
  elapsed_ms?: number;
  next?: string;
};

/** Waits (unless told not to) and shapes the outcome; throws a ToolError when the task failed. */
export async function settleTask(
  ctx: ToolContext<(typeof TASK_ENDPOINTS)[number]>,
  result: unknown,
  what: string,
  wait = true,
): Promise<TaskFields> {
  if (!isUpid(result)) return { task_status: "ok" };
  const upid = result;
  if (!wait || ctx.taskWaitMs <= 0) return running(upid);
  const outcome = await waitForTask(ctx.pve, upid, {
    timeoutMs: ctx.taskWaitMs,
    reconnectMs: ctx.taskReconnectMs,
    signal: ctx.signal,
    onProgress: ctx.progress,
  });
  if (outcome.running) {
    if (outcome.waitEnded === "timeout") {
      ctx.notify(
        "warning",
        `${what} is slow: still running after ${Math.round(outcome.elapsedMs / 1000)} s (${upid})`,
      );
    }
    return { ...running(upid), elapsed_ms: outcome.elapsedMs };
  }
  if (!outcome.ok) {
    const tail =
      outcome.logTail.length > 0 ? `\nlast log lines:\n${outcome.logTail.join("\n")}` : "";
    throw new ToolError(
      `${what} failed: ${outcome.exitstatus ?? "unknown error"} (task ${upid})${tail}`,
      "Read the whole log with read_task_log if the lines above do not say enough.",
    );
  }
  return {
    upid,
    task_status: "ok",
    exitstatus: outcome.exitstatus,
    elapsed_ms: outcome.elapsedMs,
  };
}

/**
 * The message of a tool that started a task: what it did once the task ended well, else that
 * `what` (the settleTask description) is still running.
 */
export function taskMessage(
  task: TaskFields,
  what: string,
  done: string,
  stillRunning = `${what} is still running`,
): string {
  return task.task_status === "ok" ? done : stillRunning;
}

function running(upid: string): TaskFields {
  return {
    upid,
    task_status: "running",
    next: `wait_for_task (upid "${upid}") to wait for the outcome, or get_task_status to check it`,
  };
}
