// One VM or container: create, config, status and power, clone, migrate, disks, snapshots,
// statistics, consoles. Most exist for both kinds with the same path under /qemu/ and /lxc/:
// those are one value with a `{kind}` segment; the rest are limited to their kind.

import { answer, endpoint, guestEndpoint } from "../endpoint.ts";

export type GuestConfig = Record<string, string | number>;

export interface LiveStatus {
  status: "running" | "stopped";
  qmpstatus?: string;
  lock?: string;
  name?: string;
  template?: number;
  cpu?: number;
  cpus?: number;
  mem?: number;
  maxmem?: number;
  uptime?: number;
  tags?: string;
  ha?: { managed?: number; state?: string };
}

export interface PendingRow {
  key: string;
  value?: string | number;
  pending?: string | number;
  delete?: number;
}

export interface GuestRrdRow {
  time: number;
  cpu?: number;
  maxcpu?: number;
  mem?: number;
  maxmem?: number;
  disk?: number;
  maxdisk?: number;
  netin?: number;
  netout?: number;
  diskread?: number;
  diskwrite?: number;
}

export interface LxcInterface {
  name: string;
  hwaddr?: string;
  inet?: string;
  inet6?: string;
  "ip-addresses"?: { "ip-address": string; "ip-address-type": string; prefix: number }[];
}

export interface Snapshot {
  name: string;
  description?: string;
  snaptime?: number;
  parent?: string;
  vmstate?: number;
  running?: number;
}

export interface TermproxyReply {
  user: string;
  ticket: string;
  port: number | string;
  upid?: string;
}

/** New guests. */
export const QEMU_CREATE = endpoint("POST", "/nodes/{node}/qemu", [
  "vmid",
  "name",
  "memory",
  "cores",
  "sockets",
  "scsi0",
  "scsihw",
  "ide2",
  "net0",
  "ostype",
  "agent",
  "pool",
  "tags",
  "description",
  "start",
]);
export const LXC_CREATE = endpoint("POST", "/nodes/{node}/lxc", [
  "vmid",
  "ostemplate",
  "hostname",
  "password",
  "ssh-public-keys",
  "memory",
  "swap",
  "cores",
  "rootfs",
  "net0",
  "unprivileged",
  "pool",
  "tags",
  "description",
  "start",
]);

/** The same endpoints restoring a backup as a new guest, or over a stopped one (force). */
const RESTORE = ["vmid", "storage", "force", "unique", "start", "pool"] as const;
export const QEMU_RESTORE = endpoint("POST", "/nodes/{node}/qemu", [...RESTORE, "archive"]);
export const LXC_RESTORE = endpoint("POST", "/nodes/{node}/lxc", [
  ...RESTORE,
  "ostemplate",
  "restore",
]);

export const GUEST_DELETE = guestEndpoint("DELETE", "", [
  "purge",
  "destroy-unreferenced-disks",
  "force",
]);

export const GUEST_CONFIG = guestEndpoint("GET", "/config", ["current"], answer<GuestConfig>());
/** Synchronous config writes (QEMU: what needs no allocation, e.g. tags; LXC: everything). */
export const GUEST_CONFIG_PUT = guestEndpoint("PUT", "/config", [
  "cores",
  "memory",
  "swap",
  "cpulimit",
  "mp[n]",
  "net[n]",
  "tags",
  "delete",
]);
/** QEMU's asynchronous config write (a qmconfig task when disks are allocated or hotplugged). */
export const QEMU_CONFIG_POST = guestEndpoint("POST", "/config", [
  "cores",
  "sockets",
  "memory",
  "balloon",
  "vcpus",
  "cpulimit",
  "ciuser",
  "cipassword",
  "sshkeys",
  "ipconfig0",
  "nameserver",
  "searchdomain",
  "scsi[n]",
  "virtio[n]",
  "sata[n]",
  "ide[n]",
  "net[n]",
  "hostpci[n]",
  "usb[n]",
  "delete",
  "force",
]).only("qemu");
export const GUEST_PENDING = guestEndpoint("GET", "/pending", [], answer<PendingRow[]>());

export const GUEST_STATUS = guestEndpoint("GET", "/status/current", [], answer<LiveStatus>());
export const GUEST_START = guestEndpoint("POST", "/status/start");
export const GUEST_STOP = guestEndpoint("POST", "/status/stop");
export const GUEST_SHUTDOWN = guestEndpoint("POST", "/status/shutdown", ["timeout", "forceStop"]);
export const GUEST_REBOOT = guestEndpoint("POST", "/status/reboot");
export const GUEST_SUSPEND = guestEndpoint("POST", "/status/suspend");
export const GUEST_RESUME = guestEndpoint("POST", "/status/resume");
export const QEMU_RESET = guestEndpoint("POST", "/status/reset").only("qemu");

export const GUEST_TEMPLATE = guestEndpoint("POST", "/template");
const CLONE = ["newid", "target", "full", "storage", "pool", "description", "snapname"] as const;
/** VMs name the copy `name`, containers `hostname`. */
export const QEMU_CLONE = guestEndpoint("POST", "/clone", [...CLONE, "name"]).only("qemu");
export const LXC_CLONE = guestEndpoint("POST", "/clone", [...CLONE, "hostname"]).only("lxc");
/** VMs move live (online), containers restart on the target. */
export const QEMU_MIGRATE = guestEndpoint("POST", "/migrate", [
  "target",
  "online",
  "with-local-disks",
  "targetstorage",
]).only("qemu");
export const LXC_MIGRATE = guestEndpoint("POST", "/migrate", [
  "target",
  "restart",
  "target-storage",
]).only("lxc");

export const GUEST_RESIZE = guestEndpoint("PUT", "/resize", ["disk", "size"]);
export const QEMU_MOVE_DISK = guestEndpoint("POST", "/move_disk", [
  "disk",
  "storage",
  "delete",
  "format",
]).only("qemu");
export const LXC_MOVE_VOLUME = guestEndpoint("POST", "/move_volume", [
  "volume",
  "storage",
  "delete",
]).only("lxc");

export const GUEST_RRD = guestEndpoint(
  "GET",
  "/rrddata",
  ["timeframe", "cf"],
  answer<GuestRrdRow[]>(),
);
/** null while the container is stopped. */
export const LXC_INTERFACES = guestEndpoint(
  "GET",
  "/interfaces",
  [],
  answer<LxcInterface[] | null>(),
).only("lxc");

export const GUEST_SNAPSHOTS = guestEndpoint("GET", "/snapshot", [], answer<Snapshot[]>());
/** vmstate (RAM) for VMs only. */
export const GUEST_SNAPSHOT_CREATE = guestEndpoint("POST", "/snapshot", [
  "snapname",
  "description",
  "vmstate",
]);
export const GUEST_SNAPSHOT_ROLLBACK = guestEndpoint("POST", "/snapshot/{snapname}/rollback", [
  "start",
]);
export const GUEST_SNAPSHOT_DELETE = guestEndpoint("DELETE", "/snapshot/{snapname}", ["force"]);

/** A terminal for a guest (VMs: on a serial port) or a node shell; then its WebSocket. */
export const GUEST_TERMPROXY = guestEndpoint(
  "POST",
  "/termproxy",
  ["serial"],
  answer<TermproxyReply>(),
);
export const NODE_TERMPROXY = endpoint(
  "POST",
  "/nodes/{node}/termproxy",
  [],
  answer<TermproxyReply>(),
);
export const GUEST_VNCWEBSOCKET = guestEndpoint("GET", "/vncwebsocket", ["port", "vncticket"]);
export const NODE_VNCWEBSOCKET = endpoint("GET", "/nodes/{node}/vncwebsocket", [
  "port",
  "vncticket",
]);
