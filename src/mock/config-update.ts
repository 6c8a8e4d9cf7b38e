// PUT/POST …/config: locks, digest, delete, typed values, new disks; as update_vm_api does.

import { allocateDisk, volumeOf } from "./disks.ts";
import {
  checkLxcVolumes,
  checkQemuDrives,
  existingVolumeSize,
  resolveCdromAlias,
} from "./drive-check.ts";
import { fail, paramError } from "./errors.ts";
import { formatSize, parsePropertyString, printPropertyString } from "./format.ts";
import { splitList } from "./formats/index.ts";
import { bridgeExists, digestOf, isDiskKey, lockError, storedValue } from "./guests.ts";
import { type Params, type ParamTable, specFor } from "./params.ts";
import type { ClusterState, MockGuest } from "./state.ts";

const CONTROL = new Set([
  "node",
  "vmid",
  "digest",
  "delete",
  "revert",
  "skiplock",
  "force",
  "background_delay",
]);

/** The checks of `delete` and `revert` before anything is written (update_vm_api, update_pct_config). */
function checkDeleteRevert(guest: MockGuest, table: ParamTable, params: Params): void {
  const known = (key: string) => key === "lock" || specFor(table, key) !== undefined;
  const revert = splitList(params.revert);
  for (const key of revert) {
    if (!known(key)) throw paramError({ revert: `unknown option '${key}'` });
    if (params[key] !== undefined) {
      throw paramError({ delete: `you can't use '-${key}' and -revert ${key}' at the same time` });
    }
  }
  for (const key of splitList(params.delete)) {
    if (params[key] !== undefined) {
      throw paramError({ delete: `you can't use '-${key}' and -delete ${key}' at the same time` });
    }
    if (revert.includes(key)) {
      throw paramError({
        revert: `you can't use '-delete ${key}' and -revert ${key}' at the same time`,
      });
    }
    if (!known(key)) throw paramError({ delete: `unknown option '${key}'` });
    if (guest.type === "lxc" && ["memory", "rootfs", "ostype"].includes(key)) {
      throw fail(`unable to delete required option '${key}'`);
    }
    if (guest.type === "lxc" && key === "unprivileged") {
      throw fail(`unable to delete read-only option: '${key}'`);
    }
  }
  if (guest.type === "lxc" && params.unprivileged !== undefined) {
    throw fail("unable to modify read-only option: 'unprivileged'");
  }
}

/**
 * The checks of a config change that come before the config lock is taken: parameters, volumes,
 * then (load_and_check_config) the `lock` property and the digest. Changes nothing.
 */
export function checkUpdate(
  state: ClusterState,
  guest: MockGuest,
  table: ParamTable,
  params: Params,
): void {
  if (guest.type === "qemu") {
    resolveCdromAlias(params);
    checkQemuDrives(state, params);
  } else checkLxcVolumes(state, params);
  checkDeleteRevert(guest, table, params);
  if (
    params.delete === undefined &&
    params.revert === undefined &&
    Object.keys(params).every((k) => CONTROL.has(k))
  ) {
    throw fail("no options specified");
  }
  if (params.skiplock !== true) {
    const locked = lockError(guest);
    if (locked) throw fail(locked);
  }
  if (typeof params.digest === "string" && params.digest !== digestOf(guest)) {
    throw fail(
      guest.type === "qemu"
        ? "checksum mismatch (file change by other user?)"
        : "detected modified configuration - file changed by other user? Try again.",
    );
  }
}

/** The task log's `update VM 100: -cores 2 -delete tags` line, from the request as PVE prints it. */
export function updateLine(guest: MockGuest, params: Params): string {
  const shown = Object.keys(params)
    .filter((k) => !["node", "vmid", "background_delay", "skip_cloud_init"].includes(k))
    .sort()
    .flatMap((k) => {
      const v = params[k];
      const text =
        k === "cipassword" ? "<hidden>" : typeof v === "boolean" ? (v ? "1" : "0") : String(v);
      return [`-${k}`, text];
    });
  return `update ${guest.type === "qemu" ? "VM" : "CT"} ${guest.vmid}: ${shown.join(" ")}`;
}

/** Applies a config change (its checks again first, as updatefn does under the lock). */
export function updateConfig(
  state: ClusterState,
  guest: MockGuest,
  table: ParamTable,
  params: Params,
): string[] {
  checkUpdate(state, guest, table, params);
  const changes: string[] = [];
  const list = (v: unknown) =>
    typeof v === "string" ? v.split(/[,;\s]+/).filter((k) => k !== "") : [];
  // `revert` drops pending changes of these keys.
  for (const key of list(params.revert)) {
    if (guest.pending) delete guest.pending[key];
    guest.pendingDelete = guest.pendingDelete?.filter((k) => k !== key);
    changes.push(`-revert ${key}`);
  }
  for (const key of list(params.delete)) {
    // `qm unlock` is a delete of the lock line.
    if (key === "lock") {
      guest.lock = undefined;
      changes.push("-delete lock");
      continue;
    }
    const value = guest.config[key] ?? guest.pending?.[key];
    if (value === undefined) continue;
    if (guest.pending && key in guest.pending && guest.config[key] === undefined) {
      delete guest.pending[key]; // deleting a value that only exists as pending
      changes.push(`-delete ${key}`);
      continue;
    }
    const volid = typeof value === "string" ? volumeOf(value) : undefined;
    const isDisk = isDiskKey(guest.type, key) && volid !== undefined;
    if (isDisk && Number(guest.config.protection ?? 0) === 1) {
      throw fail(`can't remove drive '${key}' - protection mode enabled`);
    }
    if (!appliesLive(guest, key)) {
      guest.pendingDelete = [...new Set([...(guest.pendingDelete ?? []), key])];
      changes.push(`-delete ${key}`);
      continue;
    }
    if (/^unused\d+$/.test(key) && volid) {
      removeVolume(state, volid); // deleting an unused disk destroys its volume
    } else if (isDisk && volid) {
      // A detached disk is kept as unusedN, unless `force` asks for physical removal.
      if (params.force === true) removeVolume(state, volid);
      else {
        let n = 0;
        while (guest.config[`unused${n}`] !== undefined) n++;
        guest.config[`unused${n}`] = volid;
      }
    }
    delete guest.config[key];
    changes.push(`-delete ${key}`);
  }
  const hotplugErrors: Record<string, string> = {};
  for (const [key, value] of Object.entries(params)) {
    if (CONTROL.has(key) || value === undefined) continue;
    let stored = storedValue(table, key, value, guest.type);
    if (typeof stored === "string" && isDiskKey(guest.type, key)) {
      const allocated = allocateDisk(state, guest, key, stored).value;
      const size =
        allocated === stored ? existingVolumeSize(state, guest.node, stored, key) : undefined;
      stored = size === undefined ? allocated : withSize(allocated, size);
    }
    const live = appliesLive(guest, key);
    const bridge = /^net\d+$/.test(key)
      ? parsePropertyString(String(stored)).pairs.get("bridge")
      : undefined;
    if (live && guest.status === "running" && bridge && !bridgeExists(state, guest.node, bridge)) {
      // The hotplug fails: the change stays pending and the call answers 400 after writing it.
      guest.pending = { ...guest.pending, [key]: stored };
      hotplugErrors[key] =
        guest.type === "qemu"
          ? `hotplug problem - bridge '${bridge}' does not exist`
          : `unable to hotplug ${key}: bridge '${bridge}' does not exist`;
    } else if (live) {
      guest.config[key] = stored;
      if (guest.pending) delete guest.pending[key];
    } else guest.pending = { ...guest.pending, [key]: stored };
    // PVE logs "update VM 100: -cipassword <hidden> …": the password never reaches a log.
    const shown =
      key === "cipassword"
        ? "<hidden>"
        : typeof value === "boolean"
          ? value
            ? 1
            : 0
          : String(value);
    changes.push(`-${key} ${shown}`);
  }
  if (guest.pending && Object.keys(guest.pending).length === 0) guest.pending = undefined;
  if (guest.pendingDelete?.length === 0) guest.pendingDelete = undefined;
  if (Object.keys(hotplugErrors).length > 0) throw paramError(hotplugErrors);
  return changes;
}

/** create_disks writes the volume's real size into the drive string (ISO images too). */
export function withSize(value: string, bytes: number): string {
  const { head, pairs } = parsePropertyString(value);
  pairs.set("size", formatSize(bytes));
  return printPropertyString(head, pairs);
}

// Options PVE writes at once even while the guest runs ($fast_plug_option and the like).
const FAST_PLUG = new Set([
  "name",
  "description",
  "onboot",
  "protection",
  "startup",
  "tags",
  "shares",
  "hotplug",
  "vmstatestorage",
  "hookscript",
]);

/**
 * Whether a change applies to the running guest now; otherwise it waits in the pending section
 * until the next start. QEMU hotplugs what its `hotplug` option allows (default
 * network,disk,usb); cores/sockets and most other hardware need a restart. LXC changes cgroup
 * limits, NICs and mount points live.
 */
export function appliesLive(guest: MockGuest, key: string): boolean {
  if (guest.status !== "running" || FAST_PLUG.has(key)) return true;
  if (guest.type === "lxc") {
    return /^(cores|cpulimit|cpuunits|memory|swap|net\d+|mp\d+|unused\d+)$/.test(key);
  }
  const raw = String(guest.config.hotplug ?? "1");
  const hotplug =
    raw === "1" ? ["network", "disk", "usb"] : raw === "0" ? [] : raw.split(/[,;\s]+/);
  if (/^net\d+$/.test(key)) return hotplug.includes("network");
  if (/^(scsi|virtio)\d+$/.test(key) || /^unused\d+$/.test(key)) return hotplug.includes("disk");
  if (/^usb\d+$/.test(key)) return hotplug.includes("usb");
  if (key === "memory") return hotplug.includes("memory");
  if (key === "vcpus") return hotplug.includes("cpu");
  return ["balloon", "cpulimit", "cpuunits"].includes(key);
}

function removeVolume(state: ClusterState, volid: string): void {
  state.volumes = state.volumes.filter((v) => v.volid !== volid);
}
