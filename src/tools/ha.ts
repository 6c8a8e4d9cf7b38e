// High availability: which guests the HA manager keeps running (resources), where it prefers to
// run them (groups before PVE 9, node-affinity rules since), and what it is doing now.

import { z } from "zod";
import {
  CLUSTER_RESOURCES,
  HA_RESOURCE_ADD,
  HA_RESOURCE_DELETE,
  HA_RESOURCE_UPDATE,
  HA_RESOURCES,
} from "../pve/endpoints/index.ts";
import { PveError, resolveGuest } from "../pve/index.ts";
import { DESTRUCTIVE, defineTool, READ, type ToolContext } from "./define.ts";
import { ToolError } from "./errors.ts";
import { page, pageArgs, pageFields } from "./paging.ts";

const sidArg = z
  .string()
  .regex(/^(\d+|(vm|ct):\d+)$/, "vm:<vmid>, ct:<vmid> or just the vmid")
  .describe("HA resource: vm:100, ct:200, or just the vmid (type detected)");

const HA_STATES = ["started", "stopped", "enabled", "disabled", "ignored"] as const;

const options = {
  comment: z.string().max(4096).optional(),
  group: z
    .string()
    .optional()
    .describe("HA group (before PVE 9 only; PVE 9 uses node-affinity rules instead)"),
  max_relocate: z
    .number()
    .int()
    .min(0)
    .optional()
    .describe("Relocation tries after failed starts (default 1)"),
  max_restart: z
    .number()
    .int()
    .min(0)
    .optional()
    .describe("Restart tries on the same node (default 1)"),
  state: z
    .enum(HA_STATES)
    .optional()
    .describe(
      "started (default), stopped, disabled (stopped, not recovered), ignored (HA hands off)",
    ),
  failback: z
    .boolean()
    .optional()
    .describe("Move back to the preferred node when it returns (default true)"),
};

type OptionArgs = { [K in keyof typeof options]?: z.infer<(typeof options)[K]> };

/** The HA options of the arguments, by PVE's names (nothing else: not sid, not confirm). */
const haParams = (args: OptionArgs) => ({
  comment: args.comment,
  group: args.group,
  max_relocate: args.max_relocate,
  max_restart: args.max_restart,
  state: args.state,
  failback: args.failback,
});

/** `100` → `vm:100` from the inventory (a clear error with nearby ids if it does not exist). */
async function canonicalSid(
  ctx: ToolContext<typeof CLUSTER_RESOURCES>,
  sid: string,
): Promise<string> {
  if (!/^\d+$/.test(sid)) return sid;
  const guest = await resolveGuest(ctx.pve, Number(sid), {}, ctx.signal);
  return `${guest.type === "qemu" ? "vm" : "ct"}:${sid}`;
}

/** PVE 9's refusal of `group`, explained. */
function groupHint(error: unknown): never {
  if (error instanceof PveError && /groups have been migrated to rules/.test(error.reason)) {
    throw new ToolError(
      "this cluster uses HA rules (PVE 9): groups are gone",
      "Leave out group; node preferences are node-affinity rules (list_ha_groups shows them; create them under Datacenter → HA → Affinity Rules or with proxmox_api).",
    );
  }
  throw error;
}

export const listHaResources = defineTool({
  name: "list_ha_resources",
  title: "List HA resources",
  toolset: "ha",
  description:
    "Guests managed by the HA manager, with their requested state (started, stopped, disabled, ignored), restart/relocate limits and group. get_ha_status shows where they run now.",
  input: z.strictObject({ type: z.enum(["vm", "ct"]).optional(), ...pageArgs(100) }),
  output: z.object({
    resources: z.array(
      z.object({
        sid: z.string(),
        type: z.string(),
        vmid: z.number(),
        state: z.string(),
        group: z.string().optional(),
        max_restart: z.number().optional(),
        max_relocate: z.number().optional(),
        failback: z.boolean().optional(),
        comment: z.string().optional(),
      }),
    ),
    ...pageFields,
  }),
  annotations: READ,
  endpoints: [HA_RESOURCES],
  async handler(args, { pve, signal }) {
    const rows = await pve.call(HA_RESOURCES, { type: args.type }, { signal });
    const resources = rows
      .map((r) => ({
        sid: r.sid,
        type: r.type,
        vmid: Number(r.sid.split(":")[1]),
        state: r.state ?? "started",
        group: r.group,
        max_restart: r.max_restart,
        max_relocate: r.max_relocate,
        failback: r.failback === undefined ? undefined : r.failback === 1,
        comment: r.comment,
      }))
      .sort((a, b) => a.vmid - b.vmid);
    const p = page(resources, args, 100);
    return { data: { resources: p.rows, total: p.total, next_cursor: p.next_cursor } };
  },
});

export const addHaResource = defineTool({
  name: "add_ha_resource",
  title: "Put a guest under HA",
  toolset: "ha",
  description:
    "Let the HA manager keep a guest in its requested state (default started: it is started and restarted or recovered on another node when its node fails). state stopped/disabled makes HA stop it.",
  input: z.strictObject({ sid: sidArg, ...options }),
  output: z.object({ sid: z.string(), state: z.string(), message: z.string() }),
  annotations: DESTRUCTIVE, // the HA manager starts or stops the guest to its requested state
  endpoints: [CLUSTER_RESOURCES, HA_RESOURCE_ADD],
  async handler(args, ctx) {
    const sid = await canonicalSid(ctx, args.sid);
    await ctx.pve
      .call(HA_RESOURCE_ADD, { sid, ...haParams(args) }, { signal: ctx.signal })
      .catch(groupHint);
    const state = args.state ?? "started";
    return { data: { sid, state, message: `${sid} is HA-managed, requested state ${state}` } };
  },
});

export const updateHaResource = defineTool({
  name: "update_ha_resource",
  title: "Change an HA resource",
  toolset: "ha",
  description:
    "Change how HA handles a guest: requested state (stopped/disabled stop it, started starts it), restart and relocate limits, failback, comment, group (before PVE 9).",
  input: z.strictObject({ sid: sidArg, ...options }),
  output: z.object({ sid: z.string(), changed: z.array(z.string()), message: z.string() }),
  annotations: DESTRUCTIVE,
  endpoints: [CLUSTER_RESOURCES, HA_RESOURCE_UPDATE],
  async handler(args, ctx) {
    const sid = await canonicalSid(ctx, args.sid);
    const params = haParams(args);
    const changed = Object.entries(params)
      .filter(([, v]) => v !== undefined)
      .map(([k]) => k);
    if (changed.length === 0) {
      throw new ToolError(
        "nothing to change",
        "Pass state, max_restart, max_relocate, failback, comment or group.",
      );
    }
    await ctx.pve
      .call(HA_RESOURCE_UPDATE, { sid, ...params }, { signal: ctx.signal })
      .catch(groupHint);
    return { data: { sid, changed, message: `${sid} updated (${changed.join(", ")})` } };
  },
});

export const removeHaResource = defineTool({
  name: "remove_ha_resource",
  title: "Take a guest out of HA",
  toolset: "ha",
  description:
    "Stop HA management of a guest (it keeps running or stays stopped as it is, but is no longer recovered on node failure) and remove it from HA rules.",
  input: z.strictObject({ sid: sidArg }),
  output: z.object({ sid: z.string(), message: z.string() }),
  annotations: DESTRUCTIVE,
  endpoints: [CLUSTER_RESOURCES, HA_RESOURCE_DELETE],
  async handler(args, ctx) {
    const sid = await canonicalSid(ctx, args.sid);
    await ctx.pve.call(HA_RESOURCE_DELETE, { sid }, { signal: ctx.signal });
    return { data: { sid, message: `${sid} is no longer HA-managed` } };
  },
});

export const haTools = [listHaResources, addHaResource, updateHaResource, removeHaResource];
