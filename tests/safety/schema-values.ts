// Values for every (method, path) of the API schema in force that name an object the scope
// limits: nodes, guests (path ids, vmid lists, HA sids, replication ids, UPIDs, ACL paths,
// volume ids also inside disk property strings) and pools. For the guard's property test: each
// can be drawn inside or outside a scope. Which parameters name what is read from the schema's
// own formats (pve-node, pve-vmid, pve-vmid-list, pve-ha-resource-or-vm-id…), not from the
// guard's code.

import fc from "fast-check";
import { loadEndpoints } from "../support/api-schema.ts";

export type Kind =
  | "node"
  | "guest"
  | "upid"
  | "sid"
  | "sids"
  | "replication"
  | "volume"
  | "disk"
  | "acl"
  | "pool";

export interface Naming {
  name: string;
  kind: Kind;
  inPath: boolean;
}

export interface SchemaEndpoint {
  method: string;
  template: string;
  naming: Naming[];
}

interface Prop {
  type?: string;
  format?: unknown;
  items?: { format?: unknown };
}

const DISK = /^(?:ide|sata|scsi|virtio|efidisk|tpmstate|unused|mp|rootfs)(?:\[n\]|\d*)$/;

/** Which parameter of this endpoint names what, by the schema's formats and PVE's names. */
function kindOf(template: string, name: string, p: Prop): Kind | undefined {
  const format = typeof p.format === "string" ? p.format : undefined;
  const itemFormat = typeof p.items?.format === "string" ? p.items.format : undefined;
  if (name === "upid") return "upid";
  if (name === "id" && format === "pve-replication-job-id") return "replication";
  if (name === "id" && /\/replication\/\{id\}/.test(template)) return "replication";
  if (format === "pve-ha-resource-or-vm-id") return "sid";
  if (format === "pve-ha-resource-id-list") return "sids";
  if (name === "resource" && template.startsWith("/cluster/ha/rules")) return "sid";
  // `exclude` leaves guests out; replication's `source` is PVE's own bookkeeping.
  if (name === "exclude" || name === "source") return undefined;
  if (format === "pve-node" || format === "pve-node-list" || format === "pve-ha-node-list") {
    return "node";
  }
  if (format === "pve-vmid" || format === "pve-vmid-list" || itemFormat === "pve-vmid") {
    return "guest";
  }
  if (name === "vms") return "guest";
  if (name === "volume" || name === "archive" || name === "ostemplate") return "volume";
  if (DISK.test(name) && p.format && typeof p.format === "object") return "disk";
  if (name === "path" && /^\/access\/(?:acl|permissions)$/.test(template)) return "acl";
  if (name === "pool" || name === "poolid") return "pool";
  return undefined;
}

export function schemaEndpoints(): SchemaEndpoint[] {
  return loadEndpoints().map((e) => {
    const naming: Naming[] = [];
    for (const [name, prop] of Object.entries(e.properties)) {
      const kind = kindOf(e.template, name, prop as Prop);
      if (kind) naming.push({ name, kind, inPath: e.template.includes(`{${name}}`) });
    }
    return { method: e.method, template: e.template, naming };
  });
}

export interface Side {
  nodes: readonly string[];
  guests: readonly number[];
  pools: readonly string[];
}

const hex = (n: number, width = 8) => n.toString(16).toUpperCase().padStart(width, "0");

/** A value of this kind naming objects of the given side only. */
export function drawValue(kind: Kind, side: Side): fc.Arbitrary<string> {
  const node = fc.constantFrom(...side.nodes);
  const guest = fc.constantFrom(...side.guests);
  switch (kind) {
    case "node":
      return node;
    case "guest":
      return guest.map(String);
    case "upid":
      return fc
        .tuple(node, guest, fc.constantFrom("qmstart", "vzdump", "qmigrate", "vzstop"), fc.nat())
        .map(
          ([n, g, type, pid]) =>
            `UPID:${n}:${hex(pid % 0xffffff)}:0012AB34:65F1A2B3:${type}:${g}:root@pam:`,
        );
    case "sid":
      return fc.tuple(fc.constantFrom("vm:", "ct:", ""), guest).map(([p, g]) => `${p}${g}`);
    case "sids":
      return fc
        .array(guest, { minLength: 1, maxLength: 3 })
        .map((gs) => gs.map((g) => `vm:${g}`).join(","));
    case "replication":
      return fc.tuple(guest, fc.nat(9)).map(([g, j]) => `${g}-${j}`);
    case "volume":
      return fc
        .tuple(guest, fc.nat(3))
        .chain(([g, d]) =>
          fc.constantFrom(
            `local-lvm:vm-${g}-disk-${d}`,
            `local-lvm:base-${g}-disk-${d}`,
            `local-zfs:subvol-${g}-disk-${d}`,
            `local:${g}/vm-${g}-disk-${d}.qcow2`,
            `local:backup/vzdump-qemu-${g}-2026_11_20-01_00_03.vma.zst`,
            `local:backup/vzdump-lxc-${g}-2026_11_20-01_00_03.tar.zst`,
            `pbs:backup/vm/${g}/2026-11-20T01:00:03Z`,
          ),
        );
    case "disk":
      return fc
        .tuple(guest, fc.nat(3))
        .chain(([g, d]) =>
          fc.constantFrom(
            `local-lvm:vm-${g}-disk-${d},size=8G`,
            `local-lvm:4,import-from=local-lvm:vm-${g}-disk-${d}`,
            `local:${g}/vm-${g}-disk-${d}.qcow2,cache=none`,
          ),
        );
    case "acl":
      return guest.map((g) => `/vms/${g}`);
    case "pool":
      return fc.constantFrom(...side.pools);
  }
}

/** Kinds whose out-of-scope value a scope that limits only these things can tell. */
export function limited(kind: Kind, limits: { nodes: boolean; guests: boolean; pools: boolean }) {
  if (kind === "node") return limits.nodes;
  if (kind === "pool") return limits.pools;
  if (kind === "upid") return limits.nodes || limits.guests;
  return limits.guests;
}

/** The request path with path parameters filled in (encoded, as the client sends them). */
export function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{([^}]+)\}/g, (_, name: string) =>
    encodeURIComponent(values[name] ?? "x1"),
  );
}
