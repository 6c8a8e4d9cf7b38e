// MCP tasks (the spec's experimental tasks utility): a client that supports them may run a long
// tool as a task — tools/call answers at once with a task id; tasks/get, tasks/result and
// tasks/cancel follow it. The SDK's Protocol answers those from this store, which also knows the
// work behind each task: a cancel ends that work (see task-cancel.ts), tasks/get then says what
// became of the Proxmox task, and tasks/result returns that ending instead of "no result".

import type {
  CreateTaskOptions,
  TaskStore,
} from "@modelcontextprotocol/sdk/experimental/tasks/interfaces.js";
import type {
  CallToolResult,
  Request,
  RequestId,
  Result,
  Task,
} from "@modelcontextprotocol/sdk/types.js";
import type { TaskMemory } from "./task-memory.ts";

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

/**
 * A session's tasks. Its memory loads with the first task a client starts; until then there is
 * no task to find, list or cancel.
 */
export class ToolTaskStore implements TaskStore {
  #memory?: Promise<TaskMemory>;
  #loaded?: TaskMemory;

  #load(): Promise<TaskMemory> {
    this.#memory ??= import("./task-memory.ts").then((m) => {
      this.#loaded = new m.TaskMemory();
      return this.#loaded;
    });
    return this.#memory;
  }

  async createTask(
    params: CreateTaskOptions,
    requestId: RequestId,
    request: Request,
    sessionId?: string,
  ): Promise<Task> {
    return (await this.#load()).createTask(params, requestId, request, sessionId);
  }

  async getTask(taskId: string, sessionId?: string): Promise<Task | null> {
    return (await this.#memory)?.getTask(taskId, sessionId) ?? null;
  }

  async storeTaskResult(
    taskId: string,
    status: "completed" | "failed",
    result: Result,
    sessionId?: string,
  ): Promise<void> {
    return (await this.#load()).storeTaskResult(taskId, status, result, sessionId);
  }

  async getTaskResult(taskId: string, sessionId?: string): Promise<CallToolResult> {
    return (await this.#load()).getTaskResult(taskId, sessionId);
  }

  async updateTaskStatus(
    taskId: string,
    status: Task["status"],
    statusMessage?: string,
    sessionId?: string,
  ): Promise<void> {
    return (await this.#load()).updateTaskStatus(taskId, status, statusMessage, sessionId);
  }

  async listTasks(
    cursor?: string,
    sessionId?: string,
  ): Promise<{ tasks: Task[]; nextCursor?: string }> {
    return (await this.#load()).listTasks(cursor, sessionId);
  }

  /** The work behind a task just created (the memory is there: creating it loaded it). */
  attach(taskId: string, work: TaskWork): void {
    this.#loaded?.attach(taskId, work);
  }

  /** The work ended by itself (its result is stored the usual way); `note` stays on the task. */
  async finished(taskId: string, note?: string): Promise<void> {
    return this.#loaded?.finished(taskId, note);
  }

  cleanup(): void {
    void this.#memory?.then((memory) => memory.cleanup());
  }
}
