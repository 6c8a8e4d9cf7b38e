// How PVE writes the objects a value names: guest id lists, HA sids, volume ids (also inside
// property strings), UPIDs, ACL paths, node lists. Each parser is lenient about separators and
// finds every object a value could name: for a guard, a false find refuses, a miss lets through.

import { parseUpid } from "../upid.ts";

/** `100`, `"100,101"`, `"100;101 102"`, `["100", 101]` → [100, 101, 102]. */
export function guestIds(value: unknown): number[] {
  if (typeof value === "number") return Number.isInteger(value) && value > 0 ? [value] : [];
  const items = Array.isArray(value) ? value : typeof value === "string" ? [value] : [];
  const out: number[] = [];
  for (const item of items) {
    for (const part of String(item).split(/[\s,;]+/)) {
      if (/^\d+$/.test(part)) out.push(Number(part));
    }
  }
  return out;
}

/** An HA resource id: `vm:100`, `ct:200`, or a bare `100`. */
export function sidGuest(sid: string): number | undefined {
  const m = /^(?:(?:vm|ct):)?(\d+)$/.exec(sid.trim());
  return m ? Number(m[1]) : undefined;
}

/** `vm:100,ct:200` (HA rules' `resources`) → [100, 200]; unknown resource types are kept as NaN. */
export function sidGuests(value: unknown): number[] {
  if (typeof value !== "string" && !Array.isArray(value)) return [];
  const items = (Array.isArray(value) ? value.map(String) : value.split(/[\s,;]+/)).filter(Boolean);
  return items.map((s) => sidGuest(s) ?? Number.NaN);
}

const NODE = /^[a-zA-Z0-9][a-zA-Z0-9.-]*$/;

export const isNodeName = (value: string): boolean => NODE.test(value);

/** `pve1`, `pve1:2,pve2` (HA node lists with priorities), arrays → node names. */
export function nodeNames(value: unknown): string[] {
  const items = Array.isArray(value) ? value.map(String) : typeof value === "string" ? [value] : [];
  const out: string[] = [];
  for (const item of items) {
    for (const part of item.split(/[\s,;]+/)) {
      const name = part.replace(/:\d+$/, "");
      if (name && isNodeName(name)) out.push(name);
    }
  }
  return out;
}

// Volume names that carry their owner: vm-100-disk-0, base-104-disk-0, subvol-200-disk-1,
// basevol-…, vm-100-cloudinit, vm-100-state-snap; backups vzdump-qemu-100-…; PBS snapshots
// backup/vm/100/…; directory layouts images/100/….
const VOLUME_OWNER =
  /(?:^|[^A-Za-z0-9])(?:vm|base|subvol|basevol)-(\d+)-|vzdump-(?:qemu|lxc|openvz)-(\d+)-|(?:^|[:/])(?:vm|ct)\/(\d+)\/|(?:^|[:/])images\/(\d+)\//g;

/** The guests whose volumes a text names (a volume id, a property string, a path). */
export function volumeGuests(text: string): number[] {
  if (!/\d/.test(text)) return [];
  const out: number[] = [];
  for (const m of text.matchAll(VOLUME_OWNER)) {
    out.push(Number(m[1] ?? m[2] ?? m[3] ?? m[4]));
  }
  return out;
}

const UPID_IN_TEXT =
  /UPID:[^\s:]+:[0-9A-Fa-f]{8}:[0-9A-Fa-f]{8,9}:[0-9A-Fa-f]{8}:[^\s:]*:[^\s:]*:[^\s:]+:/g;

/** UPIDs written inside a text (a cluster log line: `end task UPID:… OK`). */
export const upidsIn = (text: string): string[] =>
  text.includes("UPID:") ? (text.match(UPID_IN_TEXT) ?? []) : [];

export interface TaskOwner {
  node: string;
  /** The guest of a guest task (its UPID's id field is a vmid). */
  guest?: number;
  type: string;
}

/** Node and guest of a task: the UPID's node field, and its id field when that is a vmid. */
export function taskOwner(upid: string): TaskOwner | undefined {
  const parsed = parseUpid(upid);
  if (!parsed) return undefined;
  const guest = /^\d+$/.test(parsed.id) ? Number(parsed.id) : undefined;
  return { node: parsed.node, guest, type: parsed.type };
}

/** What an ACL path names: `/vms/100`, `/pool/prod`, `/storage/local`, `/nodes/pve1`, or more. */
export type AclTarget =
  | { kind: "guest"; vmid: number }
  | { kind: "pool"; pool: string }
  | { kind: "node"; node: string }
  | { kind: "cluster"; what: string };

export function aclTarget(path: string): AclTarget {
  const parts = path.split("/").filter(Boolean);
  const [area, name, ...rest] = parts;
  if (area === "vms" && name && /^\d+$/.test(name) && rest.length === 0) {
    return { kind: "guest", vmid: Number(name) };
  }
  if (area === "pool" && name && rest.length === 0) return { kind: "pool", pool: name };
  if (area === "nodes" && name && rest.length === 0) return { kind: "node", node: name };
  return { kind: "cluster", what: `the ACL path ${path || "/"}` };
}

/** `100-0` (replication job: guest 100, job 0) → 100. */
export function replicationGuest(id: string): number | undefined {
  const m = /^(\d+)-\d+$/.exec(id);
  return m ? Number(m[1]) : undefined;
}
