// Backup retention: which backups a keep-* policy (or the storage's own) would remove, and
// removing them.

import { z } from "zod";
import { CLUSTER_RESOURCES, PRUNE, PRUNE_PREVIEW } from "../pve/endpoints/index.ts";
import { wait } from "./args.ts";
import { DESTRUCTIVE, defineTool, READ, type ToolContext } from "./define.ts";
import { page, pageArgs, pageFields } from "./paging.ts";
import { nodeFor, storageArg } from "./storage-where.ts";
import { settleTask, TASK_ENDPOINTS, taskFields } from "./task-result.ts";
import { ageOf, iso, isoTime, seconds } from "./units.ts";

const KEEPS = ["last", "hourly", "daily", "weekly", "monthly", "yearly"] as const;

const pruneInput = z.strictObject({
  storage: storageArg.describe("Backup storage, e.g. backups"),
  node: z.string().optional().describe("Needed only for local storages on several nodes"),
  vmid: z.number().int().min(100).max(999_999_999).optional().describe("Only this guest's backups"),
  type: z.enum(["qemu", "lxc"]).optional().describe("Only VM (qemu) or container (lxc) backups"),
  ...(Object.fromEntries(
    KEEPS.map((k) => [
      `keep_${k}`,
      z
        .number()
        .int()
        .min(0)
        .max(10000)
        .optional()
        .describe(`Keep this many ${k === "last" ? "newest" : k} backups`),
    ]),
  ) as Record<`keep_${(typeof KEEPS)[number]}`, z.ZodOptional<z.ZodNumber>>),
  keep_all: z.boolean().optional().describe("Keep everything (overrides the others)"),
});

type PruneArgs = z.infer<typeof pruneInput>;

const pruneRow = z.object({
  volid: z.string(),
  vmid: z.number().optional(),
  type: z.string(),
  time: isoTime(),
  age: seconds(),
  mark: z.enum(["keep", "remove", "protected", "renamed"]),
});

/** keep_daily: 7 → "keep-daily=7"; nothing given → the storage's own retention settings. */
function retention(args: PruneArgs): string | undefined {
  if (args.keep_all) return "keep-all=1";
  const parts = KEEPS.flatMap((k) => {
    const v = args[`keep_${k}`];
    return v === undefined ? [] : [`keep-${k}=${v}`];
  });
  return parts.length > 0 ? parts.join(",") : undefined;
}

async function prunePlan(
  ctx: ToolContext<typeof CLUSTER_RESOURCES | typeof PRUNE_PREVIEW>,
  args: PruneArgs,
) {
  const node = await nodeFor(ctx, args.storage, args.node);
  const params = { "prune-backups": retention(args), vmid: args.vmid, type: args.type };
  const entries = await ctx.pve.call(
    PRUNE_PREVIEW,
    { node, storage: args.storage, ...params },
    { signal: ctx.signal },
  );
  entries.sort((a, b) => (a.vmid ?? 0) - (b.vmid ?? 0) || b.ctime - a.ctime);
  return { node, params, entries };
}

export const previewPruneBackups = defineTool({
  name: "preview_prune_backups",
  title: "Preview a backup prune",
  toolset: "storage_admin",
  description:
    "Dry run of prune_backups: which backups on a storage a retention policy (keep_last, keep_daily, … or the storage's own) would keep or remove, per guest. Changes nothing.",
  input: pruneInput.extend(pageArgs(100)),
  output: z.object({
    storage: z.string(),
    node: z.string(),
    retention: z
      .string()
      .describe("the keep-* options applied ('storage default' when none given)"),
    backups: z.array(pruneRow),
    ...pageFields,
    remove: z.number().describe("of all matching backups, not only this page"),
    keep: z.number(),
  }),
  annotations: READ,
  endpoints: [CLUSTER_RESOURCES, PRUNE_PREVIEW],
  async handler(args, ctx) {
    const { node, params, entries } = await prunePlan(ctx, args);
    const remove = entries.filter((e) => e.mark === "remove").length;
    const p = page(entries, args, 100);
    return {
      data: {
        storage: args.storage,
        node,
        retention: params["prune-backups"] ?? "storage default",
        backups: p.rows.map(({ volid, vmid, type, ctime, mark }) => ({
          volid,
          vmid,
          type,
          time: iso(ctime),
          age: ageOf(ctime),
          mark,
        })),
        total: p.total,
        next_cursor: p.next_cursor,
        remove,
        keep: entries.length - remove,
      },
    };
  },
});

export const pruneBackups = defineTool({
  name: "prune_backups",
  title: "Prune backups",
  toolset: "storage_admin",
  description:
    "Delete the backups on a storage that a retention policy (keep_last, keep_daily, keep_weekly, … or the storage's own settings) does not keep; protected backups stay. Run preview_prune_backups first to see the list.",
  input: pruneInput.extend({ wait }),
  output: z.object({
    storage: z.string(),
    node: z.string(),
    retention: z.string(),
    removed: z.array(z.string()).describe("volids deleted (or being deleted while the task runs)"),
    kept: z.number(),
    ...taskFields,
  }),
  annotations: DESTRUCTIVE,
  endpoints: [CLUSTER_RESOURCES, PRUNE_PREVIEW, PRUNE, ...TASK_ENDPOINTS],
  async handler(args, ctx) {
    const { node, params, entries } = await prunePlan(ctx, args);
    const removed = entries.filter((e) => e.mark === "remove").map((e) => e.volid);
    const base = {
      storage: args.storage,
      node,
      retention: params["prune-backups"] ?? "storage default",
      removed,
      kept: entries.length - removed.length,
    };
    if (removed.length === 0) return { data: { ...base, task_status: "ok" as const } };
    const upid = await ctx.pve.call(
      PRUNE,
      { node, storage: args.storage, ...params },
      { signal: ctx.signal },
    );
    const task = await settleTask(ctx, upid, `prune of ${args.storage}`, args.wait);
    return { data: { ...base, ...task } };
  },
});

export const pruneTools = [previewPruneBackups, pruneBackups];
