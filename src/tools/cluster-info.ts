// Cluster-wide reads: the inventory in one call, the cluster log, and the API version.

import { z } from "zod";
import { CLUSTER_LOG, CLUSTER_RESOURCES, NODE_VERSION, VERSION } from "../pve/endpoints/index.ts";
import { clusterResources, type Resource } from "../pve/index.ts";
import { defineTool, READ } from "./define.ts";

const resourceRow = z.object({
  id: z.string(),
  type: z.string().describe("qemu, lxc, node, storage, pool, sdn"),
  node: z.string().optional(),
  name: z.string().optional(),
  vmid: z.number().optional(),
  storage: z.string().optional(),
  pool: z.string().optional(),
  status: z.string().optional(),
  cpu: z.number().optional().describe("0..1"),
  maxcpu: z.number().optional(),
  mem: z.number().optional().describe("bytes"),
  maxmem: z.number().optional(),
  disk: z.number().optional().describe("bytes"),
  maxdisk: z.number().optional(),
  uptime: z.number().optional().describe("seconds"),
  plugintype: z.string().optional().describe("storage type"),
  content: z.string().optional(),
  shared: z.boolean().optional(),
  template: z.boolean().optional(),
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
    cpu: r.cpu,
    maxcpu: r.maxcpu,
    mem: r.mem,
    maxmem: r.maxmem,
    disk: r.disk,
    maxdisk: r.maxdisk,
    uptime: r.uptime,
    plugintype: r.plugintype,
    content: r.content,
    shared: r.shared === undefined ? undefined : r.shared === 1,
    template: r.template === undefined || r.type === "node" ? undefined : r.template === 1,
    tags: r.tags,
    hastate: r.hastate,
    lock: r.lock,
  };
}

export const getClusterResources = defineTool({
  name: "get_cluster_resources",
  title: "Get the cluster inventory",
  toolset: "cluster",
  description:
    "Everything in the cluster in one call: guests (vm), nodes, storages and SDN zones with status and usage, plus pools when unfiltered. Filter with type vm, storage, node or sdn.",
  input: z.strictObject({
    type: z
      .enum(["vm", "storage", "node", "sdn"])
      .optional()
      .describe("vm (VMs and containers), storage, node or sdn; default everything"),
  }),
  output: z.object({ resources: z.array(resourceRow), count: z.number() }),
  annotations: READ,
  endpoints: [CLUSTER_RESOURCES],
  async handler({ type }, { pve, signal }) {
    const rows = await clusterResources(pve, type, signal);
    const resources = rows.map(toRow);
    return { data: { resources, count: resources.length } };
  },
});

export const getClusterLog = defineTool({
  name: "get_cluster_log",
  title: "Read the cluster log",
  toolset: "logs",
  description:
    "Recent cluster-wide log entries (task starts and ends, logins, HA events), newest first, with node, user and priority (3 = error, 6 = info).",
  input: z.strictObject({
    limit: z.number().int().min(1).max(5000).optional().describe("At most this many (default 50)"),
  }),
  output: z.object({
    entries: z.array(
      z.object({
        time: z.number().describe("unix time"),
        node: z.string().optional(),
        user: z.string().optional(),
        tag: z.string().optional(),
        pri: z.number().optional(),
        msg: z.string(),
      }),
    ),
  }),
  annotations: READ,
  endpoints: [CLUSTER_LOG],
  async handler({ limit }, { pve, signal }) {
    const rows = await pve.call(CLUSTER_LOG, { max: limit ?? 50 }, { signal });
    const entries = rows
      .map(({ time, node, user, tag, pri, msg }) => ({ time, node, user, tag, pri, msg }))
      .sort((a, b) => b.time - a.time);
    return { data: { entries } };
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
