// A tools/call run as an MCP task: answered at once with the task, then the tool waits for its
// Proxmox task without the usual bound (the client polls tasks/get) until it ends or the client
// cancels. The work remembers the UPID it waits for, so tasks/get can name it and a cancel can
// stop it (task-cancel.ts) through the server's own Proxmox client: the stop is the server's act,
// not the tool's, and passes every guard that client applies.

import type { CreateTaskResult } from "@modelcontextprotocol/sdk/experimental/tasks/types.js";
import type { RequestHandlerExtra } from "@modelcontextprotocol/sdk/shared/protocol.js";
import type {
  CallToolResult,
  ServerNotification,
  ServerRequest,
} from "@modelcontextprotocol/sdk/types.js";
import { explainUpid, isUpid, type PveClient } from "../pve/index.ts";
import type { ToolContext } from "../tools/define.ts";
import { log } from "./log.ts";
import {
  DEFAULT_TASK_TTL_MS,
  TASK_POLL_INTERVAL_MS,
  type TaskWork,
  type ToolTaskStore,
} from "./mcp-tasks.ts";
import { endCancelledTask } from "./task-cancel.ts";
import { within } from "./within.ts";

type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

/** As an MCP task, a tool waits for its Proxmox task this long (the client polls meanwhile). */
const TASK_WAIT_MS = 6 * 60 * 60 * 1000;
/**
 * How long a cancel lets a request in flight finish to learn the UPID it starts (aborting it
 * would leave a task running that nobody can name), and then lets the tool notice the cancel.
 */
const SETTLE_MS = 10_000;

export interface TaskRun {
  store: ToolTaskStore;
  extra: Extra;
  ttl: number | undefined;
  /** The server's client: a cancel stops the Proxmox task through it. */
  pve: PveClient;
  /** Records what a cancel did (the audit line). */
  onCancelled: (message: string, upid?: string) => void;
}

export async function runAsTask(
  { store, extra, ttl, pve, onCancelled }: TaskRun,
  ctx: ToolContext,
  run: (context: ToolContext) => Promise<CallToolResult>,
): Promise<CreateTaskResult> {
  // The request's own view of the store: it announces status changes to the client.
  const requestStore = extra.taskStore as NonNullable<Extra["taskStore"]>;
  const task = await requestStore.createTask({
    ttl: ttl ?? DEFAULT_TASK_TTL_MS,
    pollInterval: TASK_POLL_INTERVAL_MS,
  });
  const work = new ToolWork(pve, onCancelled);
  store.attach(task.taskId, work);
  work.done = run({
    ...ctx,
    signal: work.signal,
    taskWaitMs: TASK_WAIT_MS,
    progress: (p) => {
      work.saw(p.upid);
      ctx.progress(p);
    },
  })
    .then(async (result) => {
      if (work.signal.aborted) return result; // the cancel's ending is the result
      await store.finished(task.taskId, work.finalNote(result));
      const status = result.isError ? "failed" : "completed";
      await requestStore.storeTaskResult(task.taskId, status, result);
      return result;
    })
    .catch((error: Error) => {
      // The task expired meanwhile, or the session closed: nobody is left to tell.
      void store.finished(task.taskId);
      log.debug(`task ${task.taskId}: ${error.message}`);
      return undefined;
    });
  return { task };
}

class ToolWork implements TaskWork {
  upid?: string;
  done?: Promise<CallToolResult | undefined>;
  readonly #controller = new AbortController();
  readonly #named = Promise.withResolvers<void>();

  constructor(
    private readonly pve: PveClient,
    private readonly onCancelled: (message: string, upid?: string) => void,
  ) {}

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** The tool waits for this Proxmox task now (a call may run several, one after another). */
  saw(upid: string): void {
    this.upid = upid;
    this.#named.resolve();
  }

  note(): string | undefined {
    if (!this.upid) return undefined;
    const doing = this.signal.aborted ? "Cancelling; Proxmox task" : "Waiting for Proxmox task";
    return `${doing} ${this.upid} (${explainUpid(this.upid)}); get_task_status with this upid follows it.`;
  }

  /** What tasks/get says once the tool is done: the Proxmox task, and how to look at it. */
  finalNote(result: CallToolResult): string | undefined {
    if (!this.upid) return undefined;
    const what = `Proxmox task ${this.upid} (${explainUpid(this.upid)})`;
    const state = result.isError
      ? `The call failed; its ${what}`
      : result.structuredContent?.task_status === "running"
        ? `The wait ended with ${what} still running`
        : `Done: ${what}`;
    return `${state}; get_task_status with this upid shows it.`;
  }

  async cancel() {
    const done = this.done ?? Promise.resolve(undefined);
    if (!this.upid) await within(Promise.race([this.#named.promise, done]), SETTLE_MS);
    this.#controller.abort();
    const result = await within(done, SETTLE_MS);
    const named = result?.structuredContent?.upid;
    const upid = this.upid ?? (isUpid(named) ? named : undefined);
    const end = await endCancelledTask(this.pve, upid);
    this.onCancelled(end.note, upid);
    return end;
  }
}
