// Which objects a request (method, path, parameters) touches, read from PVE's own layout: the
// API tree is positional (/nodes/{node}/{qemu|lxc}/{vmid}/…, /nodes/{node}/storage/{storage}/
// content/{volume}, /cluster/ha/resources/{sid}, /pools/{poolid}, /access/acl…), and parameters
// name guests, nodes, pools and volumes in a few formats (values.ts). Works for any path, so the
// raw API is held like the tools: what it cannot attribute, it marks cluster-wide when written.

import { emptyTouch, type Touch } from "./touch.ts";
import {
  aclTarget,
  guestIds,
  isNodeName,
  nodeNames,
  replicationGuest,
  sidGuest,
  sidGuests,
  taskOwner,
  volumeGuests,
} from "./values.ts";

export type Params = Readonly<Record<string, unknown>>;

/** The words for a request refused as a whole (the refusal names its method and path first). */
const THIS = "this request";

/** Node power and access: what /nodes/{node}/X reads that shows or reaches the whole host. */
const NODE_ADMIN_READS = new Set(["vncwebsocket", "syslog", "journal", "report"]);
/** Node-level writes that only add a file to a storage (templates, ISOs): no guest is touched. */
const STORAGE_ADDS = new Set(["upload", "download-url", "oci-registry-pull"]);
const NODE_POWER = new Set(["startall", "stopall", "suspendall", "migrateall"]);

export function attribute(method: string, segments: readonly string[], params: Params): Touch {
  const t = emptyTouch();
  const write = method !== "GET";
  const used = new Set<string>();
  const area = segments[0];
  if (area === "nodes") onNodes(t, method, segments, params, used);
  else if (area === "cluster") onCluster(t, method, segments, params, used);
  else if (area === "pools") onPools(t, write, segments, params);
  else if (area === "access") onAccess(t, method, segments, params, used);
  else if (write) t.clusterWide = THIS;
  scanParams(t, write, params, used);
  return t;
}

function onNodes(t: Touch, method: string, s: readonly string[], p: Params, used: Set<string>) {
  const node = s[1];
  if (node === undefined) return;
  t.nodes.push(node);
  const write = method !== "GET";
  const [what, id, sub] = [s[2], s[3], s[4]];
  if (what === undefined) return;
  if (what === "qemu" || what === "lxc") {
    if (id === undefined) {
      if (method === "POST") {
        used.add("vmid");
        for (const vmid of guestIds(p.vmid)) {
          t.newGuests.push({ vmid, node, pool: str(p.pool), tags: str(p.tags) });
        }
      }
      return;
    }
    const vmid = Number(id);
    t.guests.push({ vmid: Number.isInteger(vmid) ? vmid : Number.NaN, node });
    // The QEMU monitor opens host files and devices as the QEMU process: host access.
    if (sub === "monitor") t.nodeAdmin = { node, what: "the QEMU monitor" };
    if (sub === "clone") {
      used.add("newid");
      const target = str(p.target) ?? node;
      for (const newid of guestIds(p.newid)) {
        t.newGuests.push({ vmid: newid, node: target, pool: str(p.pool), cloneOf: vmid });
      }
    }
    return;
  }
  if (what === "tasks") {
    if (id === undefined) return;
    const owner = taskOwner(id);
    if (!owner) {
      if (write) t.nodeAdmin = { node, what: THIS };
      return;
    }
    if (owner.node !== node) t.nodes.push(owner.node);
    // The task is the node's record of what it did to the guest: judged where it ran.
    if (owner.guest !== undefined) t.guests.push({ vmid: owner.guest, node: owner.node });
    else if (write) t.nodeAdmin = { node, what: `stopping the node task ${owner.type}` };
    return;
  }
  if (what === "replication") {
    const guest = id === undefined ? undefined : replicationGuest(id);
    if (guest !== undefined) t.guests.push({ vmid: guest });
    else if (id !== undefined) t.guests.push({ vmid: Number.NaN });
    return;
  }
  if (what === "storage") return onNodeStorage(t, method, node, s, p);
  if (what === "vzdump") {
    if (write) backupTargets(t, p, used, node);
    return;
  }
  if (what === "aplinfo" && method === "POST") return; // a template into a storage
  if (what === "ceph" && write) {
    t.clusterWide = "this request (Ceph serves the whole cluster)";
    return;
  }
  if (what === "execute") {
    used.add("commands");
    t.nodeAdmin = { node, what: THIS };
    merge(t, executed(p.commands));
    return;
  }
  if (NODE_POWER.has(what)) {
    t.nodeAdmin = { node, what: `${what} (every guest of ${node})` };
    return;
  }
  if (write || NODE_ADMIN_READS.has(what)) t.nodeAdmin = { node, what: THIS };
}

function onNodeStorage(t: Touch, method: string, node: string, s: readonly string[], p: Params) {
  const write = method !== "GET";
  const [storage, what, volume] = [s[3], s[4], s[5]];
  if (!write) {
    if (volume !== undefined) addGuests(t, volumeGuests(volume));
    return;
  }
  if (what === "content") {
    if (volume === undefined) return; // allocating: its owner is `vmid`
    const owners = volumeGuests(volume);
    if (owners.length > 0) addGuests(t, owners);
    else t.nodeAdmin = { node, what: `changing ${volume}, which no guest owns` };
    return;
  }
  if (what === "prunebackups") {
    if (guestIds(p.vmid).length === 0) {
      t.allGuests = { what: `pruning backups on ${storage} without a vmid` };
    }
    return;
  }
  if (what !== undefined && STORAGE_ADDS.has(what)) return;
  t.nodeAdmin = { node, what: THIS };
}

/** vzdump and backup jobs: guests by `vmid`, by `pool`, or all (`all`, optionally one node's). */
function backupTargets(t: Touch, p: Params, used: Set<string>, node?: string) {
  used.add("exclude"); // excluding guests reaches none of them
  const pool = str(p.pool);
  if (pool) {
    used.add("pool");
    t.poolMembers.push(pool);
  }
  if (truthy(p.all)) {
    const on = node ?? str(p.node);
    t.allGuests = { what: `a backup of every guest${on ? ` on ${on}` : ""}`, node: on };
  }
}

function onCluster(t: Touch, method: string, s: readonly string[], p: Params, used: Set<string>) {
  const write = method !== "GET";
  const [what, a, b] = [s[1], s[2], s[3]];
  if (what === "ha" && a === "resources") {
    if (b !== undefined) t.guests.push({ vmid: sidGuest(b) ?? Number.NaN });
    return;
  }
  if (what === "replication") {
    if (a !== undefined) t.guests.push({ vmid: replicationGuest(a) ?? Number.NaN });
    else if (method === "POST") {
      used.add("id");
      t.guests.push({ vmid: replicationGuest(str(p.id) ?? "") ?? Number.NaN });
    }
    return;
  }
  // Node configuration kept at cluster level: corosync membership, SDN fabric nodes.
  if (what === "config" && a === "nodes" && b !== undefined) t.nodes.push(b);
  if (what === "sdn" && a === "fabrics" && b === "node" && s[5] !== undefined) t.nodes.push(s[5]);
  if (what === "nextid") {
    // Asking whether an id is free: a guest that may not exist yet.
    used.add("vmid");
    for (const vmid of guestIds(p.vmid)) t.newGuests.push({ vmid });
    return;
  }
  if (!write) return;
  if (what === "backup" && a === undefined && method === "POST") {
    used.add("id");
    backupTargets(t, p, used);
    return;
  }
  if (what === "bulk-action" && a === "guest") {
    if (guestIds(p.vms).length === 0)
      t.allGuests = { what: `${s[3] ?? "a bulk action"} of every guest` };
    return;
  }
  t.clusterWide = THIS;
}

function onPools(t: Touch, write: boolean, s: readonly string[], p: Params) {
  const pool = s[1] ?? str(p.poolid);
  if (pool !== undefined) t.pools.push(pool);
  if (!write) return;
  const membersOnly = p.vms !== undefined && p.storage === undefined;
  if (!membersOnly) t.poolConfig = pool ?? "(no pool id)";
}

function onAccess(t: Touch, method: string, s: readonly string[], p: Params, used: Set<string>) {
  const what = s[1];
  if (what === "acl" || what === "permissions") {
    used.add("path");
    const path = str(p.path);
    if (path === undefined) {
      if (method !== "GET") t.clusterWide = `/access/${what} without a path`;
      return;
    }
    const target = aclTarget(path);
    if (target.kind === "guest") t.guests.push({ vmid: target.vmid });
    else if (target.kind === "pool") {
      t.pools.push(target.pool);
      t.poolMembers.push(target.pool);
    } else if (target.kind === "node") {
      t.nodes.push(target.node);
      if (method !== "GET") t.nodeAdmin = { node: target.node, what: `an ACL on ${path}` };
    } else if (method !== "GET") t.clusterWide = target.what;
    return;
  }
  if (method !== "GET") t.clusterWide = THIS;
}

/** Keys whose values are text of people or of the guest's inside: never read as object names. */
const FREE_TEXT = new Set([
  "description",
  "comment",
  "notes",
  "notes-template",
  "name",
  "hostname",
  "tags",
  "command",
  "input-data",
  "content",
  "file",
  "username",
  "password",
  "cipassword",
  "ciuser",
  "sshkeys",
  "searchdomain",
  "nameserver",
  "exclude",
]);
const GUEST_KEYS = new Set(["vmid", "newid", "target-vmid", "guest", "vms"]);
const NODE_KEYS = new Set([
  "node",
  "target_node",
  "migratedfrom",
  "check-node",
  "node-list",
  "nodes",
  "exitnodes",
  "exitnodes-primary",
]);
/** Disks and mount points: a value that is a host path reaches the host, not a volume. */
const DISK_KEY = /^(?:ide|sata|scsi|virtio|efidisk|tpmstate|unused|mp|rootfs)\d*$/;
/** Run as root on the host or hand it a host device: hook scripts, raw QEMU args, LXC devices. */
const HOST_KEY = /^(?:hookscript|args|dev\d+)$/;
/**
 * Hand a VM the host's hardware or files: PCI passthrough (a disk controller is every guest's
 * data), the host's parallel ports, a host directory (virtiofs), a host USB device, a host
 * serial port.
 */
const HOST_DEVICE_KEY = /^(?:hostpci|parallel|virtiofs)\d+$/;
const hostUsb = (key: string, text: string) => /^usb\d+$/.test(key) && /(?:^|,)host=/.test(text);
const hostSerial = (key: string, text: string) => /^serial\d+$/.test(key) && text.startsWith("/");

function scanParams(t: Touch, write: boolean, p: Params, used: ReadonlySet<string>) {
  for (const key in p) {
    const value = p[key];
    if (value === undefined || value === null || used.has(key) || FREE_TEXT.has(key)) continue;
    if (GUEST_KEYS.has(key)) {
      addGuests(t, guestIds(value));
    } else if (key === "sid") {
      t.guests.push({ vmid: sidGuest(String(value)) ?? Number.NaN });
    } else if (key === "resources" || key === "resource") {
      addGuests(t, sidGuests(value));
    } else if (NODE_KEYS.has(key)) {
      t.nodes.push(...nodeNames(value));
    } else if (key === "target") {
      // A node (migrate, clone, replication), or a volume (copying storage content).
      const text = String(value);
      const owners = volumeGuests(text);
      if (owners.length > 0) addGuests(t, owners);
      else if (isNodeName(text)) t.nodes.push(text);
    } else if (key === "pool" || key === "poolid") {
      t.pools.push(String(value));
    } else if (key === "upid") {
      const owner = taskOwner(String(value));
      if (owner) {
        t.nodes.push(owner.node);
        if (owner.guest !== undefined) t.guests.push({ vmid: owner.guest, node: owner.node });
      }
    } else {
      const text = Array.isArray(value) ? value.join(",") : String(value);
      addGuests(t, volumeGuests(text));
      if (write && t.nodes[0] !== undefined && reachesHost(key, text)) {
        t.nodeAdmin ??= { node: t.nodes[0], what: `${key} reaching the host (${key}=…)` };
      }
    }
  }
}

function reachesHost(key: string, text: string): boolean {
  if (HOST_KEY.test(key) || HOST_DEVICE_KEY.test(key)) return true;
  if (hostUsb(key, text) || hostSerial(key, text)) return true;
  if (/(?:^|,)import-from=\//.test(text)) return true;
  if (!DISK_KEY.test(key)) return false;
  const volume = text.split(",")[0]?.replace(/^(?:file|volume)=/, "") ?? "";
  return volume.startsWith("/");
}

/** /nodes/{node}/execute runs API calls given as JSON: each is judged like a request of its own. */
function executed(commands: unknown): Touch {
  let list: unknown;
  try {
    list = typeof commands === "string" ? JSON.parse(commands) : commands;
  } catch {
    list = undefined;
  }
  const t = emptyTouch();
  if (!Array.isArray(list)) {
    t.clusterWide = "commands the guard cannot read";
    return t;
  }
  for (const c of list as { method?: unknown; path?: unknown; args?: unknown }[]) {
    const method = typeof c?.method === "string" ? c.method.toUpperCase() : "GET";
    const path = typeof c?.path === "string" ? c.path : "";
    const args = c?.args && typeof c.args === "object" ? (c.args as Params) : {};
    const segments = path.split("/").filter(Boolean);
    if (segments.some((x) => x === "." || x === "..")) {
      t.clusterWide = `the command path ${path}`;
      continue;
    }
    merge(t, attribute(method, segments, args));
  }
  return t;
}

function merge(into: Touch, from: Touch): void {
  into.nodes.push(...from.nodes);
  into.guests.push(...from.guests);
  into.newGuests.push(...from.newGuests);
  into.pools.push(...from.pools);
  into.poolMembers.push(...from.poolMembers);
  into.poolConfig ??= from.poolConfig;
  into.allGuests ??= from.allGuests;
  into.clusterWide ??= from.clusterWide;
  into.nodeAdmin ??= from.nodeAdmin;
}

function addGuests(t: Touch, vmids: readonly number[]) {
  for (const vmid of vmids) t.guests.push({ vmid });
}

const str = (v: unknown): string | undefined =>
  typeof v === "string" && v !== "" ? v : typeof v === "number" ? String(v) : undefined;

const truthy = (v: unknown): boolean => v === true || v === 1 || v === "1" || v === "true";
