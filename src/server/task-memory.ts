// What the MCP tasks of one session are (see mcp-tasks.ts): the SDK's in-memory store, which
// also knows the work behind each task. Loaded with the first task: the SDK's store brings
// node:crypto, which would cost every start ~3 ms.

import { InMemoryTaskStore } from "@modelcontextprotocol/sdk/experimental/tasks/stores/in-memory.js";
import type { CallToolResult, Task } from "@modelcontextprotocol/sdk/types.js";
import type { TaskWork } from "./mcp-tasks.ts";

interface Ending {
  result: Promise<CallToolResult>;
  note?: string;
}

export class TaskMemory extends InMemoryTaskStore {
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
