// QEMU-only calls: create, config writes, clone.

import { restoreGuest } from "../backup.ts";
import { checkUpdate, updateConfig, updateLine, withSize } from "../config-update.ts";
import { allocateDisk, newVolumeName, storageConfig, volumeOf } from "../disks.ts";
import { checkQemuDrives, existingVolumeSize, resolveCdromAlias } from "../drive-check.ts";
import { fail, TaskFailure } from "../errors.ts";
import { formatBytes, parsePropertyString, printPropertyString } from "../format.ts";
import {
  isDiskKey,
  loadGuest,
  lockError,
  markRunning,
  newMac,
  normalizeNet,
  setLock,
  storedValue,
  vmidTaken,
} from "../guests.ts";
import { node, opt, type Params, skiplock, vmid } from "../params.ts";
import type { Principal } from "../perms.ts";
import type { MockContext, Route } from "../router.ts";
import {
  type ConfigValue,
  guestName,
  type MockGuest,
  parseSize,
  storageOnNode,
  type TaskLogLine,
} from "../state.ts";
import { spread } from "../tasks.ts";
import { QEMU_OPTIONS } from "./qemu-options.ts";

const configPerm = [
  {
    path: "/vms/{vmid}",
    privs: [
      "VM.Config.Disk",
      "VM.Config.CDROM",
      "VM.Config.CPU",
      "VM.Config.Memory",
      "VM.Config.Network",
      "VM.Config.HWType",
      "VM.Config.Options",
      "VM.Config.Cloudinit",
    ],
    any: true,
  },
];

const UPDATE_PARAMS = {
  node,
  vmid,
  ...QEMU_OPTIONS,
  delete: {
    type: "string",
    optional: true,
    format: "pve-configid-list",
    description: "A list of settings you want to delete.",
  },
  digest: {
    type: "string",
    optional: true,
    maxLength: 40,
    description: "Prevent changes if current configuration file has a different digest.",
  },
  force: {
    type: "boolean",
    optional: true,
    description:
      "Force physical removal. Without this, we simple remove the disk from the config file and create an additional configuration entry called 'unused[n]', which contains the volume ID.",
  },
  revert: {
    type: "string",
    optional: true,
    format: "pve-configid-list",
    description: "Revert a pending change.",
  },
  skiplock,
} as const;

/** Builds a new VM's config from the create parameters, allocating its disks. */
function createConfig(mock: MockContext, guest: MockGuest, params: Params): string[] {
  const log: string[] = [];
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || !(key in QEMU_OPTIONS || /^[a-z]+\d+$/.test(key))) continue;
    if (["vmid", "node", "pool", "start", "storage"].includes(key)) continue;
    let stored = storedValue(UPDATE_PARAMS, key, value, "qemu");
    if (typeof stored === "string" && isDiskKey("qemu", key)) {
      const res = allocateDisk(mock.state, guest, key, stored);
      if (res.value !== stored) {
        stored = res.value;
        if (res.log) log.push(res.log, `${key}: successfully created disk '${stored}'`);
      } else {
        const size = existingVolumeSize(mock.state, guest.node, stored, key);
        if (size !== undefined) stored = withSize(stored, size);
      }
    }
    guest.config[key] = stored;
  }
  return log;
}

function createRoute(): Route {
  return {
    method: "POST",
    path: "/nodes/{node}/qemu",
    description: "Create or restore a virtual machine.",
    permission: [{ path: "/vms/{vmid}", privs: ["VM.Allocate"] }],
    proxyto: "node",
    parameters: {
      node,
      vmid,
      ...QEMU_OPTIONS,
      pool: {
        type: "string",
        optional: true,
        format: "pve-poolid",
        description: "Add the VM to the specified pool.",
      },
      start: {
        type: "boolean",
        optional: true,
        default: 0,
        description: "Start VM after it was created successfully.",
      },
      storage: {
        type: "string",
        optional: true,
        format: "pve-storage-id",
        description: "Default storage.",
      },
      template: {
        type: "boolean",
        optional: true,
        default: 0,
        description: "Enable/disable Template.",
      },
      unique: {
        type: "boolean",
        optional: true,
        description: "Assign a unique random ethernet address.",
      },
      archive: {
        type: "string",
        optional: true,
        maxLength: 255,
        description:
          "The backup archive. Either the file system path to a .tar or .vma file or a proxmox storage backup volume identifier.",
      },
      force: {
        type: "boolean",
        optional: true,
        description: "Allow to overwrite existing VM.",
      },
      "live-restore": {
        type: "boolean",
        optional: true,
        description: "Start the VM immediately while importing or restoring in the background.",
      },
      bwlimit: {
        type: "integer",
        optional: true,
        minimum: 0,
        description: "Override I/O bandwidth limit (in KiB/s).",
      },
      "ha-managed": {
        type: "boolean",
        optional: true,
        default: 0,
        description: "Add the VM as a HA resource after it was created.",
      },
      "import-working-storage": {
        type: "string",
        optional: true,
        format: "pve-storage-id",
        description: "A file-based storage with 'images' content-type enabled.",
      },
    },
    handler: ({ mock, params, who }) => {
      // With an archive this is a restore (qmrestore).
      if (typeof params.archive === "string")
        return restoreGuest(mock, "qemu", params, params.archive, who);
      const nodeName = String(params.node);
      const id = Number(params.vmid);
      resolveCdromAlias(params);
      checkQemuDrives(mock.state, params);
      const taken = vmidTaken(mock.state, id);
      if (taken) throw fail(`unable to create VM ${id} - ${taken}`);
      if (typeof params.pool === "string" && !mock.state.pools.has(params.pool)) {
        throw fail(`pool '${params.pool}' does not exist`);
      }
      const guest: MockGuest = {
        vmid: id,
        type: "qemu",
        node: nodeName,
        status: "stopped",
        qmpstatus: "stopped",
        config: {},
        lock: "create",
        snapshots: [],
        stats: { cpu: 0, mem: 0, disk: 0, netin: 0, netout: 0, diskread: 0, diskwrite: 0 },
        ...(typeof params.pool === "string" ? { pool: params.pool } : {}),
      };
      const log = createConfig(mock, guest, params);
      guest.config.smbios1 ??= `uuid=${crypto.randomUUID()}`;
      guest.config.vmgenid ??= crypto.randomUUID();
      guest.config.meta = `creation-qemu=10.1.2,ctime=${Math.floor(Date.now() / 1000)}`;
      mock.state.guests.set(id, guest);
      return mock.tasks.start({
        node: nodeName,
        type: "qmcreate",
        id: String(id),
        who,
        lines: spread(log, 0.1, 0.8),
        finish: () => {
          setLock(guest, undefined);
          if (params.start === true) markRunning(guest);
          return undefined;
        },
        cleanup: () => {
          // A failed create leaves nothing behind.
          if (guest.lock === "create") {
            mock.state.guests.delete(id);
            mock.state.volumes = mock.state.volumes.filter(
              (v) => v.vmid !== id || v.content === "backup",
            );
          }
        },
      }).upid;
    },
  };
}

/**
 * Passing a host's real PCI or USB device (not a resource mapping) is root@pam's alone; an API
 * token of root@pam is not root@pam here (check_vm_create_hostpci_perm / _usb_perm).
 */
function checkDevicePerms(who: Principal, params: Params): void {
  if (who.userid === "root@pam" && !who.tokenid) return;
  for (const [key, value] of Object.entries(params)) {
    if (!/^(hostpci|usb)\d+$/.test(key) || typeof value !== "string") continue;
    if (/(^|,)mapping=/.test(value) || (key.startsWith("usb") && /^spice(,|$)/.test(value)))
      continue;
    throw fail(`only root can set '${key}' config for real devices`);
  }
}

function configWriteRoutes(): Route[] {
  /** The checks made before the lock is taken; the guest whose config changes. */
  const check = (mock: MockContext, params: Params, who: Principal): MockGuest => {
    checkDevicePerms(who, params);
    const guest = loadGuest(mock.state, "qemu", String(params.node), Number(params.vmid));
    checkUpdate(mock.state, guest, UPDATE_PARAMS, params);
    return guest;
  };
  return [
    {
      method: "PUT",
      path: "/nodes/{node}/qemu/{vmid}/config",
      description:
        "Set virtual machine options (synchronous API) - You should consider using the POST method instead for any actions involving hotplug or storage allocation.",
      permission: configPerm,
      proxyto: "node",
      parameters: UPDATE_PARAMS,
      handler: async ({ mock, params, who }) => {
        const guest = check(mock, params, who);
        // PUT is update_vm_api's synchronous form: it waits for the config lock itself.
        await mock.locks.with(guest, () => updateConfig(mock.state, guest, UPDATE_PARAMS, params));
        return null;
      },
    },
    {
      method: "POST",
      path: "/nodes/{node}/qemu/{vmid}/config",
      description: "Set virtual machine options (asynchronous API).",
      permission: configPerm,
      proxyto: "node",
      parameters: {
        ...UPDATE_PARAMS,
        background_delay: {
          type: "integer",
          optional: true,
          minimum: 1,
          maximum: 30,
          description:
            "Time to wait for the task to finish. We return 'null' if the task finish within that time.",
        },
      },
      handler: ({ mock, params, who }) => {
        const guest = check(mock, params, who);
        // The qmconfig worker takes the lock and writes; a free lock means done at once.
        const free = !mock.locks.isHeld(guest.vmid);
        const task = mock.tasks.start({
          node: String(params.node),
          type: "qmconfig",
          id: String(params.vmid),
          who,
          lock: { target: guest },
          begin: () => {
            const line = updateLine(guest, params);
            try {
              updateConfig(mock.state, guest, UPDATE_PARAMS, params);
            } catch (e) {
              throw new TaskFailure((e as Error).message, [line]);
            }
            return [line];
          },
        });
        if (!free || params.background_delay === undefined) return task.upid;
        // background_delay: the answer waits for the worker; it ended at once (null) or failed.
        if (task.status === "stopped" && task.exitstatus !== "OK") {
          throw fail(`failed to update VM ${guest.vmid}: ${task.exitstatus}`);
        }
        return null;
      },
    },
  ];
}

/** Disks a clone copies: every drive with a managed volume (not CD-ROMs). */
function cloneDisks(guest: MockGuest): [string, string][] {
  return Object.entries(guest.config)
    .filter(
      ([k, v]) =>
        isDiskKey("qemu", k) &&
        typeof v === "string" &&
        volumeOf(v) !== undefined &&
        !v.includes("media=cdrom"),
    )
    .map(([k, v]) => [k, String(v)]);
}

function cloneLines(guest: MockGuest, newid: number, full: boolean): TaskLogLine[] {
  const lines: TaskLogLine[] = [];
  const disks = cloneDisks(guest);
  const share = disks.length > 0 ? 0.9 / disks.length : 0;
  disks.forEach(([key, value], i) => {
    const from = i * share;
    const volid = volumeOf(value) as string;
    const size = parseSize(/size=([^,]+)/.exec(value)?.[1] ?? "1G");
    const target = `vm-${newid}-disk-${i}`;
    if (!full) {
      lines.push({ at: from, text: `create linked clone of drive ${key} (${volid})` });
      lines.push({ at: from + share / 2, text: `  Logical volume "${target}" created.` });
      return;
    }
    lines.push({ at: from, text: `create full clone of drive ${key} (${volid})` });
    lines.push({ at: from, text: `  Logical volume "${target}" created.` });
    const running = guest.status === "running";
    if (running) lines.push({ at: from, text: `drive mirror is starting for drive-${key}` });
    for (let step = 0; step <= 10; step++) {
      const done = (size * step) / 10;
      const pct = ((done / size) * 100).toFixed(2);
      const at = from + (share * step) / 11;
      lines.push({
        at,
        text: running
          ? `drive-${key}: transferred ${formatBytes(done)} of ${formatBytes(size)} (${pct}%) in ${step * 4}s${step === 10 ? ", ready" : ""}`
          : `transferred ${formatBytes(done)} of ${formatBytes(size)} (${pct}%)`,
      });
    }
    if (running) {
      lines.push({ at: from + share * 0.95, text: "all 'mirror' jobs are ready" });
      lines.push({ at: from + share * 0.96, text: `drive-${key}: Completing block job...` });
      lines.push({ at: from + share * 0.97, text: `drive-${key}: Completed successfully.` });
      lines.push({ at: from + share * 0.98, text: `drive-${key}: mirror-job finished` });
    }
  });
  return lines;
}

function cloneRoute(): Route {
  return {
    method: "POST",
    path: "/nodes/{node}/qemu/{vmid}/clone",
    description: "Create a copy of virtual machine/template.",
    permission: [
      { path: "/vms/{vmid}", privs: ["VM.Clone"] },
      { path: "/vms/{newid}", privs: ["VM.Allocate"] },
    ],
    proxyto: "node",
    parameters: {
      node,
      vmid,
      newid: { ...vmid, description: "VMID for the clone." },
      bwlimit: {
        type: "integer",
        optional: true,
        minimum: 0,
        description: "Override I/O bandwidth limit (in KiB/s).",
      },
      description: { type: "string", optional: true, description: "Description for the new VM." },
      format: {
        type: "string",
        optional: true,
        enum: ["raw", "qcow2", "vmdk"],
        description: "Target format for file storage. Only valid for full clone.",
      },
      full: {
        type: "boolean",
        optional: true,
        description:
          "Create a full copy of all disks. This is always done when you clone a normal VM. For VM templates, we try to create a linked clone by default.",
      },
      name: {
        type: "string",
        optional: true,
        format: "dns-name",
        description: "Set a name for the new VM.",
      },
      pool: {
        type: "string",
        optional: true,
        format: "pve-poolid",
        description: "Add the new VM to the specified pool.",
      },
      snapname: {
        type: "string",
        optional: true,
        format: "pve-configid",
        maxLength: 40,
        description: "The name of the snapshot.",
      },
      storage: opt({ type: "string", format: "pve-storage-id" }, "Target storage for full clone."),
      target: opt(node, "Target node. Only allowed if the original VM is on shared storage."),
    },
    handler: ({ mock, params, who }) => cloneVm(mock, params, who),
  };
}

function cloneVm(mock: MockContext, params: Params, who: Principal): string {
  const nodeName = String(params.node);
  const id = Number(params.vmid);
  const newid = Number(params.newid);
  const source = loadGuest(mock.state, "qemu", nodeName, id);
  const existing = mock.state.guests.get(newid);
  if (existing?.node === nodeName)
    throw fail(`unable to create VM ${newid}: config file already exists`);
  if (existing) throw fail(`unable to create VM ${newid} - ${vmidTaken(mock.state, newid)}`);
  const target = typeof params.target === "string" ? params.target : nodeName;
  if (!mock.state.nodes.has(target)) throw fail(`no such cluster node '${target}'`);
  const template = Number(source.config.template ?? 0) === 1;
  const full = params.full === true || !template;
  if (!full && target !== nodeName)
    throw fail("Linked clone feature is not supported for this storage on another node");
  const storeid = typeof params.storage === "string" ? params.storage : undefined;
  if (storeid) {
    const s = mock.state.storages.get(storeid);
    if (!s || !storageOnNode(s, target)) throw fail(`storage '${storeid}' does not exist`);
  }
  const locked = lockError(source);
  if (locked) throw fail(locked);
  if (typeof params.pool === "string" && !mock.state.pools.has(params.pool))
    throw fail(`pool '${params.pool}' does not exist`);

  // The new config exists from the start, locked "clone"; the worker holds the source's config
  // lock (shared while it is stopped, so clones of one template run side by side).
  const config: Record<string, ConfigValue> = {};
  for (const [k, v] of Object.entries(source.config)) {
    if (
      ["template", "protection", "meta", "vmgenid", "smbios1"].includes(k) ||
      /^unused\d+$/.test(k)
    )
      continue;
    if (isDiskKey("qemu", k) && typeof v === "string" && volumeOf(v) && !v.includes("media=cdrom"))
      continue;
    config[k] = /^net\d+$/.test(k)
      ? normalizeNet("qemu", String(v).replace(/=([0-9A-F:]{17})/i, `=${newMac()}`))
      : v;
  }
  config.name = typeof params.name === "string" ? params.name : `Copy-of-VM-${guestName(source)}`;
  if (typeof params.description === "string") config.description = params.description;
  config.smbios1 = `uuid=${crypto.randomUUID()}`;
  config.vmgenid = crypto.randomUUID();

  const clone: MockGuest = {
    vmid: newid,
    type: "qemu",
    node: target,
    status: "stopped",
    qmpstatus: "stopped",
    config,
    lock: "clone",
    snapshots: [],
    stats: { cpu: 0, mem: 0, disk: 0, netin: 0, netout: 0, diskread: 0, diskwrite: 0 },
    ...(typeof params.pool === "string" ? { pool: params.pool } : {}),
  };
  mock.state.guests.set(newid, clone);
  const disks = cloneDisks(source);
  return mock.tasks.start({
    node: nodeName,
    type: "qmclone",
    id: String(id),
    who,
    long: true,
    lock: { target: source, shared: source.status !== "running", timeoutSec: 1 },
    lines: cloneLines(source, newid, full),
    finish: () => {
      for (const [key, value] of disks) {
        const storeId = storeid ?? (volumeOf(value) as string).split(":")[0] ?? "local-lvm";
        const store = storageConfig(mock.state, storeId);
        const vol = newVolumeName(mock.state, store, newid);
        // LVM-thin does not name the base in a linked clone's volume ID (vm-106-disk-0).
        clone.config[key] = printPropertyString(vol.volid, parsePropertyString(value).pairs);
        const src = mock.state.volumes.find((v) => v.volid === volumeOf(value));
        mock.state.volumes.push({
          storage: storeId,
          ...(store.shared ? {} : { node: target }),
          volid: vol.volid,
          content: "images",
          format: vol.format,
          size: src?.size ?? 2 ** 30,
          vmid: newid,
        });
      }
      setLock(clone, undefined);
      return undefined;
    },
    cleanup: () => {
      if (clone.lock === "clone") mock.state.guests.delete(newid);
    },
  }).upid;
}

export const qemuRoutes: Route[] = [createRoute(), ...configWriteRoutes(), cloneRoute()];
