// The live state of the simulated cluster. Tests read and arrange it directly.
import type { DatacenterState } from "./datacenter.ts";

export type GuestType = "qemu" | "lxc";
export type ConfigValue = string | number;

export interface MockNode {
  name: string;
  nodeid: number;
  ip: string;
  maxcpu: number;
  cpu: number;
  maxmem: number;
  mem: number;
  maxdisk: number;
  disk: number;
  /** Unix seconds of the last boot; uptime is derived from it. */
  bootTime: number;
  cpuModel: string;
  sockets: number;
  kversion: string;
  sslFingerprint: string;
  loadavg: [string, string, string];
}

export interface GuestStats {
  cpu: number;
  mem: number;
  disk: number;
  netin: number;
  netout: number;
  diskread: number;
  diskwrite: number;
}

export interface MockSnapshot {
  name: string;
  description: string;
  snaptime: number;
  parent?: string;
  vmstate?: boolean;
  config: Record<string, ConfigValue>;
}

export interface MockGuest {
  vmid: number;
  type: GuestType;
  node: string;
  status: "running" | "stopped";
  /** QEMU only: running, paused, suspended, ... */
  qmpstatus?: string;
  /** Flat config as GET …/config shows it (name/hostname, memory, tags, template, ...). */
  config: Record<string, ConfigValue>;
  /** The config lock (backup, clone, create, migrate, ...); shown as `lock` in the config. */
  lock?: string;
  pool?: string;
  /** HA resource state when HA-managed (started, stopped, ...). */
  hastate?: string;
  /** Unix ms of the last start (uptime is derived). */
  startedAt?: number;
  pid?: number;
  stats: GuestStats;
  snapshots: MockSnapshot[];
  /** Changes made while running that wait for the next start (`[PENDING]` of the config file). */
  pending?: Record<string, ConfigValue>;
  /** Keys whose removal is pending (`delete:` line of the pending section). */
  pendingDelete?: string[];
  /** QEMU guest agent inside the VM: files and started commands (see mock/agent.ts). */
  guestOs?: GuestOs;
}

/** What the guest agent can see inside a VM. */
export interface GuestOs {
  /** False: the agent is configured but its service does not answer. */
  agentRunning: boolean;
  files: Map<string, Buffer>;
  processes: Map<number, GuestProcess>;
  nextPid: number;
}

export interface GuestProcess {
  /** Unix ms when the process ends. */
  endsAt: number;
  exitcode: number;
  out: string;
  err: string;
}

export type StorageType =
  | "btrfs"
  | "cephfs"
  | "cifs"
  | "dir"
  | "esxi"
  | "iscsi"
  | "iscsidirect"
  | "lvm"
  | "lvmthin"
  | "nfs"
  | "pbs"
  | "rbd"
  | "zfs"
  | "zfspool";

export interface MockStorage {
  storage: string;
  type: StorageType;
  content: string[];
  shared: boolean;
  /** Nodes the storage is available on; undefined = all. */
  nodes?: string[];
  path?: string;
  total: number;
  /** Space used by things the mock does not list (OS files, other data). */
  baseUsed: number;
  enabled: boolean;
  /** Type-specific settings as storage.cfg holds them (server, export, vgname, prune-backups…). */
  options?: Record<string, string | number>;
}

export interface MockVolume {
  storage: string;
  /** Owner node for local storages; undefined on shared ones. */
  node?: string;
  volid: string;
  content: "images" | "rootdir" | "iso" | "vztmpl" | "backup" | "snippets" | "import";
  format: string;
  size: number;
  ctime?: number;
  vmid?: number;
  notes?: string;
  protected?: boolean;
  /** Backups: the guest kind and configuration the archive holds (restored from it). */
  backupOf?: { type: GuestType; config: Record<string, ConfigValue> };
}

export interface TaskLogLine {
  /** When the line appears, as a fraction of the task's duration (0..1). */
  at: number;
  text: string;
}

export interface MockTask {
  upid: string;
  node: string;
  pid: number;
  pstart: number;
  starttime: number;
  type: string;
  id: string;
  /** user@realm, without the token part. */
  user: string;
  tokenid?: string;
  status: "running" | "stopped";
  exitstatus?: string;
  endtime?: number;
  /** Unix ms when the task started, for progressive log lines. */
  startedMs: number;
  durationMs: number;
  lines: TaskLogLine[];
  /** Lines written before the timed ones: waiting for the config lock, the worker's first steps. */
  waitLines?: string[];
  /** Lines written once the task ended (the closing TASK line included). */
  finalLines: string[];
}

export interface MockPool {
  poolid: string;
  comment?: string;
  /** Storage members (guests name their pool themselves). */
  storage?: string[];
}

export interface MockUser {
  userid: string;
  password: string;
  enable: boolean;
  email?: string;
  firstname?: string;
  lastname?: string;
  comment?: string;
  /** Unix seconds; 0 or absent: never. */
  expire?: number;
  groups?: string[];
}

export interface MockToken {
  userid: string;
  tokenid: string;
  secret: string;
  privsep: boolean;
}

export interface MockAcl {
  path: string;
  ugid: string;
  roleid: string;
  propagate: boolean;
}

export interface ClusterState {
  clusterName: string;
  version: { version: string; release: string; repoid: string };
  nodes: Map<string, MockNode>;
  guests: Map<number, MockGuest>;
  storages: Map<string, MockStorage>;
  volumes: MockVolume[];
  pools: Map<string, MockPool>;
  /** Every task, oldest first. */
  tasks: MockTask[];
  users: Map<string, MockUser>;
  tokens: MockToken[];
  acl: MockAcl[];
  /** Firewall, HA, replication, custom roles, corosync and each node's system state. */
  dc: DatacenterState;
}

export function guestName(guest: MockGuest): string {
  const own = guest.type === "qemu" ? guest.config.name : guest.config.hostname;
  if (typeof own === "string" && own !== "") return own;
  return guest.type === "qemu" ? `VM ${guest.vmid}` : `CT${guest.vmid}`;
}

/** Configured memory in bytes (qemu keeps `memory` as a string, lxc as a number). */
export function guestMaxmem(guest: MockGuest): number {
  const raw = String(guest.config.memory ?? (guest.type === "qemu" ? "2048" : "512"));
  const mib = Number(/(?:current=)?(\d+)/.exec(raw)?.[1] ?? 512);
  return mib * 1024 * 1024;
}

export function guestCpus(guest: MockGuest): number {
  const cores = Number(guest.config.cores ?? 1);
  const sockets = guest.type === "qemu" ? Number(guest.config.sockets ?? 1) : 1;
  return cores * sockets;
}

/** Sum of the sizes of the guest's disks, from `size=` in its drive property strings. */
export function guestMaxdisk(guest: MockGuest): number {
  let total = 0;
  const diskKey = guest.type === "qemu" ? /^(scsi|virtio|sata|ide)\d+$/ : /^rootfs$/;
  for (const [key, value] of Object.entries(guest.config)) {
    if (!diskKey.test(key) || typeof value !== "string" || value.includes("media=cdrom")) continue;
    total += parseSize(/size=(\d+[KMGT]?)/.exec(value)?.[1] ?? "0");
    if (guest.type === "lxc") break;
  }
  return total;
}

export function parseSize(text: string): number {
  const m = /^(\d+(?:\.\d+)?)([KMGT]?)$/.exec(text);
  if (!m) return 0;
  const unit = { "": 1, K: 2 ** 10, M: 2 ** 20, G: 2 ** 30, T: 2 ** 40 }[m[2] ?? ""] ?? 1;
  return Math.round(Number(m[1]) * unit);
}

export function isTemplate(guest: MockGuest): boolean {
  return Number(guest.config.template ?? 0) === 1;
}

export function storageUsed(state: ClusterState, storage: MockStorage, node: string): number {
  let used = storage.baseUsed;
  for (const v of state.volumes) {
    if (v.storage === storage.storage && (storage.shared || v.node === node)) used += v.size;
  }
  return Math.min(used, storage.total);
}

/** storageUsed for many rows at once: one pass over the volumes, not one per row. */
export function storageUsage(state: ClusterState): (storage: MockStorage, node: string) => number {
  const byStorage = new Map<string, { all: number; byNode: Map<string, number> }>();
  for (const v of state.volumes) {
    let sums = byStorage.get(v.storage);
    if (!sums) {
      sums = { all: 0, byNode: new Map() };
      byStorage.set(v.storage, sums);
    }
    sums.all += v.size;
    if (v.node !== undefined) sums.byNode.set(v.node, (sums.byNode.get(v.node) ?? 0) + v.size);
  }
  return (storage, node) => {
    const sums = byStorage.get(storage.storage);
    const used = sums ? (storage.shared ? sums.all : (sums.byNode.get(node) ?? 0)) : 0;
    return Math.min(storage.baseUsed + used, storage.total);
  };
}

export function storageOnNode(storage: MockStorage, node: string): boolean {
  return storage.nodes === undefined || storage.nodes.includes(node);
}
