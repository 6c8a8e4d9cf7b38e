// What the MCP Apps views render: the outputs of the tools only the views call. The views'
// browser code (src/ui) imports these as types, so a field cannot change on one side alone.
// Kept lean on descriptions: these schemas travel in tools/list to hosts, not to the model.

import { z } from "zod";

const n = z.number();

export const viewNode = z.object({
  node: z.string(),
  status: z.string().describe("online, offline or unknown"),
  cpu: n.optional().describe("0..1"),
  maxcpu: n.optional(),
  mem: n.optional().describe("bytes"),
  maxmem: n.optional(),
  disk: n.optional().describe("root file system, bytes"),
  maxdisk: n.optional(),
  uptime: n.optional().describe("seconds"),
});

export const viewGuest = z.object({
  vmid: n,
  name: z.string().optional(),
  type: z.enum(["qemu", "lxc"]),
  node: z.string(),
  status: z.string().describe("running, stopped, paused or unknown"),
  template: z.boolean().optional(),
  cpu: n.optional(),
  maxcpu: n.optional(),
  mem: n.optional(),
  maxmem: n.optional(),
  uptime: n.optional(),
  tags: z.array(z.string()),
  hastate: z.string().optional(),
  lock: z.string().optional(),
  pool: z.string().optional(),
});

export const viewStorage = z.object({
  storage: z.string(),
  node: z.string(),
  type: z.string().optional(),
  content: z.array(z.string()),
  used: n.optional().describe("bytes"),
  total: n.optional(),
  shared: z.boolean(),
  status: z.string(),
});

export const viewTask = z.object({
  upid: z.string(),
  node: z.string(),
  type: z.string(),
  id: z.string().optional(),
  user: z.string(),
  starttime: n,
  endtime: n.optional(),
  state: z.enum(["running", "ok", "warning", "error"]),
  status: z.string().optional().describe("PVE's exit status"),
});

/** The action tools (start_vm, shutdown_vm, snapshot_vm…) this session lists, and so may call. */
const actions = z.array(z.string());

export const clusterViewData = z.object({
  cluster: z.object({ name: z.string().optional(), quorate: z.boolean().optional() }),
  time: z.string().describe("ISO-8601, when read"),
  nodes: z.array(viewNode),
  guests: z.array(viewGuest),
  storages: z.array(viewStorage),
  tasks: z.array(viewTask).describe("newest first; running and failed ones always kept"),
  actions,
});

export const guestTrends = z.object({
  trends: z.array(
    z.object({
      vmid: n,
      cpu: z.array(n).describe("0..1 of the guest's CPUs, one a minute, oldest first"),
      mem: z.array(n).describe("0..1 of its memory"),
    }),
  ),
});

export const rrdPoint = z.object({
  time: n,
  cpu: n.optional(),
  mem: n.optional(),
  maxmem: n.optional(),
  netin: n.optional(),
  netout: n.optional(),
  diskread: n.optional(),
  diskwrite: n.optional(),
});

export const guestViewData = z.object({
  guest: viewGuest,
  config: z.array(z.object({ label: z.string(), value: z.string() })),
  disks: z.array(
    z.object({
      key: z.string(),
      volume: z.string(),
      size: z.string().optional(),
      media: z.string().optional(),
    }),
  ),
  nics: z.array(
    z.object({
      key: z.string(),
      model: z.string().optional(),
      mac: z.string().optional(),
      bridge: z.string().optional(),
      vlan: z.string().optional(),
      firewall: z.boolean(),
      ip: z.string().optional(),
    }),
  ),
  snapshots: z.array(
    z.object({
      name: z.string(),
      parent: z.string().optional(),
      description: z.string().optional(),
      time: n.optional().describe("unix time"),
      vmstate: z.boolean(),
    }),
  ),
  current_parent: z.string().optional().describe("the snapshot the guest now runs from"),
  tasks: z.array(viewTask),
  timeframe: z.enum(["hour", "day", "week"]),
  rrd: z.array(rrdPoint),
  actions,
});

export const taskLogData = z.object({
  upid: z.string(),
  state: viewTask.shape.state,
  status: z.string().optional(),
  lines: z.array(z.string()),
  total: n,
});

export type ClusterViewData = z.infer<typeof clusterViewData>;
export type ViewNode = z.infer<typeof viewNode>;
export type ViewGuest = z.infer<typeof viewGuest>;
export type ViewStorage = z.infer<typeof viewStorage>;
export type ViewTask = z.infer<typeof viewTask>;
export type GuestTrends = z.infer<typeof guestTrends>;
export type GuestViewData = z.infer<typeof guestViewData>;
export type RrdPoint = z.infer<typeof rrdPoint>;
export type TaskLogData = z.infer<typeof taskLogData>;
