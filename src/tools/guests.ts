import { z } from "zod";
import { CLUSTER_RESOURCES, GUEST_CONFIG } from "../pve/endpoints/index.ts";
import { clusterResources, guestAt, type Resource } from "../pve/index.ts";
import { guestType, nodeOptional, vmid } from "./args.ts";
import { defineTool, READ, type ToolDef } from "./define.ts";
import { describeGuest, onGuest } from "./guest-ref.ts";
import { page, pageArgs, pageFields } from "./paging.ts";
import { bytes, seconds } from "./units.ts";
import { cpuMem, cpuMemFields } from "./usage.ts";

const guestRow = z.object({
  vmid: z.number(),
  name: z.string().optional(),
  node: z.string(),
  type: z.enum(["qemu", "lxc"]),
  status: z.string().describe("running, stopped, or unknown when its node is offline"),
  template: z.boolean().optional().describe("present (true) for templates only"),
  ...cpuMemFields,
  maxdisk: bytes().optional(),
  uptime: seconds().optional(),
  tags: z.array(z.string()).optional(),
  pool: z.string().optional(),
  lock: z.string().optional(),
  hastate: z.string().optional(),
});

type GuestRow = z.infer<typeof guestRow>;

const SORT_KEYS = ["vmid", "name", "node", "status", "cpu", "mem", "uptime"] as const;
const DEFAULT_PAGE = 100;

const listInput = z.strictObject({
  node: z.string().optional().describe("Only guests on this node"),
  status: z.enum(["running", "stopped", "unknown"]).optional(),
  tag: z.string().optional().describe("Only guests with this tag"),
  pool: z.string().optional().describe("Only guests in this pool"),
  name: z
    .string()
    .optional()
    .describe("Name contains this text (case-insensitive); * is a wildcard"),
  templates: z.boolean().optional().describe("true: only templates; false: no templates"),
  sort: z
    .enum(SORT_KEYS)
    .optional()
    .describe("Sort key (default vmid); cpu, mem, uptime sort high first"),
  ...pageArgs(DEFAULT_PAGE),
});

const listOutput = z.object({
  guests: z.array(guestRow),
  ...pageFields,
  offline_nodes: z.array(z.string()).describe("nodes whose guests may show status unknown"),
});

function toRow(r: Resource): GuestRow {
  return {
    vmid: r.vmid ?? 0,
    name: r.name,
    node: r.node ?? "",
    type: r.type as "qemu" | "lxc",
    status: r.status ?? "unknown",
    template: r.template === 1 ? true : undefined,
    ...cpuMem(r, r.status === "running"),
    maxdisk: r.maxdisk,
    uptime: r.uptime || undefined,
    tags: r.tags ? r.tags.split(/[;, ]/).filter(Boolean) : undefined,
    pool: r.pool,
    lock: r.lock,
    hastate: r.hastate,
  };
}

function nameMatcher(pattern?: string): (name?: string) => boolean {
  if (!pattern) return () => true;
  const escaped = pattern
    .toLowerCase()
    .replace(/[.+?^${}()|[\]\\]/g, "\\$&")
    .replaceAll("*", ".*");
  const re = new RegExp(pattern.includes("*") ? `^${escaped}$` : escaped);
  return (name) => re.test((name ?? "").toLowerCase());
}

function compare(key: (typeof SORT_KEYS)[number]) {
  const descending = key === "cpu" || key === "mem" || key === "uptime";
  return (a: GuestRow, b: GuestRow): number => {
    const field = key === "cpu" ? "cpu_pct" : key === "mem" ? "mem_pct" : key;
    const x = a[field] ?? (descending ? -1 : "");
    const y = b[field] ?? (descending ? -1 : "");
    const order =
      typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y));
    return (descending ? -order : order) || a.vmid - b.vmid;
  };
}

function listTool(kind: "qemu" | "lxc"): ToolDef {
  const noun = kind === "qemu" ? "VMs" : "containers";
  return defineTool({
    name: kind === "qemu" ? "list_vms" : "list_containers",
    title: `List ${noun}`,
    toolset: "guests",
    description: `List ${noun} across the cluster in one call, with status, node, CPU, memory, tags and pool. Filter by node, status, tag, pool or name; paged (next_cursor).`,
    input: listInput,
    output: listOutput,
    annotations: READ,
    endpoints: [CLUSTER_RESOURCES],
    async handler(args, { pve, signal, notify, scope }) {
      const all = await clusterResources(pve, undefined, signal);
      const offline = all
        .filter((r) => r.type === "node" && r.status !== "online")
        .map((r) => r.node ?? "");
      if (offline.length > 0) {
        notify(
          "warning",
          `node(s) offline: ${offline.join(", ")}; their guests show status unknown`,
        );
      }
      const matchName = nameMatcher(args.name);
      const tag = args.tag?.toLowerCase();
      const rows = all
        .filter((r) => r.type === kind && scope.allowsGuest({ ...r, vmid: r.vmid ?? 0 }))
        .map(toRow)
        .filter(
          (g) =>
            (!args.node || g.node === args.node) &&
            (!args.status || g.status === args.status) &&
            (!tag || g.tags?.includes(tag)) &&
            (!args.pool || g.pool === args.pool) &&
            (args.templates === undefined || (g.template ?? false) === args.templates) &&
            matchName(g.name),
        )
        .sort(compare(args.sort ?? "vmid"));
      const p = page(rows, args, DEFAULT_PAGE);
      return {
        data: {
          guests: p.rows,
          total: p.total,
          next_cursor: p.next_cursor,
          offline_nodes: offline,
        },
      };
    },
  });
}

export const listVms = listTool("qemu");
export const listContainers = listTool("lxc");

export const getVmConfig = defineTool({
  name: "get_vm_config",
  title: "Get guest configuration",
  toolset: "guests",
  description:
    "The configuration of a VM or container (cores, memory, disks, network, boot, tags…), as Proxmox stores it. Pending changes are shown merged unless current is true.",
  input: z.strictObject({
    node: nodeOptional,
    vmid,
    type: guestType,
    current: z.boolean().optional().describe("Only the applied values, without pending changes"),
  }),
  output: z.object({
    vmid: z.number(),
    node: z.string(),
    type: z.enum(["qemu", "lxc"]),
    config: z
      .record(z.string(), z.union([z.string(), z.number(), z.boolean()]))
      .describe("key: value as Proxmox stores it (numbers as numbers, the rest as text)"),
  }),
  annotations: READ,
  endpoints: [CLUSTER_RESOURCES, GUEST_CONFIG],
  async handler(args, ctx) {
    return onGuest(ctx, args, async (guest) => {
      // The digest guards writes that pass it back; no tool here does, so it is left out.
      const { digest: _, ...config } = await ctx.pve.call(GUEST_CONFIG, {
        ...guestAt(guest),
        current: args.current,
      });
      return {
        data: { vmid: guest.vmid, node: guest.node, type: guest.type, config },
        text: `${describeGuest(guest)} (${guest.type})\n${Object.entries(config)
          .map(([k, v]) => `${k}: ${v}`)
          .join("\n")}`,
      };
    });
  },
});

export const guestListTools = [listVms, listContainers, getVmConfig];
