// Disk volumes: allocation of `storage:size` requests, renaming for clones, removal.
import { fail } from "./errors.ts";
import { parsePropertyString, printPropertyString } from "./format.ts";
import { isDiskKey } from "./guests.ts";
import { type ClusterState, type MockGuest, storageOnNode } from "./state.ts";

const GiB = 2 ** 30;

function nextDiskIndex(state: ClusterState, vmid: number): number {
  let n = 0;
  const used = new Set(state.volumes.filter((v) => v.vmid === vmid).map((v) => v.volid));
  while ([...used].some((id) => id.endsWith(`vm-${vmid}-disk-${n}`))) n++;
  return n;
}

/**
 * Turns a new-disk request (`local-lvm:32,iothread=1`) into a volume and the config value PVE
 * writes (`local-lvm:vm-100-disk-0,iothread=1,size=32G`). Other values pass unchanged.
 */
export function allocateDisk(
  state: ClusterState,
  guest: MockGuest,
  key: string,
  value: string,
): { value: string; log?: string } {
  const { head, pairs } = parsePropertyString(value);
  const m = /^([a-z][a-z0-9\-_.]*):(\d+(?:\.\d+)?)$/i.exec(head ?? "");
  if (!m || !isDiskKey(guest.type, key)) return { value };
  const storeid = m[1] as string;
  const store = state.storages.get(storeid);
  if (!store || !storageOnNode(store, guest.node)) {
    throw fail(`storage '${storeid}' does not exist`);
  }
  const wanted = guest.type === "qemu" ? "images" : "rootdir";
  if (!store.content.includes(wanted)) {
    throw fail(`storage '${storeid}' does not support content-type '${wanted}'`);
  }
  const sizeGiB = Number(m[2]);
  const name = `vm-${guest.vmid}-disk-${nextDiskIndex(state, guest.vmid)}`;
  state.volumes.push({
    storage: storeid,
    ...(store.shared ? {} : { node: guest.node }),
    volid: `${storeid}:${name}`,
    content: wanted,
    format: "raw",
    size: Math.round(sizeGiB * GiB),
    vmid: guest.vmid,
  });
  pairs.set("size", `${sizeGiB}G`);
  return {
    value: printPropertyString(`${storeid}:${name}`, pairs),
    log: `  Logical volume "${name}" created.`,
  };
}

/** The volume ID a disk config value points at, if it is a managed volume. */
export function volumeOf(value: string): string | undefined {
  const head = value.split(",")[0] ?? "";
  return /^[a-z][a-z0-9\-_.]*:(vm|base)-\d+-disk-\d+$/i.test(head) ? head : undefined;
}

/** Removes a guest's disk volumes (backups stay); returns PVE's lvremove lines. */
export function removeGuestVolumes(state: ClusterState, vmid: number): string[] {
  const lines: string[] = [];
  state.volumes = state.volumes.filter((v) => {
    const mine = v.vmid === vmid && (v.content === "images" || v.content === "rootdir");
    if (mine) lines.push(`  Logical volume "${v.volid.split(":")[1]}" successfully removed.`);
    return !mine;
  });
  return lines;
}
