import { z } from "zod";
import { NODE_STATUS, NODES } from "../pve/endpoints/index.ts";
import { nodeRequired } from "./args.ts";
import { defineTool, READ } from "./define.ts";

const nodeRow = z.object({
  node: z.string(),
  status: z.string().describe("online, offline or unknown"),
  cpu: z.number().optional().describe("CPU use, 0..1"),
  maxcpu: z.number().optional(),
  mem: z.number().optional().describe("bytes"),
  maxmem: z.number().optional(),
  disk: z.number().optional().describe("root fs bytes used"),
  maxdisk: z.number().optional(),
  uptime: z.number().optional().describe("seconds"),
  level: z.string().optional().describe("subscription level, empty if none"),
});

export const listNodes = defineTool({
  name: "list_nodes",
  title: "List nodes",
  toolset: "nodes",
  description:
    "List the cluster's nodes with online/offline status, CPU, memory, disk and uptime. Offline nodes are listed, not fatal.",
  input: z.strictObject({}),
  output: z.object({ nodes: z.array(nodeRow), offline: z.array(z.string()) }),
  annotations: READ,
  endpoints: [NODES],
  async handler(_args, { pve, notify, scope }) {
    const rows = (await pve.call(NODES, {})).filter((n) => scope.allowsNode(n.node));
    const down = rows.filter((n) => n.status !== "online").map((n) => n.node);
    if (down.length > 0) notify("warning", `node(s) offline: ${down.join(", ")}`);
    const nodes = rows
      .map(({ node, status, cpu, maxcpu, mem, maxmem, disk, maxdisk, uptime, level }) => ({
        node,
        status,
        cpu,
        maxcpu,
        mem,
        maxmem,
        disk,
        maxdisk,
        uptime,
        level,
      }))
      .sort((a, b) => a.node.localeCompare(b.node));
    return {
      data: { nodes, offline: down.sort() },
    };
  },
});

const scalar = z.union([z.string(), z.number(), z.boolean()]);
const bytes = z.record(z.string(), z.number()).describe("bytes: total, used, free…");

/** GET /nodes/{node}/status as PVE returns it (its schema allows more keys, so they pass too). */
const nodeStatusOutput = z
  .object({
    node: z.string(),
    uptime: z.number().optional().describe("seconds since boot"),
    cpu: z.number().optional().describe("CPU usage, 0 to 1"),
    wait: z.number().optional().describe("IO wait, 0 to 1"),
    loadavg: z.array(z.string()).optional().describe("load over 1, 5 and 15 minutes"),
    kversion: z.string().optional(),
    pveversion: z.string().optional(),
    cpuinfo: z.record(z.string(), scalar).optional().describe("model, sockets, cores, cpus, mhz…"),
    memory: bytes.optional(),
    swap: bytes.optional(),
    rootfs: bytes.optional(),
    "current-kernel": z.record(z.string(), z.string()).optional(),
    "boot-info": z.record(z.string(), scalar).optional(),
  })
  .catchall(z.union([scalar, z.array(scalar), z.record(z.string(), scalar)]));

export const getNodeStatus = defineTool({
  name: "get_node_status",
  title: "Get node status",
  toolset: "nodes",
  description:
    "Detailed status of one node: CPU model and load, memory, swap, root disk, kernel and PVE version, uptime.",
  input: z.strictObject({ node: nodeRequired }),
  output: nodeStatusOutput,
  annotations: READ,
  endpoints: [NODE_STATUS],
  async handler({ node }, { pve }) {
    const status = await pve.call(NODE_STATUS, { node });
    return { data: { node, ...status } };
  },
});

export const nodeTools = [listNodes, getNodeStatus];
