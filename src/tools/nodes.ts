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
  toolset: "cluster",
  description:
    "The cluster's nodes: online or not, CPU, memory, root disk and uptime (offline nodes too).",
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

export const getNodeStatus = defineTool({
  name: "get_node_status",
  title: "Get node status",
  toolset: "cluster",
  description:
    "Detailed status of one node: CPU model and load, memory, swap, root disk, kernel and PVE version, uptime.",
  input: z.strictObject({ node: nodeRequired }),
  output: z.object({ node: z.string() }).catchall(z.unknown()),
  annotations: READ,
  endpoints: [NODE_STATUS],
  async handler({ node }, { pve }) {
    const status = await pve.call(NODE_STATUS, { node });
    return { data: { node, ...status } };
  },
});

export const nodeTools = [listNodes, getNodeStatus];
