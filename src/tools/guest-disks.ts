// Guest disks: add, remove (detach or destroy), resize, move to another storage; container
// mount points. New disks are `storage:size` requests that PVE allocates.

import { z } from "zod";
import type { GuestConfig } from "../pve/endpoints/index.ts";
import {
  CLUSTER_RESOURCES,
  GUEST_CONFIG,
  GUEST_RESIZE,
  LXC_MOVE_VOLUME,
  QEMU_MOVE_DISK,
} from "../pve/endpoints/index.ts";
import { type GuestRef, type GuestType, guestAt } from "../pve/index.ts";
import { nodeOptional, storageId, vmid, wait } from "./args.ts";
import { DESTRUCTIVE, defineTool, type ToolContext, type ToolDef, WRITE } from "./define.ts";
import { ToolError } from "./errors.ts";
import {
  type ConfigWriteCalls,
  extraOptions,
  guestArgs,
  guestData,
  guestFields,
  lxcConfigWrite,
  pendingField,
  pendingNote,
  qemuConfigWrite,
  readConfig,
  writeConfig,
} from "./guest-common.ts";
import { describeGuest, expectType, type GuestOf, onGuest } from "./guest-ref.ts";
import { addInSlot, freeSlot } from "./guest-slots.ts";
import { settleTask, TASK_ENDPOINTS, taskFields, taskMessage } from "./task-result.ts";

const QEMU_DISK = /^(scsi([12]?\d|30)|virtio(1[0-5]|\d)|sata[0-5]|ide[0-3]|efidisk0|tpmstate0)$/;
const LXC_DISK = /^(rootfs|mp(\d|[1-9]\d|1\d\d|2[0-4]\d|25[0-5]))$/;
const diskKey = z
  .string()
  .regex(
    /^(scsi\d{1,2}|virtio\d{1,2}|sata\d|ide\d|efidisk0|tpmstate0|rootfs|mp\d{1,3}|unused\d{1,3})$/,
    "a disk key such as scsi1, virtio0, sata0, mp0 or unused0",
  );

const isDisk = (g: GuestRef, key: string) =>
  (g.type === "qemu" ? QEMU_DISK : LXC_DISK).test(key) ||
  /^unused(\d|[1-9]\d|1\d\d|2[0-4]\d|25[0-5])$/.test(key);

function diskList(g: GuestRef, config: Record<string, unknown>): string {
  return (
    Object.keys(config)
      .filter((k) => isDisk(g, k))
      .join(", ") || "none"
  );
}

const volumeOf = (value: string) => value.split(",")[0] ?? value;

const diskOutput = z.object({
  ...guestFields,
  device: z.string(),
  value: z.string().optional().describe("The disk's config line after the change"),
  pending: pendingField,
  message: z.string(),
  ...taskFields,
});

const PICK_FREE = "Pick a free slot, or leave the device out to get the next free one.";

export const addDisk = defineTool({
  name: "add_disk",
  title: "Add a disk",
  toolset: "disks",
  description:
    "Create a new disk of size_gb GiB on storage and attach it to a VM (next free scsiN unless device or bus say otherwise) or to a container as mount point mpN at path. Returns the new disk's config line.",
  input: z.strictObject({
    ...guestArgs,
    device: diskKey.optional().describe("Slot, e.g. scsi1, virtio0, sata1 (VM) or mp0 (container)"),
    bus: z
      .enum(["scsi", "virtio", "sata", "ide"])
      .optional()
      .describe("VM bus for the next free slot (default scsi)"),
    storage: storageId.describe("Storage for the new disk, e.g. local-lvm"),
    size_gb: z.number().min(0.001).max(65536).describe("Size in GiB"),
    format: z.enum(["raw", "qcow2", "vmdk"]).optional().describe("Image format on file storages"),
    path: z
      .string()
      .regex(/^\/\S*$/, "an absolute path")
      .optional()
      .describe("Containers: where to mount it, e.g. /srv/data"),
    extra_options: extraOptions,
  }),
  output: diskOutput,
  annotations: DESTRUCTIVE, // import-from copies existing data into the guest
  losesNothing: async (args) => !/import-from/.test(args.extra_options ?? ""),
  endpoints: [
    CLUSTER_RESOURCES,
    GUEST_CONFIG,
    ...qemuConfigWrite("scsi[n]", "virtio[n]", "sata[n]", "ide[n]"),
    ...lxcConfigWrite("mp[n]"),
  ],
  async handler(args, ctx) {
    return onGuest(ctx, args, async (guest) => {
      const slot = (config: GuestConfig): string => {
        if (guest.type === "lxc") {
          if (!args.path) {
            throw new ToolError(
              `${describeGuest(guest)} is a container: its disks are mount points and need path`,
              "Pass path (e.g. /srv/data), or use add_lxc_mountpoint.",
            );
          }
          const key = args.device ?? freeSlot(config, "mp");
          if (!/^mp\d+$/.test(key))
            throw new ToolError(`a container's extra disks are mpN, not ${key}`);
          return key;
        }
        const key = args.device ?? freeSlot(config, args.bus ?? "scsi");
        if (!QEMU_DISK.test(key) || /^(efidisk|tpmstate)/.test(key)) {
          throw new ToolError(`${key} is not a VM disk slot`, "Use scsiN, virtioN, sataN or ideN.");
        }
        return key;
      };
      const { key, stored, write } = await addInSlot(
        ctx,
        guest,
        { key: slot, inUseHint: PICK_FREE, readBack: true },
        () =>
          [
            `${args.storage}:${args.size_gb}`,
            ...(args.format ? [`format=${args.format}`] : []),
            ...(guest.type === "lxc" ? [`mp=${args.path}`] : []),
            ...(args.extra_options ? [args.extra_options] : []),
          ].join(","),
      );
      const message = `added ${key} (${args.size_gb} GiB on ${args.storage}) to ${describeGuest(guest)}${pendingNote(guest, write.pending)}`;
      return { data: { ...guestData(guest), device: key, message, ...write, value: stored } };
    });
  },
});

/** Detaches a disk (kept as unusedN) or, with destroy, deletes its volume too. */
async function removeVolume<K extends GuestType>(
  ctx: ToolContext<typeof GUEST_CONFIG | ConfigWriteCalls[K]>,
  guest: GuestOf<K>,
  key: string,
  destroy: boolean,
) {
  const config = await readConfig(ctx, guest);
  const value = config[key];
  if (value === undefined || !isDisk(guest, key)) {
    throw new ToolError(
      `${describeGuest(guest)} has no disk ${key}`,
      `Its disks: ${diskList(guest, config)}.`,
    );
  }
  if (key === "rootfs") throw new ToolError("the root disk of a container cannot be removed");
  const cdrom = String(value).includes("media=cdrom");
  if (cdrom && destroy) {
    throw new ToolError(
      `${key} is a CD-ROM drive: there is no disk volume to destroy`,
      "Call again without destroy to remove the drive (the ISO file stays).",
    );
  }
  const volid = volumeOf(String(value));
  const unused = /^unused\d+$/.test(key);
  const what = `removal of ${key} from ${describeGuest(guest)}`;
  // QEMU removes the volume itself with force; LXC destroys a disk by deleting its unusedN.
  const w = await writeConfig(
    ctx,
    guest,
    { delete: key, ...(guest.type === "qemu" && destroy ? { force: true } : {}) },
    what,
  );
  let keptAs: string | undefined;
  if (!unused && w.pending.length === 0) {
    const after = await readConfig(ctx, guest);
    keptAs = Object.keys(after).find((k) => /^unused\d+$/.test(k) && after[k] === volid);
    if (keptAs && destroy && guest.type === "lxc") {
      await writeConfig(ctx, guest, { delete: keptAs }, what, false);
      keptAs = undefined;
    }
  }
  const bind = volid.startsWith("/") || cdrom;
  const destroyed =
    !bind && (unused || (destroy && keptAs === undefined && w.pending.length === 0));
  const outcome = w.pending.length
    ? `will be detached at the next start${pendingNote(guest, w.pending)}`
    : bind
      ? `removed (${cdrom ? "the ISO file stays" : `bind mount of ${volid}; the host directory is untouched`})`
      : destroyed
        ? `destroyed (${volid})`
        : keptAs
          ? `detached; the volume ${volid} stays as ${keptAs} (remove_disk ${keptAs} destroys it)`
          : "removed";
  return {
    ...w,
    destroyed,
    kept_as: keptAs,
    volume: volid,
    message: `${key} of ${describeGuest(guest)} ${outcome}`,
  };
}

const removeOutput = diskOutput.omit({ value: true }).extend({
  volume: z.string(),
  destroyed: z.boolean().describe("The volume and its data are gone"),
  kept_as: z.string().optional().describe("unusedN holding the detached volume"),
});

export const removeDisk = defineTool({
  name: "remove_disk",
  title: "Remove a disk",
  toolset: "disks",
  description:
    "Detach a disk from a VM or container; its volume stays as unusedN (data kept) unless destroy is true, which deletes the data. Removing an unusedN entry always deletes its volume. Protected guests refuse.",
  input: z.strictObject({
    ...guestArgs,
    device: diskKey.describe("Disk to remove, e.g. scsi1, mp0, unused0"),
    destroy: z.boolean().optional().describe("Also delete the volume and its data"),
  }),
  output: removeOutput,
  annotations: DESTRUCTIVE,
  endpoints: [
    CLUSTER_RESOURCES,
    GUEST_CONFIG,
    ...qemuConfigWrite("delete", "force"),
    ...lxcConfigWrite("delete"),
  ],
  async handler(args, ctx) {
    return onGuest(ctx, args, async (guest) => {
      const r = await removeVolume(ctx, guest, args.device, args.destroy ?? false);
      return { data: { ...guestData(guest), device: args.device, ...r } };
    });
  },
});

export const resizeDisk = defineTool({
  name: "resize_disk",
  title: "Grow a disk",
  toolset: "disks",
  description:
    "Grow a VM disk or container volume: size +10G adds, 50G sets the new total. Shrinking is refused by Proxmox. The filesystem inside a VM must be grown by the guest afterwards.",
  input: z.strictObject({
    ...guestArgs,
    device: diskKey.describe("Disk to grow, e.g. scsi0, virtio0, rootfs, mp0"),
    size: z
      .string()
      .regex(/^\+?\d+(\.\d+)?[KMGT]?$/, "e.g. +10G (add) or 50G (new total); units K M G T")
      .describe("+10G to add 10 GiB, or 50G for a total of 50 GiB"),
    wait,
  }),
  output: diskOutput,
  annotations: WRITE,
  endpoints: [CLUSTER_RESOURCES, GUEST_RESIZE, ...TASK_ENDPOINTS, GUEST_CONFIG],
  async handler(args, ctx) {
    return onGuest(ctx, args, async (guest) => {
      if (!isDisk(guest, args.device) || args.device.startsWith("unused")) {
        throw new ToolError(
          `${args.device} is not a disk a ${guest.type === "qemu" ? "VM" : "container"} can resize`,
        );
      }
      const upid = await ctx.pve.call(
        GUEST_RESIZE,
        { ...guestAt(guest), disk: args.device, size: args.size },
        { signal: ctx.signal },
      );
      const what = `resize of ${args.device} of ${describeGuest(guest)}`;
      const task = await settleTask(ctx, upid, what, args.wait);
      const value =
        task.task_status === "ok"
          ? String((await readConfig(ctx, guest))[args.device] ?? "")
          : undefined;
      const size = /size=([^,]+)/.exec(value ?? "")?.[1];
      const message = taskMessage(
        task,
        what,
        `${args.device} of ${describeGuest(guest)} is now ${size ?? "resized"}`,
      );
      return {
        data: { ...guestData(guest), device: args.device, value, pending: [], message, ...task },
      };
    });
  },
});

export const moveDisk = defineTool({
  name: "move_disk",
  title: "Move a disk to another storage",
  toolset: "disks",
  description:
    "Copy a VM disk or container volume to another storage and switch the guest to the copy (VMs may run; containers must be stopped). The old volume stays as unusedN unless delete_source is true.",
  input: z.strictObject({
    ...guestArgs,
    device: diskKey.describe("Disk to move, e.g. scsi0, rootfs, mp0, unused0"),
    storage: storageId.describe("Target storage"),
    delete_source: z.boolean().optional().describe("Delete the old volume after the copy"),
    format: z.enum(["raw", "qcow2", "vmdk"]).optional().describe("VMs: target image format"),
    wait,
  }),
  output: diskOutput,
  annotations: WRITE,
  endpoints: [CLUSTER_RESOURCES, QEMU_MOVE_DISK, LXC_MOVE_VOLUME, ...TASK_ENDPOINTS, GUEST_CONFIG],
  async handler(args, ctx) {
    return onGuest(ctx, args, async (guest) => {
      if (!isDisk(guest, args.device)) {
        throw new ToolError(
          `${args.device} is not a disk a ${guest.type === "qemu" ? "VM" : "container"} has`,
          guest.type === "qemu"
            ? "VM disks: scsiN, virtioN, sataN, ideN, efidisk0, tpmstate0, unusedN."
            : "Container volumes: rootfs, mpN, unusedN.",
        );
      }
      if (guest.type === "lxc" && args.format) {
        throw new ToolError("format applies to VM disks only");
      }
      const common = { ...guestAt(guest), storage: args.storage, delete: args.delete_source };
      const upid =
        guest.type === "qemu"
          ? await ctx.pve.call(
              QEMU_MOVE_DISK,
              { ...common, disk: args.device, format: args.format },
              { signal: ctx.signal },
            )
          : await ctx.pve.call(
              LXC_MOVE_VOLUME,
              { ...common, volume: args.device },
              { signal: ctx.signal },
            );
      const what = `move of ${args.device} of ${describeGuest(guest)} to ${args.storage}`;
      const task = await settleTask(ctx, upid, what, args.wait);
      const value =
        task.task_status === "ok"
          ? String((await readConfig(ctx, guest))[args.device] ?? "")
          : undefined;
      const old = args.delete_source ? "old volume deleted" : "old volume kept as unusedN";
      const message = taskMessage(
        task,
        what,
        `moved ${args.device} of ${describeGuest(guest)} to ${args.storage} (${old})`,
      );
      return {
        data: { ...guestData(guest), device: args.device, value, pending: [], message, ...task },
      };
    });
  },
});

export const addLxcMountpoint = defineTool({
  name: "add_lxc_mountpoint",
  title: "Add a container mount point",
  toolset: "disks",
  description:
    "Mount a volume into a container at path: storage:GiB creates a new volume (e.g. local-lvm:8), an existing volume id attaches it, and a host directory (/mnt/data) makes a bind mount (root@pam only). Next free mpN unless mp_id is given.",
  input: z.strictObject({
    node: nodeOptional,
    vmid,
    mp_id: z
      .string()
      .regex(/^mp\d{1,3}$/, "mp0 … mp255")
      .optional()
      .describe("Slot, e.g. mp0; next free when omitted"),
    volume: z
      .string()
      .min(2)
      .max(255)
      .regex(/^[^,\s]+$/, "a volume id, storage:GiB or a host path, without commas")
      .describe("storage:GiB (new), storage:volume (existing) or /host/dir (bind mount)"),
    path: z
      .string()
      .regex(/^\/\S*$/, "an absolute path")
      .describe("Mount path inside the container"),
    read_only: z.boolean().optional(),
    backup: z.boolean().optional().describe("Include in backups (volumes only; default false)"),
    extra_options: extraOptions,
  }),
  output: diskOutput,
  annotations: DESTRUCTIVE, // an existing volume or a host directory opens data to the guest
  losesNothing: async (args) => /^[^/:]+:\d+(?:\.\d+)?$/.test(args.volume),
  endpoints: [CLUSTER_RESOURCES, GUEST_CONFIG.only("lxc"), ...lxcConfigWrite("mp[n]")],
  async handler(args, ctx) {
    return onGuest(ctx, { ...args, type: "lxc" }, async (guest) => {
      expectType(guest, "lxc", "add_lxc_mountpoint");
      const { key, stored, write } = await addInSlot(
        ctx,
        guest,
        {
          key: (config) => args.mp_id ?? freeSlot(config, "mp"),
          inUseHint: PICK_FREE,
          readBack: true,
        },
        () =>
          [
            args.volume,
            `mp=${args.path}`,
            ...(args.read_only ? ["ro=1"] : []),
            ...(args.backup === undefined ? [] : [`backup=${args.backup ? 1 : 0}`]),
            ...(args.extra_options ? [args.extra_options] : []),
          ].join(","),
      );
      const message = `mounted ${args.volume} at ${args.path} as ${key} in ${describeGuest(guest)}${pendingNote(guest, write.pending)}`;
      return { data: { ...guestData(guest), device: key, message, ...write, value: stored } };
    });
  },
});

export const removeLxcMountpoint = defineTool({
  name: "remove_lxc_mountpoint",
  title: "Remove a container mount point",
  toolset: "disks",
  description:
    "Unmount mpN from a container. A volume stays as unusedN (data kept) unless destroy is true; a bind mount just disappears (the host directory is untouched).",
  input: z.strictObject({
    node: nodeOptional,
    vmid,
    mp_id: z
      .string()
      .regex(/^mp\d{1,3}$/, "mp0 … mp255")
      .describe("Mount point to remove, e.g. mp0"),
    destroy: z.boolean().optional().describe("Also delete the volume and its data"),
  }),
  output: removeOutput,
  annotations: DESTRUCTIVE,
  endpoints: [CLUSTER_RESOURCES, GUEST_CONFIG.only("lxc"), ...lxcConfigWrite("delete")],
  async handler(args, ctx) {
    return onGuest(ctx, { ...args, type: "lxc" }, async (guest) => {
      expectType(guest, "lxc", "remove_lxc_mountpoint");
      const r = await removeVolume(ctx, guest, args.mp_id, args.destroy ?? false);
      return { data: { ...guestData(guest), device: args.mp_id, ...r } };
    });
  },
});

export const guestDiskTools: ToolDef[] = [
  addDisk,
  removeDisk,
  resizeDisk,
  moveDisk,
  addLxcMountpoint,
  removeLxcMountpoint,
];
