// MCP tasks (the spec's experimental tasks utility): a client that supports them may run a long
// tool as a task — the call returns at once with a task id; tasks/get, tasks/result and
// tasks/cancel follow it. The SDK's Protocol answers those from the task store; this store also
// aborts our work when the client cancels, so the wait on the Proxmox task ends with it.

import { InMemoryTaskStore } from "@modelcontextprotocol/sdk/experimental/tasks/stores/in-memory.js";
import type { Task } from "@modelcontextprotocol/sdk/types.js";

export const TASKS_CAPABILITY = {
  list: {},
  cancel: {},
  requests: { tools: { call: {} } },
};

/** How long a finished task's result is kept for tasks/result, unless the client asks otherwise. */
export const DEFAULT_TASK_TTL_MS = 60 * 60 * 1000;
export const TASK_POLL_INTERVAL_MS = 1000;

export class CancellableTaskStore extends InMemoryTaskStore {
  readonly #controllers = new Map<string, AbortController>();

  /** The signal that fires when the client cancels this task. */
  signalFor(taskId: string): AbortSignal {
    const controller = new AbortController();
    this.#controllers.set(taskId, controller);
    return controller.signal;
  }

  finished(taskId: string): void {
    this.#controllers.delete(taskId);
  }

  override async updateTaskStatus(
    taskId: string,
    status: Task["status"],
    statusMessage?: string,
    sessionId?: string,
  ): Promise<void> {
    await super.updateTaskStatus(taskId, status, statusMessage, sessionId);
    if (status === "cancelled") {
      this.#controllers.get(taskId)?.abort();
      this.finished(taskId);
    }
  }
}
