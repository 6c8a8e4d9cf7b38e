import { z } from "zod";
import {
  CLUSTER_TASKS,
  NODE_TASKS,
  TASK_LOG,
  TASK_STATUS,
  TASK_STOP,
} from "../pve/endpoints/index.ts";
import {
  getTaskStatus,
  isTaskOk,
  parseUpid,
  readTaskLog,
  stopTask,
  waitForTask,
} from "../pve/index.ts";
import { upid as upidArg, vmid } from "./args.ts";
import { DESTRUCTIVE, defineTool, READ } from "./define.ts";
import { ToolError } from "./errors.ts";
import { lastWithin, page, pageArgs, pageFields } from "./paging.ts";
import { TASK_ENDPOINTS } from "./task-result.ts";
import { ageOf, iso, isoTime, seconds } from "./units.ts";

const nodeFromUpid = z.string().optional().describe("Optional: read from the UPID");

function checkedUpid(upid: string, node?: string): string {
  const parsed = parseUpid(upid);
  if (!parsed) {
    throw new ToolError(
      `not a task id: ${JSON.stringify(upid.slice(0, 80))}`,
      "A UPID looks like UPID:pve1:0002A1B3:0123ABCD:65F1A2B3:qmstart:100:root@pam: (with the trailing colon).",
    );
  }
  if (node && node !== parsed.node) {
    throw new ToolError(`task ${upid} ran on node ${parsed.node}, not ${node}`);
  }
  return parsed.upid;
}

const statusOutput = z.object({
  upid: z.string(),
  node: z.string(),
  type: z.string(),
  id: z.string(),
  user: z.string(),
  status: z.enum(["running", "stopped"]),
  exitstatus: z.string().optional().describe("OK, WARNINGS: N, or the error; only when stopped"),
  ok: z.boolean().optional().describe("stopped with OK or warnings"),
  started: isoTime(),
  age: seconds(),
});

export const getTaskStatusTool = defineTool({
  name: "get_task_status",
  title: "Get task status",
  toolset: "tasks",
  description:
    "Status of a Proxmox task (UPID): running or stopped, and its exit status (OK, WARNINGS: N, or the error).",
  input: z.strictObject({ node: nodeFromUpid, upid: upidArg }),
  output: statusOutput,
  annotations: READ,
  endpoints: [TASK_STATUS],
  async handler({ node, upid }, { pve, signal }) {
    const s = await getTaskStatus(pve, checkedUpid(upid, node), signal);
    return {
      data: {
        upid: s.upid,
        node: s.node,
        type: s.type,
        id: String(s.id ?? ""),
        user: s.user,
        status: s.status,
        exitstatus: s.exitstatus,
        ok: s.status === "stopped" ? isTaskOk(s.exitstatus) : undefined,
        started: iso(s.starttime),
        age: ageOf(s.starttime),
      },
    };
  },
});

export const readTaskLogTool = defineTool({
  name: "read_task_log",
  title: "Read task log",
  toolset: "tasks",
  description:
    "Lines of a task's log. By default the last 50; use start/limit to page from the top, or tail for the last N lines.",
  input: z.strictObject({
    node: nodeFromUpid,
    upid: upidArg,
    start: z.number().int().min(0).optional().describe("First line, 0-based"),
    limit: z.number().int().min(1).max(5000).optional().describe("Lines from start (default 50)"),
    tail: z.number().int().min(1).max(5000).optional().describe("Last N lines (ignores start)"),
  }),
  output: z.object({
    upid: z.string(),
    lines: z.array(z.object({ n: z.number(), t: z.string() })),
    total: z.number().describe("lines in the whole log"),
  }),
  annotations: READ,
  endpoints: [TASK_LOG],
  async handler(args, { pve, signal }) {
    const upid = checkedUpid(args.upid, args.node);
    // PVE has no tail: read everything once, then cut (logs are small text).
    const all = await readTaskLog(pve, upid, 0, 0, signal);
    const paged = args.start !== undefined || args.limit !== undefined;
    const chosen = paged
      ? all.slice(args.start ?? 0, (args.start ?? 0) + (args.limit ?? 50))
      : all.slice(-(args.tail ?? 50));
    // The default tail stays within a page's bytes: the newest lines matter most.
    const lines = paged || args.tail !== undefined ? chosen : lastWithin(chosen, (l) => l.t);
    const range =
      lines.length > 0 ? `lines ${lines[0]?.n}-${lines.at(-1)?.n} of ${all.length}` : "no lines";
    return {
      data: { upid, lines, total: all.length },
      text: [`${upid}: ${range}`, ...lines.map((l) => l.t)].join("\n"),
    };
  },
});

export const waitForTaskTool = defineTool({
  name: "wait_for_task",
  title: "Wait for a task",
  toolset: "tasks",
  description:
    "Wait until a task finishes (or timeout seconds pass) and return its outcome; sends progress notifications while waiting. A failed task is an error with its last log lines.",
  input: z.strictObject({
    node: nodeFromUpid,
    upid: upidArg,
    timeout: z.number().int().min(1).max(3600).optional().describe("Seconds to wait (default 60)"),
  }),
  output: z.object({
    upid: z.string(),
    node: z.string(),
    type: z.string(),
    status: z.enum(["running", "stopped"]),
    exitstatus: z.string().optional(),
    elapsed_ms: z.number(),
    next: z.string().optional(),
  }),
  // Only waits: a cancelled wait leaves the task running (stopping it is stop_task's job).
  annotations: READ,
  endpoints: TASK_ENDPOINTS,
  longRunning: true,
  async handler(args, { pve, signal, progress, taskWaitMs, taskReconnectMs }) {
    const upid = checkedUpid(args.upid, args.node);
    const outcome = await waitForTask(pve, upid, {
      // As an MCP task the wait has no bound of its own (taskWaitMs is then hours).
      timeoutMs: args.timeout ? args.timeout * 1000 : Math.max(60_000, taskWaitMs),
      reconnectMs: taskReconnectMs,
      signal,
      onProgress: progress,
    });
    if (!outcome.running && !outcome.ok) {
      throw new ToolError(
        `task ${upid} failed: ${outcome.exitstatus}\nlast log lines:\n${outcome.logTail.join("\n")}`,
      );
    }
    return {
      data: {
        upid,
        node: outcome.node,
        type: outcome.type,
        status: outcome.running ? ("running" as const) : ("stopped" as const),
        exitstatus: outcome.exitstatus,
        elapsed_ms: outcome.elapsedMs,
        next: outcome.running ? "still running: call wait_for_task again" : undefined,
      },
    };
  },
});

export const stopTaskTool = defineTool({
  name: "stop_task",
  title: "Stop a task",
  toolset: "tasks",
  description:
    "Stop a running Proxmox task (UPID): it ends with 'interrupted by signal'. What the task already changed stays changed (a half-done clone or backup is left to clean up).",
  input: z.strictObject({ node: nodeFromUpid, upid: upidArg }),
  output: z.object({
    upid: z.string(),
    status: z.enum(["running", "stopped"]),
    exitstatus: z.string().optional(),
  }),
  annotations: DESTRUCTIVE,
  endpoints: [...TASK_ENDPOINTS, TASK_STOP],
  async handler(args, { pve, signal }) {
    const upid = checkedUpid(args.upid, args.node);
    const before = await getTaskStatus(pve, upid, signal);
    if (before.status === "stopped") {
      throw new ToolError(`task ${upid} already ended (${before.exitstatus}); nothing to stop`);
    }
    await stopTask(pve, upid);
    const after = await waitForTask(pve, upid, { timeoutMs: 10_000, signal });
    return {
      data: {
        upid,
        status: after.running ? ("running" as const) : ("stopped" as const),
        exitstatus: after.exitstatus,
      },
    };
  },
});

const TASKS_PAGE = 50;
/** How many recent tasks of one node are read to filter and page (PVE's own list is recent). */
const NODE_WINDOW = 1000;

const taskRow = z.object({
  upid: z.string(),
  node: z.string(),
  type: z.string(),
  id: z.string().optional(),
  user: z.string(),
  started: isoTime(),
  age: seconds().describe("since it started"),
  duration: seconds().optional().describe("of an ended task"),
  status: z.string().describe("RUNNING, OK, WARNINGS: N or the error"),
});

/** An ISO-8601 time or Unix seconds, as Unix seconds. */
const sinceArg = z
  .union([z.number().int().min(0), z.string().max(40)])
  .optional()
  .describe("Only tasks started after this time (ISO-8601 or Unix seconds)");

function unixOf(since: number | string | undefined): number | undefined {
  if (since === undefined || typeof since === "number") return since;
  const ms = Date.parse(since);
  if (Number.isNaN(ms)) {
    throw new ToolError(`since: "${since}" is not a time`, "Pass e.g. 2025-06-01T02:00:00Z.");
  }
  return Math.floor(ms / 1000);
}

export const listTasks = defineTool({
  name: "list_tasks",
  title: "List tasks",
  toolset: "tasks",
  description:
    "Recent tasks of one node or the whole cluster, newest first: type, guest, user, start, age, duration and exit status. Filter by running, errors, type, vmid or since. Paged.",
  input: z.strictObject({
    node: z.string().optional().describe("Only this node (default: the whole cluster)"),
    running: z.boolean().optional().describe("Only tasks still running"),
    errors: z.boolean().optional().describe("Only failed tasks"),
    type: z.string().optional().describe("Task type, e.g. qmstart, vzdump, qmclone"),
    vmid: vmid.optional().describe("Only tasks of this guest"),
    since: sinceArg,
    ...pageArgs(TASKS_PAGE),
  }),
  output: z.object({ tasks: z.array(taskRow), ...pageFields }),
  annotations: READ,
  endpoints: [NODE_TASKS, CLUSTER_TASKS],
  async handler(args, { pve, signal, scope }) {
    const since = unixOf(args.since);
    const rows = args.node
      ? await pve.call(
          NODE_TASKS,
          {
            node: args.node,
            limit: NODE_WINDOW,
            source: args.running ? "active" : "all",
            errors: args.errors,
            typefilter: args.type,
            vmid: args.vmid,
            since,
          },
          { signal },
        )
      : await pve.call(CLUSTER_TASKS, {}, { signal });
    const now = Date.now();
    const tasks = rows
      .map((t) => ({
        upid: t.upid,
        node: t.node,
        type: t.type,
        id: t.id === undefined || t.id === "" ? undefined : String(t.id),
        user: t.user,
        starttime: t.starttime,
        started: iso(t.starttime),
        age: ageOf(t.starttime, now),
        duration: t.endtime === undefined ? undefined : Math.max(0, t.endtime - t.starttime),
        status: t.endtime === undefined && !t.status ? "RUNNING" : (t.status ?? "RUNNING"),
      }))
      .filter(
        (t) =>
          scope.allowsNode(t.node) &&
          (!/^\d+$/.test(t.id ?? "") || scope.allowsVmid(Number(t.id))) &&
          (!args.running || t.status === "RUNNING") &&
          (!args.errors || (t.status !== "RUNNING" && !isTaskOk(t.status))) &&
          (!args.type || t.type === args.type) &&
          (!args.vmid || t.id === String(args.vmid)) &&
          (!since || t.starttime >= since),
      )
      .sort((a, b) => b.starttime - a.starttime)
      .map(({ starttime: _, ...t }) => t);
    const p = page(tasks, args, TASKS_PAGE);
    return { data: { tasks: p.rows, total: p.total, next_cursor: p.next_cursor } };
  },
});

export const taskTools = [
  getTaskStatusTool,
  readTaskLogTool,
  waitForTaskTool,
  stopTaskTool,
  listTasks,
];
