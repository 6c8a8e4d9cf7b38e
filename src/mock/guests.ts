// Guest lookup, status shapes and config handling shared by the qemu and lxc routes.
import { fail } from "./errors.ts";
import { configDigest, normalizeTags, parsePropertyString, printPropertyString } from "./format.ts";
import type { Params, ParamTable } from "./params.ts";
import {
  type ClusterState,
  type ConfigValue,
  type GuestType,
  guestCpus,
  guestMaxdisk,
  guestMaxmem,
  guestName,
  isTemplate,
  type MockGuest,
} from "./state.ts";

export const typeWord = (type: GuestType): string => (type === "qemu" ? "VM" : "CT");

export function configPath(type: GuestType, node: string, vmid: number): string {
  return `nodes/${node}/${type === "qemu" ? "qemu-server" : "lxc"}/${vmid}.conf`;
}

/** Loads a guest the way load_config does: only from the node named in the path. */
export function loadGuest(
  state: ClusterState,
  type: GuestType,
  node: string,
  vmid: number,
): MockGuest {
  const guest = state.guests.get(vmid);
  if (!guest || guest.type !== type || guest.node !== node) {
    throw fail(`Configuration file '${configPath(type, node, vmid)}' does not exist`);
  }
  return guest;
}

/** The lock check of AbstractConfig: "VM is locked (backup)" / "CT is locked (backup)". */
export function lockError(guest: MockGuest): string | undefined {
  const lock = guest.lock;
  return lock ? `${typeWord(guest.type)} is locked (${lock})` : undefined;
}

export function setLock(guest: MockGuest, lock: string | undefined): void {
  guest.lock = lock;
}

export function uptime(guest: MockGuest): number {
  return guest.status === "running" && guest.startedAt
    ? Math.max(0, Math.floor((Date.now() - guest.startedAt) / 1000))
    : 0;
}

/**
 * Pending changes (made while the guest ran) take effect when it starts, as vm_start's
 * vmconfig_apply_pending does: pending deletes first (a detached disk is kept as unusedN).
 */
export function applyPending(guest: MockGuest): void {
  for (const key of guest.pendingDelete ?? []) {
    const value = guest.config[key];
    if (value === undefined) continue;
    if (isDiskKey(guest.type, key) && typeof value === "string" && !value.includes("media=cdrom")) {
      const volid = /^([a-z][a-z0-9\-_.]*:[^,]+)/i.exec(value)?.[1];
      if (volid && !volid.startsWith("/")) {
        let n = 0;
        while (guest.config[`unused${n}`] !== undefined) n++;
        guest.config[`unused${n}`] = volid;
      }
    }
    delete guest.config[key];
  }
  Object.assign(guest.config, guest.pending ?? {});
  guest.pending = undefined;
  guest.pendingDelete = undefined;
}

export function markRunning(guest: MockGuest): void {
  applyPending(guest);
  guest.status = "running";
  if (guest.type === "qemu") guest.qmpstatus = "running";
  guest.startedAt = Date.now();
  guest.pid = 100000 + ((guest.vmid * 7919) % 900000);
  const maxmem = guestMaxmem(guest);
  guest.stats = {
    ...guest.stats,
    cpu: 0.012,
    mem: Math.round(maxmem * 0.31),
    disk: guest.type === "lxc" ? Math.round(guestMaxdisk(guest) * 0.18) : 0,
  };
}

export function markStopped(guest: MockGuest): void {
  guest.status = "stopped";
  if (guest.type === "qemu") guest.qmpstatus = "stopped";
  guest.startedAt = undefined;
  guest.pid = undefined;
  guest.stats = { ...guest.stats, cpu: 0, mem: 0, disk: 0 };
}

/** Keys that only appear when set (tags, lock) and 0/1 template. */
function optionalKeys(guest: MockGuest): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (guest.config.tags) out.tags = guest.config.tags;
  if (guest.lock) out.lock = guest.lock;
  return out;
}

function haInfo(guest: MockGuest): Record<string, unknown> {
  return guest.hastate
    ? { managed: 1, state: guest.hastate, request_state: guest.hastate }
    : { managed: 0 };
}

/** The stats every list and status call shares. */
function baseStats(guest: MockGuest): Record<string, unknown> {
  const running = guest.status === "running";
  const s = guest.stats;
  return {
    vmid: guest.vmid,
    name: guestName(guest),
    status: guest.status,
    uptime: uptime(guest),
    cpu: running ? s.cpu : 0,
    cpus: guestCpus(guest),
    mem: running ? s.mem : 0,
    maxmem: guestMaxmem(guest),
    disk: guest.type === "qemu" ? 0 : s.disk,
    maxdisk: guestMaxdisk(guest),
    netin: s.netin,
    netout: s.netout,
    diskread: s.diskread,
    diskwrite: s.diskwrite,
    ...(running && guest.pid ? { pid: guest.pid } : {}),
  };
}

function lxcExtras(guest: MockGuest): Record<string, unknown> {
  const maxswap = Number(guest.config.swap ?? 512) * 2 ** 20;
  const cpulimit = guest.config.cpulimit;
  return {
    type: "lxc",
    maxswap,
    swap: guest.status === "running" ? Math.round(maxswap * 0.02) : 0,
    // cpus is the cpulimit string when only cpulimit is set.
    ...(cpulimit !== undefined && guest.config.cores === undefined
      ? { cpus: String(cpulimit) }
      : {}),
  };
}

/** One row of GET /nodes/{node}/qemu or /lxc. */
export function listRow(guest: MockGuest, full: boolean): Record<string, unknown> {
  const row: Record<string, unknown> = { ...baseStats(guest), ...optionalKeys(guest) };
  if (isTemplate(guest)) row.template = 1;
  if (guest.type === "qemu") {
    if (full) row.qmpstatus = guest.qmpstatus;
    if (guest.status === "running") row.serial = 0;
  } else Object.assign(row, lxcExtras(guest));
  return row;
}

/** GET …/status/current. */
export function statusCurrent(guest: MockGuest): Record<string, unknown> {
  const out: Record<string, unknown> = {
    ...baseStats(guest),
    ...optionalKeys(guest),
    ha: haInfo(guest),
  };
  if (isTemplate(guest)) out.template = 1;
  if (guest.type === "lxc") return { ...out, ...lxcExtras(guest) };
  const running = guest.status === "running";
  out.qmpstatus = guest.qmpstatus ?? guest.status;
  const agent = parsePropertyString(String(guest.config.agent ?? "0"));
  if (guest.config.agent !== undefined) {
    out.agent = agent.head === "1" || agent.pairs.get("enabled") === "1" ? 1 : 0;
  }
  if (running) {
    const maxmem = guestMaxmem(guest);
    const mem = guest.stats.mem;
    Object.assign(out, {
      memhost: Math.round(mem * 1.08),
      balloon: maxmem,
      freemem: maxmem - mem,
      ballooninfo: {
        actual: maxmem,
        max_mem: maxmem,
        total_mem: maxmem - 2 ** 26,
        free_mem: maxmem - mem,
      },
      "running-machine": String(guest.config.machine ?? "pc-i440fx-10.1+pve0").replace(
        /^pc-q35-10\.1$/,
        "pc-q35-10.1+pve0",
      ),
      "running-qemu": "10.1.2",
      "proxmox-support": {
        "pbs-dirty-bitmap": true,
        "pbs-library-version": "2.0.1",
        "query-bitmap-info": true,
      },
      nics: { [`tap${guest.vmid}i0`]: { netin: guest.stats.netin, netout: guest.stats.netout } },
      serial: 0,
    });
  }
  return out;
}

/** GET …/config: flat keys plus digest. */
/** The config as its file holds it: the lock is a line of the file too. */
function fileConfig(guest: MockGuest): Record<string, ConfigValue> {
  return guest.lock ? { ...guest.config, lock: guest.lock } : { ...guest.config };
}

/** GET …/config: pending values merged in (pending deletes hidden) unless `current`. */
export function configView(guest: MockGuest, current = false): Record<string, ConfigValue> {
  const config = fileConfig(guest);
  if (!current) {
    for (const key of guest.pendingDelete ?? []) delete config[key];
    Object.assign(config, guest.pending ?? {});
  }
  if (typeof config.cipassword === "string") config.cipassword = "**********";
  return { ...config, digest: digestOf(guest) };
}

/** The digest covers the whole file, its [PENDING] section included. */
export function digestOf(guest: MockGuest): string {
  const file: Record<string, ConfigValue> = fileConfig(guest);
  for (const [k, v] of Object.entries(guest.pending ?? {})) file[`pending:${k}`] = v;
  if (guest.pendingDelete?.length) file["pending:delete"] = guest.pendingDelete.join(",");
  return configDigest(file);
}

let macCounter = 0x2e4f1a;
/** New NICs get Proxmox's OUI BC:24:11. */
export function newMac(): string {
  macCounter = (macCounter * 1103515245 + 12345) & 0xffffff;
  const h = macCounter.toString(16).toUpperCase().padStart(6, "0");
  return `BC:24:11:${h.slice(0, 2)}:${h.slice(2, 4)}:${h.slice(4, 6)}`;
}

const QEMU_NIC_MODELS = [
  "virtio",
  "e1000",
  "e1000e",
  "rtl8139",
  "vmxnet3",
  "i82551",
  "ne2k_pci",
  "pcnet",
];

/** net[n] as PVE prints it: `virtio=MAC,bridge=…` (qemu) or `name=eth0,…,hwaddr=MAC,…` (lxc). */
export function normalizeNet(type: GuestType, value: string): string {
  const { head, pairs } = parsePropertyString(value);
  if (type === "qemu") {
    let model = pairs.get("model") ?? head ?? "virtio";
    let mac = pairs.get("macaddr");
    for (const m of QEMU_NIC_MODELS) {
      if (pairs.has(m)) {
        model = m;
        mac = pairs.get(m);
        pairs.delete(m);
      }
    }
    pairs.delete("model");
    pairs.delete("macaddr");
    return printPropertyString(`${model}=${(mac ?? newMac()).toUpperCase()}`, pairs);
  }
  if (head !== undefined) pairs.set("name", head);
  if (!pairs.has("hwaddr")) pairs.set("hwaddr", newMac());
  if (!pairs.has("type")) pairs.set("type", "veth");
  const name = pairs.get("name") ?? "eth0";
  pairs.delete("name");
  return `name=${name},${printPropertyString(undefined, pairs)}`;
}

/** Stores a written value the way the config parser types it: numbers for integers/booleans. */
export function storedValue(
  table: ParamTable,
  key: string,
  value: Params[string],
  type: GuestType,
): ConfigValue {
  const spec = table[key] ?? table[key.replace(/\d+$/, "[n]")];
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value === "number") return spec?.type === "number" ? String(value) : value;
  const text = Array.isArray(value) ? value.join(",") : String(value);
  if (key === "tags") return normalizeTags(text);
  if (/^net\d+$/.test(key)) return normalizeNet(type, text);
  if (key === "memory" && type === "qemu") return /(\d+)/.exec(text)?.[1] ?? text;
  return text;
}

export function isDiskKey(type: GuestType, key: string): boolean {
  return type === "qemu"
    ? /^(scsi|virtio|sata|ide|efidisk|tpmstate)\d+$/.test(key)
    : /^(rootfs|mp\d+)$/.test(key);
}

/** A bridge a NIC may name: one of the node's (OVS) bridges, or an SDN vnet. */
export function bridgeExists(state: ClusterState, node: string, bridge: string): boolean {
  if (state.dc.objects.sdn.vnets.has(bridge)) return true;
  const ifaces = state.dc.system.get(node)?.network ?? [];
  return ifaces.some((i) => i.iface === bridge && (i.type === "bridge" || i.type === "OVSBridge"));
}

/** The first bridge a guest's NICs name (pending values included) that the node lacks. */
export function missingBridge(state: ClusterState, guest: MockGuest): string | undefined {
  const config = { ...guest.config, ...guest.pending };
  for (const [key, value] of Object.entries(config)) {
    if (!/^net\d+$/.test(key)) continue;
    const bridge = parsePropertyString(String(value)).pairs.get("bridge");
    if (bridge && !bridgeExists(state, guest.node, bridge)) return bridge;
  }
  return undefined;
}

/** Where a guest's vmid is already used, as check_vmid_unused words it. */
export function vmidTaken(state: ClusterState, vmid: number): string | undefined {
  const g = state.guests.get(vmid);
  return g ? `${typeWord(g.type)} ${vmid} already exists on node '${g.node}'` : undefined;
}
