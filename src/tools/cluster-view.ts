// The cluster as the cluster view (ui://proxmox/cluster) draws it, read in three calls: the
// inventory, the cluster status and the recent tasks. show_cluster answers the model with a
// summary of it and opens the view; view_cluster gives the view everything, for each refresh.

import { z } from "zod";
import { CLUSTER_RESOURCES, CLUSTER_STATUS, CLUSTER_TASKS } from "../pve/endpoints/index.ts";
import { clusterResources, isTaskOk, type Resource } from "../pve/index.ts";
import { defineTool, READ, type ToolContext } from "./define.ts";
import { pct, percent } from "./units.ts";
import {
  type ClusterViewData,
  clusterViewData,
  type ViewGuest,
  type ViewTask,
} from "./view-schemas.ts";
import { CLUSTER_VIEW } from "./views.ts";

/** Tools the views call for their buttons (the *_vm power tools take containers too). */
export const ACTION_TOOLS = [
  "start_vm",
  "shutdown_vm",
  "stop_vm",
  "snapshot_vm",
  "get_console_url",
] as const;

/** The buttons a view may show: tools this session lists, so their calls are not refused. */
export function availableActions(ctx: ToolContext<never>): string[] {
  const listed = ctx.session.listed();
  return ACTION_TOOLS.filter((name) => listed.has(name));
}

export interface TaskRow {
  upid: string;
  node: string;
  type: string;
  id?: string | number;
  user: string;
  starttime: number;
  endtime?: number;
  status?: string;
}

export function viewTask(t: TaskRow): ViewTask {
  const running = t.endtime === undefined && !t.status;
  const state = running
    ? "running"
    : t.status === "OK"
      ? "ok"
      : isTaskOk(t.status)
        ? "warning"
        : "error";
  return {
    upid: t.upid,
    node: t.node,
    type: t.type,
    id: t.id === undefined || t.id === "" ? undefined : String(t.id),
    user: t.user,
    starttime: t.starttime,
    endtime: t.endtime,
    state,
    status: t.status,
  };
}

export function viewGuest(r: Resource): ViewGuest {
  return {
    vmid: r.vmid ?? 0,
    name: r.name,
    type: r.type === "lxc" ? "lxc" : "qemu",
    node: r.node ?? "",
    status: r.status ?? "unknown",
    template: r.template === 1 ? true : undefined,
    cpu: r.cpu,
    maxcpu: r.maxcpu,
    mem: r.mem,
    maxmem: r.maxmem,
    uptime: r.uptime,
    tags: (r.tags ?? "").split(/[;, ]/).filter(Boolean),
    hastate: r.hastate,
    lock: r.lock,
    pool: r.pool,
  };
}

const TASKS_SHOWN = 15;
const byNewest = (a: ViewTask, b: ViewTask) => b.starttime - a.starttime;

const CLUSTER_ENDPOINTS = [CLUSTER_RESOURCES, CLUSTER_STATUS, CLUSTER_TASKS] as const;

/** Everything the cluster view shows, within the server's scope. */
export async function readCluster(
  ctx: ToolContext<(typeof CLUSTER_ENDPOINTS)[number]>,
): Promise<ClusterViewData> {
  const { pve, signal, scope } = ctx;
  const [resources, status, tasks] = await Promise.all([
    clusterResources(pve, undefined, signal),
    pve.call(CLUSTER_STATUS, {}, { signal }),
    pve.call(CLUSTER_TASKS, {}, { signal }),
  ]);
  const cluster = status.find((s) => s.type === "cluster");
  const of = (type: string) => resources.filter((r) => r.type === type);
  const guests = resources
    .filter((r) => (r.type === "qemu" || r.type === "lxc") && r.vmid !== undefined)
    .map(viewGuest)
    .filter((g) => scope.allowsGuest({ ...g, tags: g.tags }))
    .sort((a, b) => a.vmid - b.vmid);
  const all = tasks
    .map(viewTask)
    .filter(
      (t) =>
        scope.allowsNode(t.node) && (!/^\d+$/.test(t.id ?? "") || scope.allowsVmid(Number(t.id))),
    )
    .sort(byNewest);
  // What needs a look first (running, failed), then the latest that went well.
  const notable = all.filter((t) => t.state !== "ok");
  const shown = [...notable, ...all.filter((t) => t.state === "ok")].slice(0, TASKS_SHOWN);
  return {
    cluster: cluster
      ? { name: cluster.name, quorate: cluster.quorate === 1 }
      : { name: undefined, quorate: undefined },
    time: new Date().toISOString(),
    nodes: of("node")
      .filter((r) => r.node && scope.allowsNode(r.node))
      .map((r) => ({
        node: r.node ?? "",
        status: r.status ?? "unknown",
        cpu: r.cpu,
        maxcpu: r.maxcpu,
        mem: r.mem,
        maxmem: r.maxmem,
        disk: r.disk,
        maxdisk: r.maxdisk,
        uptime: r.uptime,
      }))
      .sort((a, b) => a.node.localeCompare(b.node)),
    guests,
    storages: of("storage")
      .filter((r) => r.node && scope.allowsNode(r.node))
      .map((r) => ({
        storage: r.storage ?? "",
        node: r.node ?? "",
        type: r.plugintype,
        content: (r.content ?? "").split(",").filter(Boolean),
        used: r.disk,
        total: r.maxdisk,
        shared: r.shared === 1,
        status: r.status ?? "unknown",
      }))
      .sort((a, b) => a.storage.localeCompare(b.storage) || a.node.localeCompare(b.node)),
    tasks: shown.sort(byNewest),
    actions: availableActions(ctx),
  };
}

/** What deserves a person's attention, one short line each. */
function attention(data: ClusterViewData): string[] {
  const out: string[] = [];
  if (data.cluster.quorate === false) out.push("the cluster has no quorum");
  for (const n of data.nodes) if (n.status !== "online") out.push(`node ${n.node} is ${n.status}`);
  for (const s of uniqueStorages(data)) {
    const p = pct(s.used, s.total);
    if (p !== undefined && p >= 85) out.push(`storage ${s.storage} is ${p}% full`);
  }
  for (const g of data.guests) {
    if (g.hastate && !["started", "stopped", "ignored", "disabled"].includes(g.hastate))
      out.push(`HA state of ${g.vmid} is ${g.hastate}`);
  }
  for (const t of data.tasks.filter((t) => t.state === "error").slice(0, 5)) {
    out.push(`${t.type}${t.id ? ` ${t.id}` : ""} on ${t.node} failed: ${t.status}`);
  }
  return out;
}

/** A shared storage counts once, not once per node. */
function uniqueStorages(data: ClusterViewData) {
  const seen = new Set<string>();
  return data.storages.filter((s) => {
    const key = s.shared ? s.storage : `${s.storage}@${s.node}`;
    if (seen.has(key) || s.status !== "available") return false;
    seen.add(key);
    return true;
  });
}

const STORAGES_SUMMARISED = 8;

export const showCluster = defineTool({
  name: "show_cluster",
  title: "Show the cluster",
  toolset: "cluster",
  description:
    "The whole cluster at a glance: nodes online, guests running, the fullest storages and what needs attention. Clients with MCP Apps show it as a live dashboard with actions.",
  input: z.strictObject({}),
  output: z.object({
    cluster: z.object({ name: z.string().optional(), quorate: z.boolean().optional() }),
    nodes: z.object({ online: z.number(), total: z.number() }),
    guests: z.object({
      running: z.number(),
      stopped: z.number(),
      other: z.number().describe("paused, unknown…"),
      templates: z.number(),
    }),
    storages: z
      .array(
        z.object({
          storage: z.string(),
          node: z.string().optional().describe("absent for shared storage"),
          used_pct: percent(),
        }),
      )
      .describe("the fullest first"),
    attention: z.array(z.string()),
  }),
  annotations: READ,
  endpoints: CLUSTER_ENDPOINTS,
  ui: { resourceUri: CLUSTER_VIEW },
  async handler(_args, ctx) {
    const data = await readCluster(ctx);
    const guests = data.guests.filter((g) => !g.template);
    const count = (status: string) => guests.filter((g) => g.status === status).length;
    const storages = uniqueStorages(data)
      .map((s) => ({
        storage: s.storage,
        node: s.shared ? undefined : s.node,
        used_pct: pct(s.used, s.total) ?? 0,
      }))
      .sort((a, b) => b.used_pct - a.used_pct)
      .slice(0, STORAGES_SUMMARISED);
    const summary = {
      cluster: data.cluster,
      nodes: {
        online: data.nodes.filter((n) => n.status === "online").length,
        total: data.nodes.length,
      },
      guests: {
        running: count("running"),
        stopped: count("stopped"),
        other: guests.length - count("running") - count("stopped"),
        templates: data.guests.length - guests.length,
      },
      storages,
      attention: attention(data),
    };
    const name = data.cluster.name ? `Cluster ${data.cluster.name}` : "Standalone node";
    const quorum =
      data.cluster.quorate === undefined
        ? ""
        : data.cluster.quorate
          ? " (quorate)"
          : " (NO QUORUM)";
    const text = [
      `${name}${quorum}: ${summary.nodes.online}/${summary.nodes.total} nodes online; ` +
        `${summary.guests.running} guests running, ${summary.guests.stopped} stopped` +
        `${summary.guests.other ? `, ${summary.guests.other} other` : ""}` +
        `${summary.guests.templates ? `, ${summary.guests.templates} templates` : ""}.`,
      `Fullest storage: ${storages.map((s) => `${s.storage}${s.node ? ` on ${s.node}` : ""} ${s.used_pct}%`).join(", ") || "none"}.`,
      summary.attention.length > 0
        ? `Needs attention: ${summary.attention.join("; ")}.`
        : "Nothing needs attention.",
    ].join("\n");
    return { data: summary, text };
  },
});

export const viewCluster = defineTool({
  name: "view_cluster",
  title: "Cluster view data",
  toolset: "cluster",
  description:
    "For the cluster view: nodes, guests, storages, recent tasks and the actions this session allows.",
  input: z.strictObject({}),
  output: clusterViewData,
  annotations: READ,
  endpoints: CLUSTER_ENDPOINTS,
  ui: { resourceUri: CLUSTER_VIEW, appOnly: true },
  async handler(_args, ctx) {
    const data = await readCluster(ctx);
    const running = data.guests.filter((g) => g.status === "running").length;
    return {
      data,
      text: `${data.nodes.length} nodes, ${data.guests.length} guests (${running} running), ${data.storages.length} storages, ${data.tasks.length} tasks`,
    };
  },
});

export const clusterViewTools = [showCluster, viewCluster];
