// Pieces every VM/container tool shares: the guest arguments and output fields, the guest's
// live status and config, the next free vmid, and config writes that report pending changes.

import { z } from "zod";
import { type GuestRef, guestPath } from "../pve/index.ts";
import { guestType, nodeOptional, vmid } from "./args.ts";
import { type EndpointRef, guestEndpoints, type ToolContext } from "./define.ts";
import { ToolError } from "./errors.ts";
import { describeGuest } from "./guest-ref.ts";
import { settleTask, TASK_ENDPOINTS, type TaskFields } from "./task-result.ts";

/** node (optional), vmid, type (detected): the seed's arguments, improved. */
export const guestArgs = { node: nodeOptional, vmid, type: guestType };

export const guestFields = {
  vmid: z.number(),
  node: z.string(),
  type: z.enum(["qemu", "lxc"]),
};

export const guestData = (g: GuestRef) => ({ vmid: g.vmid, node: g.node, type: g.type });

export const kindWord = (g: GuestRef): string => (g.type === "qemu" ? "VM" : "CT");

/** A Proxmox property-string fragment passed through as-is (`key=value,key=value`). */
export const extraOptions = z
  .string()
  .max(512)
  .regex(
    /^[a-zA-Z0-9_-]+=[^,\s=]*(,[a-zA-Z0-9_-]+=[^,\s=]*)*$/,
    "expected key=value pairs separated by commas",
  )
  .optional()
  .describe("More options in Proxmox syntax, appended as-is (e.g. iothread=1,ssd=1)");

export interface LiveStatus {
  status: "running" | "stopped";
  qmpstatus?: string;
  lock?: string;
  name?: string;
  template?: number;
}

/** The guest's status now (the inventory lags a few seconds behind). */
export function liveStatus(ctx: ToolContext, guest: GuestRef): Promise<LiveStatus> {
  return ctx.pve.get<LiveStatus>(guestPath(guest, "/status/current"), undefined, {
    signal: ctx.signal,
  });
}

export function readConfig(
  ctx: ToolContext,
  guest: GuestRef,
  current?: boolean,
): Promise<Record<string, string | number>> {
  return ctx.pve.get(guestPath(guest, "/config"), current ? { current: true } : undefined, {
    signal: ctx.signal,
  });
}

/** The next free vmid from /cluster/nextid (a string on the wire), inside this server's scope. */
export async function nextVmid(ctx: ToolContext): Promise<number> {
  const id = Number(
    await ctx.pve.get<string>("/cluster/nextid", undefined, { signal: ctx.signal }),
  );
  if (!ctx.scope.allowsVmid(id)) {
    throw new ToolError(
      `the next free vmid ${id} is outside this server's scope (allowed: ${ctx.scope.describe()})`,
      "Pass a vmid inside the allowed range.",
    );
  }
  return id;
}

export interface PendingRow {
  key: string;
  value?: string | number;
  pending?: string | number;
  delete?: number;
}

export interface ConfigWrite extends TaskFields {
  /** Keys of this change that wait for the next start of the running guest. */
  pending: string[];
}

type Kind = "qemu" | "lxc";

/**
 * What writeConfig calls with these parameter names: QEMU's POST (a task), LXC's PUT, then the
 * live status and the pending list.
 */
export function configWriteEndpoints(
  params: readonly string[],
  kinds: readonly Kind[] = ["qemu", "lxc"],
): EndpointRef[] {
  return [
    ...(kinds.includes("qemu")
      ? [...guestEndpoints("POST", "/config", params, ["qemu"]), ...TASK_ENDPOINTS]
      : []),
    ...(kinds.includes("lxc") ? guestEndpoints("PUT", "/config", params, ["lxc"]) : []),
    ...guestEndpoints("GET", "/status/current", [], kinds),
    ...guestEndpoints("GET", "/pending", [], kinds),
  ];
}

/** GET …/config (readConfig), for the kinds given. */
export const configReadEndpoints = (kinds: readonly Kind[] = ["qemu", "lxc"]): EndpointRef[] =>
  guestEndpoints("GET", "/config", ["current"], kinds);

/** GET …/status/current (liveStatus), for the kinds given. */
export const liveStatusEndpoints = (kinds: readonly Kind[] = ["qemu", "lxc"]): EndpointRef[] =>
  guestEndpoints("GET", "/status/current", [], kinds);

/** GET /cluster/nextid (nextVmid). */
export const NEXT_ID: EndpointRef = { method: "GET", path: "/cluster/nextid", params: ["vmid"] };

/**
 * Writes config keys. QEMU goes through the async POST (disk allocation and hotplug may take a
 * while: a qmconfig task), LXC through PUT. On a running guest, reads back which of the keys
 * PVE kept pending until the next start.
 */
export async function writeConfig(
  ctx: ToolContext,
  guest: GuestRef,
  params: Record<string, string | number | boolean | undefined>,
  what: string,
  running?: boolean,
): Promise<ConfigWrite> {
  const path = guestPath(guest, "/config");
  let task: TaskFields = { task_status: "ok" };
  if (guest.type === "qemu") {
    const upid = await ctx.pve.post(path, params, { signal: ctx.signal });
    task = await settleTask(ctx, upid, what);
  } else await ctx.pve.put(path, params, { signal: ctx.signal });
  const isRunning = running ?? (await liveStatus(ctx, guest)).status === "running";
  if (!isRunning) return { ...task, pending: [] };
  const keys = new Set(
    Object.keys(params)
      .filter((k) => !["delete", "digest", "force", "revert"].includes(k))
      .concat(String(params.delete ?? "").split(/[,;\s]+/)),
  );
  const rows = await ctx.pve.get<PendingRow[]>(guestPath(guest, "/pending"), undefined, {
    signal: ctx.signal,
  });
  const pending = rows
    .filter((r) => keys.has(r.key) && (r.pending !== undefined || r.delete))
    .map((r) => r.key);
  return { ...task, pending };
}

/** "…; cores, memory apply at the next start (pending)" when something waits. */
export function pendingNote(guest: GuestRef, pending: string[]): string {
  if (pending.length === 0) return "";
  return `; ${pending.join(", ")} ${pending.length === 1 ? "applies" : "apply"} at the next start of ${describeGuest(guest)} (pending: see get_pending_config)`;
}

export const pendingField = z
  .array(z.string())
  .describe("Keys that wait for the next start of the running guest (see get_pending_config)");

/** How many numbered slots PVE has for each kind of device key (scsi0…scsi30, net0…net31…). */
export const SLOTS = {
  scsi: 31,
  virtio: 16,
  sata: 6,
  ide: 4,
  mp: 256,
  net: 32,
  hostpci: 16,
  usb: 5,
} as const;

/** The first free `<prefix>N` in the config (pending values count as taken). */
export function freeSlot(config: Record<string, unknown>, prefix: keyof typeof SLOTS): string {
  for (let n = 0; n < SLOTS[prefix]; n++) {
    if (config[`${prefix}${n}`] === undefined) return `${prefix}${n}`;
  }
  throw new ToolError(
    `no free ${prefix} slot left (${prefix}0 … ${prefix}${SLOTS[prefix] - 1} are in use)`,
  );
}
