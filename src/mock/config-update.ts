// PUT/POST …/config: locks, digest, delete, typed values, new disks; as update_vm_api does.

import { allocateDisk, volumeOf } from "./disks.ts";
import { fail } from "./errors.ts";
import { digestOf, isDiskKey, lockError, storedValue } from "./guests.ts";
import type { Params, ParamTable } from "./params.ts";
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

/** Applies a config change; returns the `-key value` pairs for the task log. */
export function updateConfig(
  state: ClusterState,
  guest: MockGuest,
  table: ParamTable,
  params: Params,
): string[] {
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
  const changes: string[] = [];
  const deletes = typeof params.delete === "string" ? params.delete.split(/[,;\s]+/) : [];
  for (const key of deletes.filter((k) => k !== "")) {
    // `qm unlock` is a delete of the lock line.
    if (key === "lock") {
      guest.lock = undefined;
      changes.push("-delete lock");
      continue;
    }
    const value = guest.config[key];
    if (value === undefined) continue;
    if (isDiskKey(guest.type, key) && typeof value === "string" && volumeOf(value)) {
      if (Number(guest.config.protection ?? 0) === 1) {
        throw fail(`can't remove drive '${key}' - protection mode enabled`);
      }
      // A detached disk is kept as unusedN.
      let n = 0;
      while (guest.config[`unused${n}`] !== undefined) n++;
      guest.config[`unused${n}`] = volumeOf(value) as string;
    }
    delete guest.config[key];
    changes.push(`-delete ${key}`);
  }
  for (const [key, value] of Object.entries(params)) {
    if (CONTROL.has(key) || value === undefined) continue;
    let stored = storedValue(table, key, value, guest.type);
    if (typeof stored === "string" && isDiskKey(guest.type, key)) {
      stored = allocateDisk(state, guest, key, stored).value;
    }
    guest.config[key] = stored;
    changes.push(`-${key} ${typeof value === "boolean" ? (value ? 1 : 0) : String(value)}`);
  }
  return changes;
}
