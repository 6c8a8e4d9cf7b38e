// Cluster-wide reads: the inventory in one call, the cluster log, and the API version.

import { z } from "zod";
import { CLUSTER_LOG, CLUSTER_RESOURCES, NODE_VERSION, VERSION } from "../pve/endpoints/index.ts";
import { clusterResources, type Resource } from "../pve/index.ts";
import { defineTool, READ } from "./define.ts";
import { page, pageArgs, pageFields } from "./paging.ts";
import { ageOf, iso, isoTime, seconds } from "./units.ts";
import { cpuMem, cpuMemFields, diskFields, diskUse } from "./usage.ts";

const resourceRow = z.object({
  id: z.string(),
  type: z.string().describe("qemu, lxc, node, storage, pool, sdn"),
  node: z.string().optional(),
  name: z.string().optional(),
  vmid: z.number().optional(),
  storage: z.string().optional(),
  pool: z.string().optional(),
  status: z.string().optional(),
  ...cpuMemFields,
  ...diskFields,
  uptime: seconds().optional(),
  plugintype: z.string().optional().describe("storage type"),
  content: z.string().optional(),
  shared: z.boolean().optional(),
  template: z.boolean().optional().describe("present (true) for templates only"),
  tags: z.string().optional(),
  hastate: z.string().optional(),
  lock: z.string().optional(),
});

type Row = z.infer<typeof resourceRow>;

function toRow(r: Resource & { sdn?: string }): Row {
  return {
    id: r.id,
    type: r.type,
    node: r.node,
    name: r.name ?? r.sdn,
    vmid: r.vmid,
    storage: r.storage,
    pool: r.pool,
    status: r.status,
    ...cpuMem(r),
    // PVE cannot see into a VM's disks: its disk use reads 0, which would mislead.
    ...diskUse(r, r.type !== "qemu"),
    // A stopped guest's uptime is 0: say nothing rather than "0s".
    uptime: r.uptime || undefined,
    plugintype: r.plugintype,
    content: r.content,
    shared: r.shared === undefined ? undefined : r.shared === 1,
    template: r.template === 1 ? true : undefined,
    tags: r.tags,
    hastate: r.hastate,
    lock: r.lock,
  };
}

const SORTS = {
  id: undefined,
  cpu: (r: Row) => r.cpu_pct,
  mem: (r: Row) => r.mem_pct,
  disk: (r: Row) => r.disk_pct,
} as const;

export const getClusterResources = defineTool({
  name: "get_cluster_resources",
  title: "Get the cluster inventory",
  toolset: "cluster",
  description:
    "The cluster inventory with status and usage: guests (type vm), nodes, storages, SDN zones, and pools when unfiltered. Filter by type, node, status or name; sort by cpu, mem or disk use (fullest first). Paged.",
  input: z.strictObject({
    type: z
      .enum(["vm", "storage", "node", "sdn"])
      .optional()
      .describe("vm (VMs and containers), storage, node or sdn; default everything"),
    node: z.string().optional().describe("Only on this node"),
    status: z.string().max(30).optional().describe("e.g. running, stopped, online, available"),
    name: z.string().max(100).optional().describe("Name, storage or node contains this"),
    sort: z.enum(["id", "cpu", "mem", "disk"]).optional().describe("Default id"),
    ...pageArgs(50),
  }),
  output: z.object({ resources: z.array(resourceRow), ...pageFields }),
  annotations: READ,
  endpoints: [CLUSTER_RESOURCES],
  async handler(args, { pve, signal }) {
    const all = await clusterResources(pve, args.type, signal);
    const name = args.name?.toLowerCase();
    const usage = SORTS[args.sort ?? "id"];
    const rows = all
      .map(toRow)
      .filter(
        (r) =>
          (!args.node || r.node === args.node) &&
          (!args.status || r.status === args.status) &&
          (!name ||
            [r.name, r.storage, r.node, r.pool].some((v) => v?.toLowerCase().includes(name))),
      )
      .sort((a, b) => (usage ? (usage(b) ?? -1) - (usage(a) ?? -1) : 0) || byId(a, b));
    const p = page(rows, args, 50);
    return { data: { resources: p.rows, total: p.total, next_cursor: p.next_cursor } };
  },
});

/** Kind first (as PVE lists them), then numbers in ids in numeric order: qemu/9 before qemu/10. */
const byId = (a: Row, b: Row): number => a.id.localeCompare(b.id, "en", { numeric: true });

const LOG_PAGE = 50;
const LOG_WINDOW = 1000;

export const getClusterLog = defineTool({
  name: "get_cluster_log",
  title: "Read the cluster log",
  toolset: "logs",
  description:
    "Recent cluster-wide log entries (task starts and ends, logins, HA events), newest first, with node, user and priority (3 = error, 6 = info). Filter by node or errors; paged.",
  input: z.strictObject({
    node: z.string().optional().describe("Only entries of this node"),
    errors: z.boolean().optional().describe("Only errors and worse (priority 3 or less)"),
    ...pageArgs(LOG_PAGE),
  }),
  output: z.object({
    entries: z.array(
      z.object({
        time: isoTime(),
        age: seconds(),
        node: z.string().optional(),
        user: z.string().optional(),
        tag: z.string().optional(),
        pri: z.number().optional(),
        msg: z.string(),
      }),
    ),
    ...pageFields,
  }),
  annotations: READ,
  endpoints: [CLUSTER_LOG],
  async handler(args, { pve, signal }) {
    // PVE keeps a bounded ring of recent entries: read a window of it, then filter and page.
    const rows = await pve.call(CLUSTER_LOG, { max: LOG_WINDOW }, { signal });
    const now = Date.now();
    const entries = rows
      .filter((r) => (!args.node || r.node === args.node) && (!args.errors || (r.pri ?? 6) <= 3))
      .sort((a, b) => b.time - a.time)
      .map(({ time, node, user, tag, pri, msg }) => ({
        time: iso(time),
        age: ageOf(time, now),
        node,
        user,
        tag,
        pri,
        msg,
      }));
    const p = page(entries, args, LOG_PAGE);
    return { data: { entries: p.rows, total: p.total, next_cursor: p.next_cursor } };
  },
});

export const getVersion = defineTool({
  name: "get_version",
  title: "Get the Proxmox VE version",
  toolset: "system",
  description:
    "The Proxmox VE (pve-manager) version of the node the API answers from, or of a given node: version, release and build id.",
  input: z.strictObject({
    node: z.string().optional().describe("Ask this node (default: the node the API answers from)"),
  }),
  output: z.object({
    version: z.string(),
    release: z.string(),
    repoid: z.string(),
    node: z.string().optional(),
    console: z.string().optional().describe("default console viewer, when configured"),
  }),
  annotations: READ,
  endpoints: [VERSION, NODE_VERSION],
  async handler({ node }, { pve, signal }) {
    const v = node
      ? await pve.call(NODE_VERSION, { node }, { signal })
      : await pve.call(VERSION, {}, { signal });
    return {
      data: { ...v, node },
      text: `pve-manager/${v.version}/${v.repoid} (release ${v.release})${node ? ` on ${node}` : ""}`,
    };
  },
});

export const clusterInfoTools = [getClusterResources, getClusterLog, getVersion];
