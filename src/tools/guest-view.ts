// One guest as the guest view (ui://proxmox/guest) draws it: config summary, disks and NICs,
// snapshot tree, recent tasks and RRD series, read in parallel. show_guest answers the model
// with a summary and opens the view; view_guest feeds the view; view_task_log reads a task's log.

import { z } from "zod";
import {
  CLUSTER_RESOURCES,
  GUEST_CONFIG,
  GUEST_RRD,
  GUEST_SNAPSHOTS,
  GUEST_STATUS,
  NODE_TASKS,
  TASK_LOG,
  TASK_STATUS,
} from "../pve/endpoints/index.ts";
import { type GuestRef, getTaskStatus, guestAt, parseUpid, readTaskLog } from "../pve/index.ts";
import { vmid } from "./args.ts";
import { availableActions, viewTask } from "./cluster-view.ts";
import { defineTool, READ, type ToolContext } from "./define.ts";
import { ToolError } from "./errors.ts";
import { describeGuest, onGuest } from "./guest-ref.ts";
import { guestConfigSummary, guestDisks, guestNics } from "./guest-view-config.ts";
import { formatBytes, formatSeconds, seconds } from "./units.ts";
import { cpuMem, cpuMemFields } from "./usage.ts";
import { type GuestViewData, guestViewData, type RrdPoint, taskLogData } from "./view-schemas.ts";
import { GUEST_VIEW } from "./views.ts";

type Timeframe = GuestViewData["timeframe"];
const TASKS_SHOWN = 10;

const GUEST_TASKS = NODE_TASKS.sending("vmid", "limit", "source");
const GUEST_ENDPOINTS = [
  CLUSTER_RESOURCES,
  GUEST_CONFIG,
  GUEST_STATUS,
  GUEST_SNAPSHOTS,
  GUEST_TASKS,
] as const;

const fixed = (v: number | undefined, digits: number) =>
  v === undefined ? undefined : Number(v.toFixed(digits));

async function readRrd(
  ctx: ToolContext<typeof GUEST_RRD>,
  guest: GuestRef,
  timeframe: Timeframe,
): Promise<RrdPoint[]> {
  const rows = await ctx.pve.call(
    GUEST_RRD,
    { ...guestAt(guest), timeframe, cf: "AVERAGE" },
    { signal: ctx.signal },
  );
  return rows.map((r) => ({
    time: r.time ?? 0,
    cpu: fixed(r.cpu, 4),
    mem: fixed(r.mem, 0),
    maxmem: r.maxmem,
    netin: fixed(r.netin, 0),
    netout: fixed(r.netout, 0),
    diskread: fixed(r.diskread, 0),
    diskwrite: fixed(r.diskwrite, 0),
  }));
}

/** Everything the guest view shows; the RRD series only when a time frame is asked for. */
async function readGuest(
  ctx: ToolContext<(typeof GUEST_ENDPOINTS)[number]>,
  guest: GuestRef,
  series?: { timeframe: Timeframe; points: Promise<RrdPoint[]> },
): Promise<GuestViewData> {
  const { pve, signal } = ctx;
  const [config, status, snapshots, tasks, rrd] = await Promise.all([
    pve.call(GUEST_CONFIG, guestAt(guest), { signal }),
    pve.call(GUEST_STATUS, guestAt(guest), { signal }),
    pve.call(GUEST_SNAPSHOTS, guestAt(guest), { signal }),
    pve.call(
      GUEST_TASKS,
      { node: guest.node, vmid: guest.vmid, limit: TASKS_SHOWN, source: "all" },
      { signal },
    ),
    series?.points ?? Promise.resolve([]),
  ]);
  const current = snapshots.find((s) => s.name === "current");
  const hastate = status.ha?.managed ? status.ha.state : undefined;
  return {
    guest: {
      vmid: guest.vmid,
      name: status.name ?? guest.name,
      type: guest.type,
      node: guest.node,
      status: status.qmpstatus === "paused" ? "paused" : status.status,
      template: Number(status.template ?? 0) === 1 ? true : undefined,
      cpu: status.cpu,
      maxcpu: status.cpus,
      mem: status.mem,
      maxmem: status.maxmem,
      uptime: status.uptime,
      tags: String(config.tags ?? status.tags ?? "")
        .split(/[;, ]/)
        .filter(Boolean),
      hastate,
      lock: status.lock,
      pool: guest.pool,
    },
    config: guestConfigSummary(guest.type, config),
    disks: guestDisks(guest.type, config),
    nics: guestNics(guest.type, config),
    snapshots: snapshots
      .filter((s) => s.name !== "current")
      .map((s) => ({
        name: s.name,
        parent: s.parent,
        description: s.description?.trim() || undefined,
        time: s.snaptime,
        vmstate: s.vmstate === 1,
      })),
    current_parent: current?.parent,
    tasks: tasks
      .map(viewTask)
      .sort((a, b) => b.starttime - a.starttime)
      .slice(0, TASKS_SHOWN),
    timeframe: series?.timeframe ?? "hour",
    rrd,
    actions: availableActions(ctx),
  };
}

export const showGuest = defineTool({
  name: "show_guest",
  title: "Show a guest",
  toolset: "guests",
  description:
    "One VM or container at a glance: status, usage, disks, NICs, snapshots and recent tasks. Clients with MCP Apps show it as a live view with charts and actions.",
  input: z.strictObject({ vmid }),
  output: z.object({
    vmid: z.number(),
    name: z.string().optional(),
    type: z.enum(["qemu", "lxc"]),
    node: z.string(),
    status: z.string(),
    ...cpuMemFields,
    uptime: seconds().optional(),
    disks: z.array(z.string()).describe("key: volume (size)"),
    nics: z.array(z.string()).describe("key: bridge, vlan"),
    snapshots: z.number(),
    last_task: z.string().optional(),
  }),
  annotations: READ,
  endpoints: GUEST_ENDPOINTS,
  ui: { resourceUri: GUEST_VIEW },
  async handler(args, ctx) {
    return onGuest(ctx, { vmid: args.vmid }, async (ref) => {
      const d = await readGuest(ctx, ref);
      const g = d.guest;
      const last = d.tasks[0];
      const running = g.status === "running";
      const data = {
        vmid: g.vmid,
        name: g.name,
        type: g.type,
        node: g.node,
        status: g.status,
        ...cpuMem(g, running),
        uptime: g.uptime || undefined,
        disks: d.disks.map((k) => `${k.key}: ${k.volume}${k.size ? ` (${k.size})` : ""}`),
        nics: d.nics.map((k) => `${k.key}: ${k.bridge ?? "?"}${k.vlan ? `, vlan ${k.vlan}` : ""}`),
        snapshots: d.snapshots.length,
        last_task: last
          ? `${last.type} ${last.state}${last.status && last.state !== "ok" ? `: ${last.status}` : ""}`
          : undefined,
      };
      const text = [
        `${describeGuest({ ...ref, name: g.name })}: ${g.status}` +
          `${data.uptime ? ` for ${formatSeconds(data.uptime)}` : ""}` +
          `${data.cpu_pct !== undefined ? `, CPU ${data.cpu_pct}% of ${g.maxcpu}` : ""}` +
          `${data.mem !== undefined && data.maxmem ? `, memory ${formatBytes(data.mem)} of ${formatBytes(data.maxmem)} (${data.mem_pct}%)` : data.maxmem ? `, memory ${formatBytes(data.maxmem)}` : ""}.`,
        `Disks: ${data.disks.join("; ") || "none"}.`,
        `NICs: ${data.nics.join("; ") || "none"}.`,
        `Snapshots: ${data.snapshots}.${data.last_task ? ` Last task: ${data.last_task}.` : ""}`,
      ].join("\n");
      return { data, text };
    });
  },
});

export const viewGuest = defineTool({
  name: "view_guest",
  title: "Guest view data",
  toolset: "guests",
  description:
    "For the guest view: config, disks, NICs, snapshots, recent tasks and RRD series of one guest.",
  input: z.strictObject({
    vmid,
    timeframe: z.enum(["hour", "day", "week"]).optional().describe("RRD series (default hour)"),
  }),
  output: guestViewData,
  annotations: READ,
  endpoints: [...GUEST_ENDPOINTS, GUEST_RRD],
  ui: { resourceUri: GUEST_VIEW, appOnly: true },
  async handler(args, ctx) {
    return onGuest(ctx, { vmid: args.vmid }, async (ref) => {
      const timeframe = args.timeframe ?? "hour";
      const data = await readGuest(ctx, ref, {
        timeframe,
        points: readRrd(ctx, ref, timeframe),
      });
      return {
        data,
        text: `${describeGuest({ ...ref, name: data.guest.name })}: ${data.guest.status}`,
      };
    });
  },
});

const LOG_LINES = 500;

export const viewTaskLog = defineTool({
  name: "view_task_log",
  title: "Task log for the guest view",
  toolset: "guests",
  description: "For the guest view: a task's state and the last 500 lines of its log.",
  input: z.strictObject({ upid: z.string().min(10).max(512) }),
  output: taskLogData,
  annotations: READ,
  endpoints: [TASK_STATUS, TASK_LOG],
  ui: { resourceUri: GUEST_VIEW, appOnly: true },
  async handler(args, ctx) {
    const task = parseUpid(args.upid);
    if (!task) throw new ToolError(`not a task id: ${JSON.stringify(args.upid.slice(0, 80))}`);
    const guest = /^\d+$/.test(task.id) ? Number(task.id) : undefined;
    if (!ctx.scope.allowsNode(task.node) || (guest && !ctx.scope.allowsVmid(guest))) {
      throw new ToolError(
        `task ${task.upid} is outside this server's scope (allowed: ${ctx.scope.describe()})`,
      );
    }
    const [status, lines] = await Promise.all([
      getTaskStatus(ctx.pve, task.upid, ctx.signal),
      readTaskLog(ctx.pve, task.upid, 0, 0, ctx.signal),
    ]);
    const running = status.status === "running";
    const { state } = viewTask({
      ...status,
      endtime: running ? undefined : status.starttime,
      status: running ? undefined : (status.exitstatus ?? "unknown"),
    });
    const tail = lines.slice(-LOG_LINES).map((l) => l.t);
    return {
      data: { upid: task.upid, state, status: status.exitstatus, lines: tail, total: lines.length },
      text: tail.join("\n"),
    };
  },
});

export const guestViewTools = [showGuest, viewGuest, viewTaskLog];
