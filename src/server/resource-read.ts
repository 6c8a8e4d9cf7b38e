// What the MCP resources are made of: a pve:// URI parsed to what it names, read from Proxmox
// as JSON text, and listed from one /cluster/resources call. Loaded on the first resource
// request, not at start. Every read holds the scope (allowed_* settings).

import type { Resource } from "@modelcontextprotocol/sdk/types.js";
import type { Scope } from "../pve/index.ts";
import {
  clusterResources,
  guestPath,
  type PveClient,
  type Resource as PveResource,
  parseUpid,
  readTaskLog,
  resolveGuest,
  segment,
} from "../pve/index.ts";
import { invalidParams, resourceNotFound } from "./rpc-errors.ts";

export type ResourceRef =
  | { kind: "inventory" }
  | { kind: "vms" }
  | { kind: "node"; node: string }
  | { kind: "guest"; vmid: number; part: "config" | "status" }
  | { kind: "storage"; node: string; storage: string }
  | { kind: "task-log"; upid: string };

export function parseUri(uri: string): ResourceRef | undefined {
  if (uri === "pve://cluster/resources") return { kind: "inventory" };
  if (uri === "proxmox://vms") return { kind: "vms" };
  const m = /^pve:\/\/([^/]+)\/(.+)$/.exec(uri);
  if (!m) return undefined;
  const parts = (m[2] ?? "").split("/").map(decode);
  switch (`${m[1]}/${parts.length}`) {
    case "nodes/2":
      return parts[1] === "status" ? { kind: "node", node: parts[0] ?? "" } : undefined;
    case "guests/2": {
      const vmid = Number(parts[0]);
      const part = parts[1];
      if (!/^\d+$/.test(parts[0] ?? "") || (part !== "config" && part !== "status"))
        return undefined;
      return { kind: "guest", vmid, part };
    }
    case "storage/3":
      return parts[2] === "content"
        ? { kind: "storage", node: parts[0] ?? "", storage: parts[1] ?? "" }
        : undefined;
    case "tasks/2":
      return parts[1] === "log" ? { kind: "task-log", upid: parts[0] ?? "" } : undefined;
    default:
      return undefined;
  }
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export interface ReadResult {
  uri: string;
  mimeType: "application/json";
  text: string;
  /** The part of the content whose change is worth a notifications/resources/updated. */
  watch: unknown;
}

const outside = (what: string, scope: Scope) =>
  invalidParams(`${what} is outside this server's scope (allowed: ${scope.describe()})`);

export async function readResource(
  pve: PveClient,
  scope: Scope,
  uri: string,
  signal?: AbortSignal,
): Promise<ReadResult> {
  const ref = parseUri(uri);
  if (!ref) throw resourceNotFound(uri);
  const [data, watch] = await readRef(pve, scope, ref, signal);
  return { uri, mimeType: "application/json", text: JSON.stringify(data), watch };
}

async function readRef(
  pve: PveClient,
  scope: Scope,
  ref: ResourceRef,
  signal?: AbortSignal,
): Promise<[unknown, unknown]> {
  switch (ref.kind) {
    case "inventory":
    case "vms": {
      const rows = inScope(
        await clusterResources(pve, ref.kind === "vms" ? "vm" : undefined, signal),
        scope,
      );
      return [rows, rows.map(identity)];
    }
    case "node": {
      if (!scope.allowsNode(ref.node)) throw outside(`node ${ref.node}`, scope);
      const status = await pve.get<Record<string, unknown>>(
        `/nodes/${segment("node", ref.node)}/status`,
        undefined,
        { signal },
      );
      // Load and memory move every second; a reboot or an upgrade is the news.
      const uptime = Number(status.uptime ?? 0);
      const booted = Math.round((Date.now() / 1000 - uptime) / 60);
      return [
        { node: ref.node, ...status },
        { booted, pveversion: status.pveversion, kversion: status.kversion },
      ];
    }
    case "guest": {
      const guest = await resolveGuest(pve, ref.vmid, {}, signal);
      if (!scope.allowsGuest(guest)) throw outside(`guest ${ref.vmid}`, scope);
      const suffix = ref.part === "config" ? "/config" : "/status/current";
      const data = await pve.get<Record<string, unknown>>(guestPath(guest, suffix), undefined, {
        signal,
      });
      const out = { vmid: guest.vmid, node: guest.node, type: guest.type, ...data };
      if (ref.part === "config") return [out, out];
      const { status, qmpstatus, lock, name, template, tags, ha } = data as Record<string, unknown>;
      return [out, { node: guest.node, status, qmpstatus, lock, name, template, tags, ha }];
    }
    case "storage": {
      if (!scope.allowsNode(ref.node)) throw outside(`node ${ref.node}`, scope);
      const rows = await pve.get<{ volid: string; vmid?: number }[]>(
        `/nodes/${segment("node", ref.node)}/storage/${segment("storage", ref.storage)}/content`,
        undefined,
        { signal },
      );
      const visible = rows.filter((r) => r.vmid === undefined || scope.allowsVmid(Number(r.vmid)));
      return [visible, visible.map((r) => r.volid).sort()];
    }
    case "task-log": {
      const task = parseUpid(ref.upid);
      if (!task) throw resourceNotFound(`pve://tasks/${ref.upid}/log`, "not a task id");
      if (!scope.allowsNode(task.node)) throw outside(`task of node ${task.node}`, scope);
      const lines = await readTaskLog(pve, task.upid, 0, 0, signal);
      const data = { upid: task.upid, node: task.node, lines: lines.map((l) => l.t) };
      return [data, [lines.length, lines.at(-1)?.t]];
    }
  }
}

function inScope(rows: PveResource[], scope: Scope): PveResource[] {
  return rows.filter((r) => {
    if (r.type === "qemu" || r.type === "lxc")
      return scope.allowsGuest({ ...r, vmid: r.vmid ?? 0 });
    return !r.node || scope.allowsNode(r.node);
  });
}

/** What changes in the inventory when something happens (not the load figures). */
const identity = (r: PveResource) => [
  r.id,
  r.status,
  r.node,
  r.name,
  r.lock,
  r.template,
  r.hastate,
  r.tags,
  r.pool,
];

const PAGE = 100;

/** `VM 100 (web)`; PVE's default names (`VM 100`, `CT100`) add nothing. */
export function guestLabel(g: PveResource): string {
  const kind = g.type === "qemu" ? "VM" : "CT";
  const named = g.name && g.name !== `VM ${g.vmid}` && g.name !== `CT${g.vmid}`;
  return `${kind} ${g.vmid}${named ? ` (${g.name})` : ""}`;
}

/** resources/list: the concrete resources, from one inventory call, in pages of 100. */
export async function listResources(
  pve: PveClient,
  scope: Scope,
  cursor: string | undefined,
  signal?: AbortSignal,
): Promise<{ resources: Resource[]; nextCursor?: string }> {
  const offset = cursor === undefined ? 0 : Number(cursor);
  if (!Number.isInteger(offset) || offset < 0) {
    throw invalidParams(
      `Invalid params for resources/list: cursor ${JSON.stringify(cursor)} is not one this server gave`,
    );
  }
  const rows = inScope(await clusterResources(pve, undefined, signal), scope);
  const json = { mimeType: "application/json" };
  const all: Resource[] = [
    {
      uri: "pve://cluster/resources",
      name: "cluster-resources",
      title: "Cluster inventory",
      description: "Every node, guest and storage of the cluster with status and usage",
      ...json,
    },
    {
      uri: "proxmox://vms",
      name: "vms",
      title: "All VMs and containers",
      description: "Every guest (qemu and lxc) with node, status and usage",
      ...json,
    },
  ];
  const sorted = (type: string, key: (r: PveResource) => string) =>
    rows
      .filter((r) => r.type === type)
      .sort((a, b) => key(a).localeCompare(key(b), undefined, { numeric: true }));
  for (const n of sorted("node", (r) => r.node ?? "")) {
    all.push({
      uri: `pve://nodes/${encodeURIComponent(n.node ?? "")}/status`,
      name: `node-${n.node}-status`,
      title: `Node ${n.node}: status`,
      ...json,
    });
  }
  const guests = rows
    .filter((r) => r.type === "qemu" || r.type === "lxc")
    .sort((a, b) => (a.vmid ?? 0) - (b.vmid ?? 0));
  for (const g of guests) {
    const label = guestLabel(g);
    for (const part of ["config", "status"] as const) {
      all.push({
        uri: `pve://guests/${g.vmid}/${part}`,
        name: `guest-${g.vmid}-${part}`,
        title: `${label}: ${part}`,
        ...json,
      });
    }
  }
  for (const s of sorted("storage", (r) => `${r.node}/${r.storage}`)) {
    all.push({
      uri: `pve://storage/${encodeURIComponent(s.node ?? "")}/${encodeURIComponent(s.storage ?? "")}/content`,
      name: `storage-${s.node}-${s.storage}-content`,
      title: `Storage ${s.storage} on ${s.node}: content`,
      ...json,
    });
  }
  const page = all.slice(offset, offset + PAGE);
  return offset + PAGE < all.length
    ? { resources: page, nextCursor: String(offset + PAGE) }
    : { resources: page };
}
