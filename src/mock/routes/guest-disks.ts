// Disk operations of qemu and lxc guests: resize, move to another storage, convert to template.
import { volumeOf } from "../disks.ts";
import { fail, paramError, TaskFailure } from "../errors.ts";
import { formatBytes, formatSize, parsePropertyString, printPropertyString } from "../format.ts";
import { digestOf, loadGuest, lockError, setLock, typeWord } from "../guests.ts";
import { node, type ParamSpec, type Params, skiplock, storage, vmid } from "../params.ts";
import type { Principal } from "../perms.ts";
import type { MockContext, Route } from "../router.ts";
import {
  type GuestType,
  isTemplate,
  type MockGuest,
  parseSize,
  storageOnNode,
  type TaskLogLine,
} from "../state.ts";
import { spread } from "../tasks.ts";

const range = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
const QEMU_DISKS = [
  ...range("ide", 4),
  ...range("scsi", 31),
  ...range("virtio", 16),
  ...range("sata", 6),
  "efidisk0",
  "tpmstate0",
];
const LXC_VOLUMES = ["rootfs", ...range("mp", 256)];
const UNUSED = range("unused", 256);

const SIZE_PATTERN = "\\+?\\d+(\\.\\d+)?[KMGT]?";
const digest: ParamSpec = {
  type: "string",
  optional: true,
  maxLength: 40,
  description: "Prevent changes if current configuration file has a different digest.",
};

function checkDigest(guest: MockGuest, params: Params): void {
  if (typeof params.digest === "string" && params.digest !== digestOf(guest)) {
    throw fail("detected modified configuration - file changed by other user? Try again.");
  }
}

/** The drive string of `key`, or PVE's "does not exist". */
function driveOf(guest: MockGuest, key: string): string {
  const value = guest.config[key];
  if (typeof value !== "string") throw fail(`disk '${key}' does not exist`);
  return value;
}

const lvName = (volid: string) => volid.split(":")[1] ?? volid;

function resizeRoute(kind: GuestType): Route {
  return {
    method: "PUT",
    path: `/nodes/{node}/${kind}/{vmid}/resize`,
    description: kind === "qemu" ? "Extend volume size." : "Resize a container mount point.",
    permission: [
      { path: "/vms/{vmid}", privs: ["VM.Config.Disk"], ...(kind === "lxc" ? { any: true } : {}) },
    ],
    proxyto: "node",
    parameters: {
      node,
      vmid,
      disk: {
        type: "string",
        enum: kind === "qemu" ? QEMU_DISKS : LXC_VOLUMES,
        description: "The disk you want to resize.",
      },
      size: {
        type: "string",
        pattern: SIZE_PATTERN,
        description:
          "The new size. With the `+` sign the value is added to the actual size of the volume and without it, the value is taken as an absolute one. Shrinking disk size is not supported.",
      },
      digest,
      ...(kind === "qemu" ? { skiplock } : {}),
    },
    handler: ({ mock, params, who }) => {
      const guest = loadGuest(mock.state, kind, String(params.node), Number(params.vmid));
      const key = String(params.disk);
      const request = String(params.size);
      // resize_vm checks everything inside its worker: failures end the task.
      let why = params.skiplock === true ? undefined : lockError(guest);
      const value = typeof guest.config[key] === "string" ? String(guest.config[key]) : undefined;
      const volid = value ? volumeOf(value) : undefined;
      const current = parseSize(/size=([^,]+)/.exec(value ?? "")?.[1] ?? "0");
      const amount = parseSize(request.replace(/^\+/, ""));
      const wanted = request.startsWith("+") ? current + amount : amount;
      if (!why && !value) why = `disk '${key}' does not exist`;
      if (!why && value?.includes("media=cdrom")) why = "you can't resize a cdrom";
      if (!why && wanted < current)
        why = kind === "qemu" ? "shrinking disks is not supported" : "unable to shrink disk size";
      const lv = `pve/${volid ? lvName(volid) : key}`;
      const extents = (b: number) => Math.round(b / 2 ** 22);
      const lines = [
        `  Size of logical volume ${lv} changed from ${(current / 2 ** 30).toFixed(2)} GiB (${extents(current)} extents) to ${(wanted / 2 ** 30).toFixed(2)} GiB (${extents(wanted)} extents).`,
        `  Logical volume ${lv} successfully resized.`,
        ...(kind === "lxc"
          ? [
              "resize2fs 1.47.2 (1-Jan-2025)",
              `Resizing the filesystem on /dev/${lv} to ${wanted / 4096} (4k) blocks.`,
              `The filesystem on /dev/${lv} is now ${wanted / 4096} (4k) blocks long.`,
            ]
          : []),
      ];
      return mock.tasks.start({
        node: guest.node,
        type: "resize",
        id: String(guest.vmid),
        who,
        lock: { target: guest },
        error: why,
        lines: why ? [] : spread(lines, 0.2, 0.9),
        finish: () => {
          // Under the lock nothing else edits the config, but a skiplock edit may still.
          if (typeof guest.config[key] !== "string")
            throw new TaskFailure(`disk '${key}' does not exist`);
          const { head, pairs } = parsePropertyString(String(guest.config[key]));
          pairs.set("size", formatSize(wanted));
          guest.config[key] = printPropertyString(head, pairs);
          const vol = mock.state.volumes.find((v) => v.volid === volid);
          if (vol) vol.size = wanted;
          return undefined;
        },
      }).upid;
    },
  };
}

/** A free volume name vm-<vmid>-disk-<n> on a storage. */
function freeVolumeName(mock: MockContext, store: string, id: number): string {
  let n = 0;
  while (mock.state.volumes.some((v) => v.volid === `${store}:vm-${id}-disk-${n}`)) n++;
  return `vm-${id}-disk-${n}`;
}

function moveLines(from: string, key: string, target: string, size: number): TaskLogLine[] {
  const texts = [
    `create full clone of drive ${key} (${from})`,
    `  Logical volume "${target}" created.`,
    ...[0, 25, 50, 75, 100].map(
      (p) =>
        `transferred ${formatBytes((size * p) / 100)} of ${formatBytes(size)} (${p.toFixed(2)}%)`,
    ),
  ];
  return spread(texts, 0.05, 0.9);
}

/** POST qemu move_disk / lxc move_volume: copy a volume to another storage (task `qmmove` / `move_volume`). */
function moveVolume(mock: MockContext, kind: GuestType, params: Params, who: Principal): string {
  const guest = loadGuest(mock.state, kind, String(params.node), Number(params.vmid));
  const key = String(kind === "qemu" ? params.disk : params.volume);
  if (params["target-vmid"] !== undefined) {
    throw fail("moving a volume to another guest is not simulated by the mock cluster");
  }
  if (typeof params.storage !== "string") {
    throw paramError({ storage: "either set 'storage' or 'target-vmid'" });
  }
  const locked = lockError(guest);
  if (locked) throw fail(locked);
  checkDigest(guest, params);
  const value = driveOf(guest, key);
  if (value.includes("media=cdrom")) throw fail("you can't move a cdrom");
  if (kind === "lxc" && guest.status === "running") {
    throw fail("cannot move volumes of a running container");
  }
  const volid = volumeOf(value);
  if (!volid) throw fail(`disk '${key}' is not a volume of a storage`);
  const targetStore = params.storage;
  const store = mock.state.storages.get(targetStore);
  if (!store || !storageOnNode(store, guest.node)) {
    throw fail(`storage '${targetStore}' does not exist`);
  }
  const wanted = kind === "qemu" ? "images" : "rootdir";
  if (!store.content.includes(wanted)) {
    throw fail(`storage '${targetStore}' does not support content-type '${wanted}'`);
  }
  if (volid.split(":")[0] === targetStore && params.format === undefined) {
    throw fail("you can't move to the same storage with same format");
  }
  const source = mock.state.volumes.find((v) => v.volid === volid);
  const size = source?.size ?? parseSize(/size=([^,]+)/.exec(value)?.[1] ?? "0");
  const name = freeVolumeName(mock, targetStore, guest.vmid);
  if (kind === "lxc") setLock(guest, "disk");
  return mock.tasks.start({
    node: guest.node,
    type: kind === "qemu" ? "qmmove" : "move_volume",
    id: String(guest.vmid),
    who,
    long: true,
    lock: { target: guest },
    lines: moveLines(volid, key, name, size),
    finish: () => {
      if (guest.config[key] !== value) throw new TaskFailure(`${key} changed during the move`);
      const { pairs } = parsePropertyString(value);
      guest.config[key] = printPropertyString(`${targetStore}:${name}`, pairs);
      mock.state.volumes.push({
        storage: targetStore,
        ...(store.shared ? {} : { node: guest.node }),
        volid: `${targetStore}:${name}`,
        content: wanted,
        format: typeof params.format === "string" ? params.format : "raw",
        size,
        vmid: guest.vmid,
      });
      if (params.delete === true) {
        mock.state.volumes = mock.state.volumes.filter((v) => v.volid !== volid);
        return [`  Logical volume "${lvName(volid)}" successfully removed.`];
      }
      let n = 0;
      while (guest.config[`unused${n}`] !== undefined) n++;
      guest.config[`unused${n}`] = volid;
      return undefined;
    },
    cleanup: () => {
      if (guest.lock === "disk") setLock(guest, undefined);
    },
  }).upid;
}

const moveCommon = {
  node,
  vmid,
  storage: { ...storage, optional: true, description: "Target storage." },
  delete: {
    type: "boolean",
    optional: true,
    default: 0,
    description: "Delete the original volume after successful copy.",
  },
  digest,
  "target-digest": { ...digest, description: "Prevent changes if the target's config differs." },
  "target-vmid": { ...vmid, optional: true, description: "The (unique) ID of the target guest." },
} satisfies Record<string, ParamSpec>;

const moveRoutes: Route[] = [
  {
    method: "POST",
    path: "/nodes/{node}/qemu/{vmid}/move_disk",
    description: "Move volume to different storage or to a different VM.",
    permission: [{ path: "/vms/{vmid}", privs: ["VM.Config.Disk"] }],
    proxyto: "node",
    parameters: {
      ...moveCommon,
      disk: {
        type: "string",
        enum: [...QEMU_DISKS, ...UNUSED],
        description: "The disk you want to move.",
      },
      "target-disk": {
        type: "string",
        optional: true,
        enum: [...QEMU_DISKS, ...UNUSED],
        description: "The config key the disk will be moved to on the target VM.",
      },
      format: {
        type: "string",
        optional: true,
        enum: ["raw", "qcow2", "vmdk"],
        description: "Target Format.",
      },
      bwlimit: {
        type: "integer",
        optional: true,
        minimum: 0,
        description: "Override I/O bandwidth limit (in KiB/s).",
      },
    },
    handler: ({ mock, params, who }) => moveVolume(mock, "qemu", params, who),
  },
  {
    method: "POST",
    path: "/nodes/{node}/lxc/{vmid}/move_volume",
    description: "Move a rootfs-/mp-volume to a different storage or to a different container.",
    permission: [{ path: "/vms/{vmid}", privs: ["VM.Config.Disk"] }],
    proxyto: "node",
    parameters: {
      ...moveCommon,
      volume: {
        type: "string",
        enum: [...LXC_VOLUMES, ...UNUSED],
        description: "Volume which will be moved.",
      },
      "target-volume": {
        type: "string",
        optional: true,
        enum: [...LXC_VOLUMES, ...UNUSED],
        description: "The config key the volume will be moved to.",
      },
      bwlimit: {
        type: "number",
        optional: true,
        minimum: 0,
        description: "Override I/O bandwidth limit (in KiB/s).",
      },
    },
    handler: ({ mock, params, who }) => moveVolume(mock, "lxc", params, who),
  },
];

/** Converts to a template: disks become read-only base volumes (vm-… → base-…). */
function toTemplate(mock: MockContext, guest: MockGuest): string[] {
  const lines: string[] = [];
  for (const [key, value] of Object.entries(guest.config)) {
    if (typeof value !== "string" || key.startsWith("unused")) continue;
    const volid = volumeOf(value);
    if (!volid?.includes(":vm-")) continue;
    const base = volid.replace(":vm-", ":base-");
    guest.config[key] = value.replace(volid, base);
    const vol = mock.state.volumes.find((v) => v.volid === volid);
    if (vol) vol.volid = base;
    lines.push(
      `  Renamed "${lvName(volid)}" to "${lvName(base)}" in volume group "pve"`,
      `  Logical volume pve/${lvName(base)} changed.`,
    );
  }
  guest.config.template = 1;
  return lines;
}

function templateRoute(kind: GuestType): Route {
  const word = typeWord(kind);
  return {
    method: "POST",
    path: `/nodes/{node}/${kind}/{vmid}/template`,
    description: "Create a Template.",
    permission: [{ path: "/vms/{vmid}", privs: ["VM.Allocate"] }],
    proxyto: "node",
    parameters: {
      node,
      vmid,
      ...(kind === "qemu"
        ? {
            disk: {
              type: "string",
              optional: true,
              enum: QEMU_DISKS,
              description: "If you want to convert only 1 disk to base image.",
            },
          }
        : {}),
    },
    handler: ({ mock, params, who }) => {
      const guest = loadGuest(mock.state, kind, String(params.node), Number(params.vmid));
      const locked = lockError(guest);
      if (locked) throw fail(locked);
      if (isTemplate(guest)) throw fail("you can't convert a template to a template");
      if (guest.status === "running") {
        throw fail(
          kind === "qemu"
            ? "you can't convert a VM to template if VM is running"
            : `you can't convert a ${word} to template if the ${word} is running`,
        );
      }
      // pct template is synchronous (returns null); qm template forks a qmtemplate worker.
      if (kind === "lxc") {
        toTemplate(mock, guest);
        return null;
      }
      return mock.tasks.start({
        node: guest.node,
        type: "qmtemplate",
        id: String(guest.vmid),
        who,
        lock: { target: guest },
        finish: () => toTemplate(mock, guest),
      }).upid;
    },
  };
}

export const guestDiskRoutes: Route[] = [
  resizeRoute("qemu"),
  resizeRoute("lxc"),
  ...moveRoutes,
  templateRoute("qemu"),
  templateRoute("lxc"),
];
