import { z } from "zod";
import { NODE_STATUS, NODES } from "../pve/endpoints/index.ts";
import { nodeRequired } from "./args.ts";
import { defineTool, READ } from "./define.ts";
import { bytes, cpuPct, pct, percent, seconds } from "./units.ts";
import { cpuMem, cpuMemFields, diskFields, diskUse } from "./usage.ts";

const nodeRow = z.object({
  node: z.string(),
  status: z.string().describe("online, offline or unknown"),
  ...cpuMemFields,
  ...diskFields,
  uptime: seconds().optional(),
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
      .map((n) => ({
        node: n.node,
        status: n.status,
        ...cpuMem(n),
        ...diskUse(n),
        uptime: n.uptime || undefined,
        level: n.level || undefined,
      }))
      .sort((a, b) => a.node.localeCompare(b.node));
    return {
      data: { nodes, offline: down.sort() },
    };
  },
});

interface NodeStatus {
  cpu?: number;
  wait?: number;
  loadavg?: string[];
  uptime?: number;
  kversion?: string;
  pveversion?: string;
  cpuinfo?: { model?: string; sockets?: number; cpus?: number; mhz?: string };
  memory?: { total?: number; used?: number };
  swap?: { total?: number; used?: number };
  rootfs?: { total?: number; used?: number };
  "boot-info"?: { mode?: string; secureboot?: number };
}

export const getNodeStatus = defineTool({
  name: "get_node_status",
  title: "Get node status",
  toolset: "cluster",
  description:
    "Detailed status of one node: CPU model, use and load, I/O wait, memory, swap, root disk, kernel and PVE version, uptime.",
  input: z.strictObject({ node: nodeRequired }),
  output: z.object({
    node: z.string(),
    ...cpuMemFields,
    iowait_pct: percent().optional(),
    loadavg: z.array(z.string()).optional().describe("1, 5 and 15 minutes"),
    cpu_model: z.string().optional(),
    sockets: z.number().optional(),
    swap: bytes().optional(),
    maxswap: bytes().optional(),
    swap_pct: percent().optional(),
    ...diskFields,
    uptime: seconds().optional(),
    kernel: z.string().optional(),
    pveversion: z.string().optional(),
    boot: z.string().optional().describe("efi or bios, and secure boot"),
  }),
  annotations: READ,
  endpoints: [NODE_STATUS],
  async handler({ node }, { pve }) {
    const s = (await pve.call(NODE_STATUS, { node })) as NodeStatus;
    const boot = s["boot-info"];
    return {
      data: {
        node,
        ...cpuMem({
          cpu: s.cpu,
          maxcpu: s.cpuinfo?.cpus,
          mem: s.memory?.used,
          maxmem: s.memory?.total,
        }),
        iowait_pct: cpuPct(s.wait),
        loadavg: s.loadavg,
        cpu_model: s.cpuinfo?.model,
        sockets: s.cpuinfo?.sockets,
        swap: s.swap?.used,
        maxswap: s.swap?.total,
        swap_pct: pct(s.swap?.used, s.swap?.total),
        ...diskUse({ disk: s.rootfs?.used, maxdisk: s.rootfs?.total }),
        uptime: s.uptime,
        kernel: s.kversion,
        pveversion: s.pveversion,
        boot: boot?.mode ? `${boot.mode}${boot.secureboot ? ", secure boot" : ""}` : undefined,
      },
    };
  },
});

export const nodeTools = [listNodes, getNodeStatus];
