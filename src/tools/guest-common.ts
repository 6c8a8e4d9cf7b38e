// Pieces every VM/container tool shares: the guest arguments and output fields, the guest's
// live status and config, the next free vmid, and config writes that report pending changes.

import { z } from "zod";
import {
  CLUSTER_NEXTID,
  GUEST_CONFIG,
  GUEST_CONFIG_PUT,
  GUEST_PENDING,
  GUEST_STATUS,
  type GuestConfig,
  type LiveStatus,
  QEMU_CONFIG_POST,
} from "../pve/endpoints/index.ts";
import { type GuestRef, type GuestType, guestAt, type ParamOf } from "../pve/index.ts";
import { guestType, nodeOptional, vmid } from "./args.ts";
import type { ToolContext } from "./define.ts";
import { ToolError } from "./errors.ts";
import { describeGuest, type GuestOf } from "./guest-ref.ts";
import { settleTask, TASK_ENDPOINTS, type TaskFields } from "./task-result.ts";

export type { LiveStatus, PendingRow } from "../pve/endpoints/index.ts";

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

/** The guest's status now (the inventory lags a few seconds behind). */
export function liveStatus(
  ctx: ToolContext<typeof GUEST_STATUS>,
  guest: GuestRef,
): Promise<LiveStatus> {
  return ctx.pve.call(GUEST_STATUS, guestAt(guest), { signal: ctx.signal });
}

export function readConfig(
  ctx: ToolContext<typeof GUEST_CONFIG>,
  guest: GuestRef,
  current?: boolean,
): Promise<GuestConfig> {
  return ctx.pve.call(
    GUEST_CONFIG,
    { ...guestAt(guest), current: current ? true : undefined },
    { signal: ctx.signal },
  );
}

/** The next free vmid from /cluster/nextid (a string on the wire), inside this server's scope. */
export async function nextVmid(ctx: ToolContext<typeof CLUSTER_NEXTID>): Promise<number> {
  const id = Number(await ctx.pve.call(CLUSTER_NEXTID, {}, { signal: ctx.signal }));
  if (!ctx.scope.allowsVmid(id)) {
    throw new ToolError(
      `the next free vmid ${id} is outside this server's scope (allowed: ${ctx.scope.describe()})`,
      "Pass a vmid inside the allowed range.",
    );
  }
  return id;
}

export interface ConfigWrite extends TaskFields {
  /** Keys of this change that wait for the next start of the running guest. */
  pending: string[];
}

/** What writeConfig calls for a VM sending these keys: the POST (a task), status, pending. */
export const qemuConfigWrite = (...params: ParamOf<typeof QEMU_CONFIG_POST>[]) =>
  [
    QEMU_CONFIG_POST.sending(...params),
    ...TASK_ENDPOINTS,
    GUEST_STATUS.only("qemu"),
    GUEST_PENDING.only("qemu"),
  ] as const;

/** What writeConfig calls for a container sending these keys: the PUT, status, pending. */
export const lxcConfigWrite = (...params: ParamOf<typeof GUEST_CONFIG_PUT>[]) =>
  [
    GUEST_CONFIG_PUT.only("lxc").sending(...params),
    GUEST_STATUS.only("lxc"),
    GUEST_PENDING.only("lxc"),
  ] as const;

/** What writeConfig calls, by the kind of guest (a tool for one kind declares that kind's). */
export interface ConfigWriteCalls {
  qemu: ReturnType<typeof qemuConfigWrite>[number];
  lxc: ReturnType<typeof lxcConfigWrite>[number];
}

/**
 * Writes config keys. QEMU goes through the async POST (disk allocation and hotplug may take a
 * while: a qmconfig task), LXC through PUT. On a running guest, reads back which of the keys
 * PVE kept pending until the next start.
 */
export async function writeConfig<K extends GuestType>(
  ctx: ToolContext<ConfigWriteCalls[K]>,
  guest: GuestOf<K>,
  params: Record<string, string | number | boolean | undefined>,
  what: string,
  running?: boolean,
): Promise<ConfigWrite> {
  // The guest's kind decides which of the calls above happen: the context has those.
  const both = ctx as ToolContext<ConfigWriteCalls[GuestType]>;
  const args = { ...guestAt(guest), ...params };
  let task: TaskFields = { task_status: "ok" };
  if (guest.type === "qemu") {
    const upid = await both.pve.call(QEMU_CONFIG_POST, args, { signal: ctx.signal });
    task = await settleTask(both, upid, what);
  } else await both.pve.call(GUEST_CONFIG_PUT, args, { signal: ctx.signal });
  const isRunning = running ?? (await liveStatus(both, guest)).status === "running";
  if (!isRunning) return { ...task, pending: [] };
  const keys = new Set(
    Object.keys(params)
      .filter((k) => !["delete", "digest", "force", "revert"].includes(k))
      .concat(String(params.delete ?? "").split(/[,;\s]+/)),
  );
  const rows = await both.pve.call(GUEST_PENDING, guestAt(guest), { signal: ctx.signal });
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
