// /nodes/{node}/tasks: list, status, log, stop.
import { PveError, paramError } from "../errors.ts";
import { Paged } from "../http.ts";
import { node, opt, vmid } from "../params.ts";
import { hasPriv, type Principal } from "../perms.ts";
import type { MockContext, Route } from "../router.ts";
import type { MockTask } from "../state.ts";
import { parseUpid } from "../upid.ts";

export function taskRow(t: MockTask): Record<string, unknown> {
  return {
    upid: t.upid,
    node: t.node,
    pid: t.pid,
    pstart: t.pstart,
    starttime: t.starttime,
    type: t.type,
    id: t.id,
    user: t.user,
    ...(t.tokenid ? { tokenid: t.tokenid } : {}),
    ...(t.status === "stopped" ? { endtime: t.endtime, status: t.exitstatus } : {}),
  };
}

/** Own tasks (and those of one's tokens) are always visible; others need Sys.Audit on the node. */
function mayRead(mock: MockContext, who: Principal, t: MockTask): boolean {
  if (t.user === who.userid && (!who.tokenid || t.tokenid === who.tokenid)) return true;
  return hasPriv(mock.state, who, `/nodes/${t.node}`, ["Sys.Audit"]);
}

function findTask(mock: MockContext, nodeName: string, upid: string): MockTask {
  const parsed = parseUpid(upid);
  if (!parsed) throw paramError({ upid: "unable to parse worker upid" });
  const task = mock.state.tasks.find((t) => t.upid === upid && t.node === nodeName);
  if (!task) throw paramError({ upid: "no such task" });
  return task;
}

function statusClass(exit: string | undefined): string {
  if (exit === "OK") return "ok";
  if (exit?.startsWith("WARNINGS")) return "warning";
  if (exit === undefined || exit === "unexpected status") return "unknown";
  return "error";
}

const upidParam = { type: "string", description: "The task's unique ID." } as const;

export const taskRoutes: Route[] = [
  {
    method: "GET",
    path: "/nodes/{node}/tasks",
    description: "Read task list for one node (finished tasks).",
    permission: "all",
    proxyto: "node",
    parameters: {
      node,
      errors: {
        type: "boolean",
        optional: true,
        default: 0,
        description: "Only list tasks with a status of ERROR.",
      },
      limit: {
        type: "integer",
        optional: true,
        minimum: 0,
        default: 50,
        description: "Only list this amount of tasks.",
      },
      since: {
        type: "integer",
        optional: true,
        description: "Only list tasks since this UNIX epoch.",
      },
      source: {
        type: "string",
        optional: true,
        enum: ["archive", "active", "all"],
        default: "archive",
        description: "List archived, active or all tasks.",
      },
      start: {
        type: "integer",
        optional: true,
        minimum: 0,
        default: 0,
        description: "List tasks beginning from this offset.",
      },
      statusfilter: {
        type: "string",
        optional: true,
        format: "pve-task-status-type-list",
        description: "List of Task States that should be returned.",
      },
      typefilter: {
        type: "string",
        optional: true,
        description: "Only list tasks of this type (e.g., vzstart, vzdump).",
      },
      until: {
        type: "integer",
        optional: true,
        description: "Only list tasks until this UNIX epoch.",
      },
      userfilter: {
        type: "string",
        optional: true,
        description: "Only list tasks from this user.",
      },
      vmid: opt(vmid, "Only list tasks for this VM."),
    },
    handler: ({ mock, params, who }) => {
      const source = params.source ?? "archive";
      const statuses =
        typeof params.statusfilter === "string" ? params.statusfilter.split(/[,;\s]+/) : undefined;
      const rows = mock.state.tasks
        .filter((t) => t.node === params.node && mayRead(mock, who, t))
        .filter((t) =>
          source === "archive"
            ? t.status === "stopped"
            : source === "active"
              ? t.status === "running"
              : true,
        )
        .filter((t) => params.vmid === undefined || t.id === String(params.vmid))
        .filter((t) => params.typefilter === undefined || t.type === params.typefilter)
        .filter(
          (t) => params.userfilter === undefined || t.user.includes(String(params.userfilter)),
        )
        .filter((t) => params.since === undefined || t.starttime >= Number(params.since))
        .filter((t) => params.until === undefined || t.starttime <= Number(params.until))
        .filter((t) => params.errors !== true || (t.status === "stopped" && t.exitstatus !== "OK"))
        .filter(
          (t) =>
            !statuses || (t.status === "stopped" && statuses.includes(statusClass(t.exitstatus))),
        )
        .sort((a, b) => b.starttime - a.starttime || b.pid - a.pid)
        .map((t) => (t.status === "running" ? { ...taskRow(t), status: "RUNNING" } : taskRow(t)));
      const start = Number(params.start ?? 0);
      const limit = Number(params.limit ?? 50);
      return new Paged(rows.slice(start, limit === 0 ? undefined : start + limit), rows.length);
    },
  },
  {
    method: "GET",
    path: "/nodes/{node}/tasks/{upid}",
    description: "Index of a task.",
    permission: "all",
    proxyto: "node",
    parameters: { node, upid: upidParam },
    handler: ({ mock, params }) => {
      findTask(mock, String(params.node), String(params.upid));
      return [{ name: "log" }, { name: "status" }];
    },
  },
  {
    method: "GET",
    path: "/nodes/{node}/tasks/{upid}/status",
    description: "Read task status.",
    permission: "all",
    proxyto: "node",
    parameters: { node, upid: upidParam },
    handler: ({ mock, params, who }) => {
      const t = findTask(mock, String(params.node), String(params.upid));
      if (!mayRead(mock, who, t))
        throw new PveError(403, `Permission check failed (/nodes/${t.node}, Sys.Audit)`);
      return {
        upid: t.upid,
        node: t.node,
        pid: t.pid,
        pstart: t.pstart,
        starttime: t.starttime,
        type: t.type,
        id: t.id,
        user: t.user,
        ...(t.tokenid ? { tokenid: t.tokenid } : {}),
        status: t.status,
        ...(t.status === "stopped" ? { exitstatus: t.exitstatus } : {}),
      };
    },
  },
  {
    method: "GET",
    path: "/nodes/{node}/tasks/{upid}/log",
    description: "Read task log.",
    permission: "all",
    proxyto: "node",
    parameters: {
      node,
      upid: upidParam,
      download: {
        type: "boolean",
        optional: true,
        description:
          "Whether the tasklog file should be downloaded. This parameter can't be used in conjunction with other parameters",
      },
      limit: {
        type: "integer",
        optional: true,
        minimum: 0,
        default: 50,
        description: "The amount of lines to read from the tasklog.",
      },
      start: {
        type: "integer",
        optional: true,
        minimum: 0,
        default: 0,
        description: "Start at this line when reading the tasklog",
      },
    },
    handler: ({ mock, params, who }) => {
      const t = findTask(mock, String(params.node), String(params.upid));
      if (!mayRead(mock, who, t))
        throw new PveError(403, `Permission check failed (/nodes/${t.node}, Sys.Audit)`);
      const lines = mock.tasks.log(t);
      if (params.download === true) return lines.join("\n");
      if (lines.length === 0) return new Paged([{ n: 1, t: "no content" }], 1);
      const start = Number(params.start ?? 0);
      const limit = Number(params.limit ?? 50);
      const page = lines.slice(start, limit === 0 ? undefined : start + limit);
      return new Paged(
        page.map((text, i) => ({ n: start + i + 1, t: text })),
        lines.length,
      );
    },
  },
  {
    method: "DELETE",
    path: "/nodes/{node}/tasks/{upid}",
    description: "Stop a task.",
    permission: "all",
    proxyto: "node",
    parameters: { node, upid: upidParam },
    handler: ({ mock, params, who }) => {
      const t = findTask(mock, String(params.node), String(params.upid));
      const own = t.user === who.userid;
      if (!own && !hasPriv(mock.state, who, `/nodes/${t.node}`, ["Sys.Modify"])) {
        throw new PveError(403, `Permission check failed (/nodes/${t.node}, Sys.Modify)`);
      }
      if (t.status === "running") mock.tasks.stop(t);
      return null;
    },
  },
];
