// MCP tasks (the spec's experimental tasks utility): a client that supports them may run a long
// tool as a task — tools/call answers at once with a task id; tasks/get, tasks/result and
// tasks/cancel follow it. The SDK's Protocol answers those from this store, which also knows the
// work behind each task: a cancel ends that work (see task-cancel.ts), tasks/get then says what
// became of the Proxmox task, and tasks/result returns that ending instead of "no result".

import { InMemoryTaskStore } from "@modelcontextprotocol/sdk/experimental/tasks/stores/in-memory.js";
import type { CallToolResult, Task } from "@modelcontextprotocol/sdk/types.js";

export const TASKS_CAPABILITY = {
  list: {},
  cancel: {},
  requests: { tools: { call: {} } },
};

/** How long a finished task's result is kept for tasks/result, unless the client asks otherwise. */
export const DEFAULT_TASK_TTL_MS = 60 * 60 * 1000;
export const TASK_POLL_INTERVAL_MS = 1000;

/** The work behind one running task. */
export interface TaskWork {
  /** Ends the work on the client's cancel; resolves to the task's final result and note. */
  cancel(): Promise<{ result: CallToolResult; note: string }>;
  /** What tasks/get says while it runs (the Proxmox task and how to follow it). */
  note(): string | undefined;
}

interface Ending {
  result: Promise<CallToolResult>;
  note?: string;
}

export class ToolTaskStore extends InMemoryTaskStore {
  readonly #work = new Map<string, TaskWork>();
  readonly #endings = new Map<string, Ending>();

  attach(taskId: string, work: TaskWork): void {
    this.#work.set(taskId, work);
  }

  /** The work ended by itself (its result is stored the usual way); `note` stays on the task. */
  async finished(taskId: string, note?: string): Promise<void> {
    this.#work.delete(taskId);
    if (note) await super.updateTaskStatus(taskId, "working", note).catch(() => {});
  }

  override async getTask(taskId: string, sessionId?: string): Promise<Task | null> {
    const task = await super.getTask(taskId, sessionId);
    if (!task) {
      this.#endings.delete(taskId); // expired: forget ours too
      return null;
    }
    const note = this.#endings.get(taskId)?.note ?? this.#work.get(taskId)?.note();
    return note ? { ...task, statusMessage: note } : task;
  }

  override async updateTaskStatus(
    taskId: string,
    status: Task["status"],
    statusMessage?: string,
    sessionId?: string,
  ): Promise<void> {
    await super.updateTaskStatus(taskId, status, statusMessage, sessionId);
    const work = this.#work.get(taskId);
    if (status !== "cancelled" || !work) return;
    this.#work.delete(taskId);
    const ending: Ending = {
      result: work.cancel().then(({ result, note }) => {
        ending.note = note;
        return result;
      }),
      note: work.note(),
    };
    this.#endings.set(taskId, ending);
    const { ttl } = (await super.getTask(taskId, sessionId)) ?? {};
    if (ttl) setTimeout(() => this.#endings.delete(taskId), ttl).unref?.();
  }

  /** A cancelled task's result is how its cancel ended (waits for that, as tasks/result does). */
  override async getTaskResult(taskId: string, sessionId?: string): Promise<CallToolResult> {
    const ending = this.#endings.get(taskId);
    if (ending && (await super.getTask(taskId, sessionId))) return ending.result;
    return (await super.getTaskResult(taskId, sessionId)) as CallToolResult;
  }

  override cleanup(): void {
    super.cleanup();
    this.#work.clear();
    this.#endings.clear();
  }
}
