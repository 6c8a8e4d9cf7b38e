// Backups (vzdump archives): list them, make one, restore one.

import { z } from "zod";
import {
  CLUSTER_NEXTID,
  CLUSTER_RESOURCES,
  LXC_RESTORE,
  QEMU_RESTORE,
  STORAGE_CONTENT,
  VZDUMP,
} from "../pve/endpoints/index.ts";
import { clusterResources, type GuestType, readTaskLog, resolveGuest } from "../pve/index.ts";
import { nodeOptional, storageId, vmid, wait } from "./args.ts";
import { DESTRUCTIVE, defineTool, READ, type ToolContext, WRITE } from "./define.ts";
import { ToolError } from "./errors.ts";
import { nextVmid } from "./guest-common.ts";
import { describeGuest, onGuest } from "./guest-ref.ts";
import { page, pageArgs, pageFields } from "./paging.ts";
import { settleTask, TASK_ENDPOINTS, taskFields, taskMessage } from "./task-result.ts";
import { ageOf, bytes, formatBytes, iso, isoTime, seconds } from "./units.ts";

const backupRow = z.object({
  volid: z.string().describe("Pass as archive to restore_backup"),
  storage: z.string(),
  node: z.string().optional().describe("Node holding it (local storage); absent on shared storage"),
  vmid: z.number().optional(),
  type: z.enum(["qemu", "lxc"]).optional(),
  size: bytes(),
  time: isoTime().optional(),
  age: seconds().optional(),
  format: z.string(),
  notes: z.string().optional(),
  protected: z.boolean().optional().describe("present (true) for protected archives only"),
});

type BackupRow = z.infer<typeof backupRow>;

const typeOfArchive = (volid: string): GuestType | undefined =>
  /vzdump-qemu-/.test(volid) ? "qemu" : /vzdump-lxc-/.test(volid) ? "lxc" : undefined;

/** Storages with backup content: one node's, or every online node's (shared ones once). */
async function backupStores(
  ctx: ToolContext<typeof CLUSTER_RESOURCES>,
  node?: string,
  storage?: string,
) {
  const rows = await clusterResources(ctx.pve, "storage", ctx.signal);
  const seen = new Set<string>();
  const out: { node: string; storage: string; shared: boolean }[] = [];
  for (const r of rows) {
    if (!r.storage || !r.node || r.status !== "available") continue;
    if (node && r.node !== node) continue;
    if (
      storage
        ? r.storage !== storage
        : !String(r.content ?? "")
            .split(",")
            .includes("backup")
    )
      continue;
    if (!ctx.scope.allowsNode(r.node)) continue;
    const key = r.shared ? r.storage : `${r.node}/${r.storage}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ node: r.node, storage: r.storage, shared: r.shared === 1 });
  }
  return out;
}

export const listBackups = defineTool({
  name: "list_backups",
  title: "List backups",
  toolset: "backup",
  description:
    "Backup archives (vzdump), newest first: volid, guest, size, time and age, notes, protected. Without node and storage, every backup storage of the cluster is searched; vmid filters to one guest. Paged.",
  input: z.strictObject({
    node: nodeOptional.describe("Only this node's storages (default: all nodes)"),
    storage: storageId.optional().describe("Only this storage (default: every backup storage)"),
    vmid: vmid.optional().describe("Only backups of this guest"),
    ...pageArgs(50),
  }),
  output: z.object({ backups: z.array(backupRow), ...pageFields }),
  annotations: READ,
  endpoints: [CLUSTER_RESOURCES, STORAGE_CONTENT],
  async handler(args, ctx) {
    const stores = await backupStores(ctx, args.node, args.storage);
    if (stores.length === 0) {
      throw new ToolError(
        args.storage
          ? `storage ${args.storage} is not available${args.node ? ` on ${args.node}` : ""}`
          : "no storage with backup content is available",
        "list_storage shows the storages and what they hold.",
      );
    }
    const all: (BackupRow & { ctime?: number })[] = [];
    for (const s of stores) {
      const rows = await ctx.pve.call(
        STORAGE_CONTENT,
        { node: s.node, storage: s.storage, content: "backup", vmid: args.vmid },
        { signal: ctx.signal },
      );
      for (const r of rows) {
        if (r.content !== "backup") continue;
        all.push({
          volid: r.volid,
          storage: s.storage,
          node: s.shared ? undefined : s.node,
          vmid: r.vmid,
          type: (r.subtype as GuestType | undefined) ?? typeOfArchive(r.volid),
          size: r.size,
          ctime: r.ctime,
          time: r.ctime ? iso(r.ctime) : undefined,
          age: r.ctime ? ageOf(r.ctime) : undefined,
          format: r.format,
          notes: r.notes || undefined,
          protected: r.protected === 1 ? true : undefined,
        });
      }
    }
    all.sort((a, b) => (b.ctime ?? 0) - (a.ctime ?? 0));
    const p = page(
      all.map(({ ctime: _, ...row }) => row),
      args,
      50,
    );
    return { data: { backups: p.rows, total: p.total, next_cursor: p.next_cursor } };
  },
});

export const createBackup = defineTool({
  name: "create_backup",
  title: "Back up a guest",
  toolset: "backup",
  description:
    "Back up one VM or container with vzdump and wait: mode snapshot (default, no downtime), suspend or stop; compressed with zstd unless told otherwise. Returns the new archive's volid (for restore_backup).",
  input: z.strictObject({
    node: nodeOptional,
    vmid,
    storage: storageId
      .optional()
      .describe("Backup storage (default: the node's default, usually local)"),
    mode: z.enum(["snapshot", "suspend", "stop"]).optional().describe("Default snapshot"),
    compress: z.enum(["zstd", "gzip", "lzo", "none"]).optional().describe("Default zstd"),
    remove: z
      .boolean()
      .optional()
      .describe("Prune older backups by the storage's retention settings (PVE default true)"),
    notes: z
      .string()
      .max(1024)
      .optional()
      .describe(
        "Notes for the archive; {{guestname}}, {{vmid}}, {{node}}, {{cluster}} are filled in",
      ),
    protected: z.boolean().optional().describe("Protect the archive from pruning and deletion"),
    wait,
  }),
  output: z.object({
    vmid: z.number(),
    node: z.string(),
    type: z.enum(["qemu", "lxc"]),
    archive: z.string().optional().describe("volid of the new backup"),
    size: bytes().optional(),
    message: z.string(),
    ...taskFields,
  }),
  annotations: WRITE,
  endpoints: [CLUSTER_RESOURCES, VZDUMP, ...TASK_ENDPOINTS, STORAGE_CONTENT],
  async handler(args, ctx) {
    return onGuest(ctx, args, async (guest) => {
      const compress = args.compress === "none" ? "0" : (args.compress ?? "zstd");
      const upid = await ctx.pve.call(
        VZDUMP,
        {
          node: guest.node,
          vmid: String(guest.vmid),
          storage: args.storage,
          mode: args.mode ?? "snapshot",
          compress,
          remove: args.remove,
          "notes-template": args.notes,
          protected: args.protected,
        },
        { signal: ctx.signal },
      );
      const what = `backup of ${describeGuest(guest)}`;
      const task = await settleTask(ctx, upid, what, args.wait);
      let archive: string | undefined;
      let size: number | undefined;
      if (task.task_status === "ok" && task.upid) {
        const log = await readTaskLog(ctx.pve, task.upid, 0, 0, ctx.signal);
        const file = log
          .map((l) => /creating vzdump archive '([^']+)'/.exec(l.t)?.[1])
          .find(Boolean)
          ?.split("/")
          .pop();

        if (file) {
          const stores = await backupStores(ctx, guest.node, args.storage);
          for (const s of stores) {
            const rows = await ctx.pve.call(
              STORAGE_CONTENT,
              { node: s.node, storage: s.storage, content: "backup", vmid: guest.vmid },
              { signal: ctx.signal },
            );
            const row = rows.find((r) => r.volid.endsWith(`/${file}`));
            archive = row?.volid;
            size = row?.size;
            if (archive) break;
          }
        }
      }
      const message = taskMessage(
        task,
        what,
        `backed up ${describeGuest(guest)}${archive ? ` to ${archive}` : ""}${size ? ` (${formatBytes(size)})` : ""}`,
      );
      return {
        data: {
          vmid: guest.vmid,
          node: guest.node,
          type: guest.type,
          archive,
          size,
          message,
          ...task,
        },
      };
    });
  },
});

export const restoreBackup = defineTool({
  name: "restore_backup",
  title: "Restore a backup",
  toolset: "backup",
  description:
    "Restore a vzdump archive (a volid from list_backups) as a guest and wait. Without vmid it becomes a new guest with the next free id; restoring onto an existing guest replaces its config and disks and needs force: true (the guest must be stopped).",
  input: z.strictObject({
    node: nodeOptional.describe(
      "Node to restore on (default: the existing guest's, or the original's)",
    ),
    vmid: vmid.optional().describe("Target id (default: the next free one)"),
    archive: z
      .string()
      .min(5)
      .max(255)
      .describe("Backup volid, e.g. backups:backup/vzdump-qemu-100-….vma.zst"),
    storage: storageId
      .optional()
      .describe("Storage for the restored disks (default: as in the backup)"),
    type: z
      .enum(["qemu", "lxc"])
      .optional()
      .describe("qemu or lxc; read from the archive name when omitted"),
    force: z.boolean().optional().describe("Overwrite the existing guest with this vmid"),
    unique: z
      .boolean()
      .optional()
      .describe("Give the NICs new MAC addresses (for a copy next to the original)"),
    start: z.boolean().optional().describe("Start the guest after the restore"),
    pool: z
      .string()
      .regex(/^[A-Za-z0-9_-]+$/)
      .optional()
      .describe("Add the guest to this pool"),
    wait,
  }),
  output: z.object({
    vmid: z.number(),
    node: z.string(),
    type: z.enum(["qemu", "lxc"]),
    overwrote: z.boolean().describe("An existing guest was replaced"),
    message: z.string(),
    ...taskFields,
  }),
  annotations: DESTRUCTIVE,
  // Only force overwrites a guest (without it an existing one is refused): else nothing is lost.
  losesNothing: async (args, guests) =>
    !args.force || args.vmid === undefined || !(await guests.guest(args.vmid)),
  endpoints: [CLUSTER_RESOURCES, CLUSTER_NEXTID, QEMU_RESTORE, LXC_RESTORE, ...TASK_ENDPOINTS],
  async handler(args, ctx) {
    const type = args.type ?? typeOfArchive(args.archive);
    if (!type) {
      throw new ToolError(
        `cannot tell from ${args.archive} whether it holds a VM or a container`,
        "Pass type: qemu or lxc.",
      );
    }
    const inventory = await clusterResources(ctx.pve, "vm", ctx.signal);
    const id = args.vmid ?? (await nextVmid(ctx));
    const existing = inventory.find((g) => g.vmid === id);
    if (existing) {
      const ref = {
        vmid: id,
        node: existing.node ?? "",
        type: existing.type as GuestType,
        name: existing.name,
      };
      if (!ctx.scope.allowsGuest(existing as Parameters<typeof ctx.scope.allowsGuest>[0])) {
        throw new ToolError(
          `${describeGuest(ref)} is outside this server's scope (allowed: ${ctx.scope.describe()})`,
        );
      }
      if (!args.force) {
        throw new ToolError(
          `${describeGuest(ref)} exists: restoring onto it replaces its configuration and disks. Nothing was done`,
          "Pass force: true to overwrite it, or leave vmid out to restore as a new guest.",
        );
      }
      if (existing.type !== type) {
        throw new ToolError(
          `${describeGuest(ref)} is a ${existing.type === "qemu" ? "VM" : "container"}; the archive holds a ${type === "qemu" ? "VM" : "container"}`,
        );
      }
      if (existing.status === "running") {
        throw new ToolError(
          `${describeGuest(ref)} is running: Proxmox only restores over a stopped guest`,
          "Stop it first (shutdown_vm), then call again.",
        );
      }
      if (args.node && args.node !== existing.node) {
        throw new ToolError(`${describeGuest(ref)} lives on ${existing.node}, not ${args.node}`);
      }
    }
    const fromId = Number(/vzdump-(?:qemu|lxc)-(\d+)-/.exec(args.archive)?.[1]);
    const original = inventory.find((g) => g.vmid === fromId);
    const node = args.node ?? existing?.node ?? original?.node;
    if (!node) {
      throw new ToolError("on which node should the guest be restored?", "Pass node.");
    }
    if (!ctx.scope.allowsNode(node)) {
      throw new ToolError(
        `node ${node} is outside this server's scope (allowed: ${ctx.scope.describe()})`,
      );
    }
    const common = {
      node,
      vmid: id,
      storage: args.storage,
      force: existing ? true : undefined,
      unique: args.unique,
      start: args.start,
      pool: args.pool,
    };
    const upid =
      type === "qemu"
        ? await ctx.pve.call(
            QEMU_RESTORE,
            { ...common, archive: args.archive },
            { signal: ctx.signal },
          )
        : await ctx.pve.call(
            LXC_RESTORE,
            { ...common, ostemplate: args.archive, restore: true },
            { signal: ctx.signal },
          );
    const ref = { vmid: id, node, type };
    const what = `restore of ${args.archive} to ${describeGuest(ref)}`;
    const task = await settleTask(ctx, upid, what, args.wait);
    const name =
      task.task_status === "ok"
        ? await resolveGuest(ctx.pve, id, {}, ctx.signal)
            .then((g) => g.name)
            .catch(() => undefined)
        : undefined;
    const message = taskMessage(
      task,
      what,
      `restored ${args.archive} ${existing ? "over" : "as"} ${describeGuest({ ...ref, name })}${args.start ? " and started it" : ""}`,
    );
    return {
      data: { vmid: id, node, type, overwrote: Boolean(existing), message, ...task },
    };
  },
});

export const backupTools = [listBackups, createBackup, restoreBackup];
