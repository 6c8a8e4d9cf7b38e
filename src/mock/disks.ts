// Volumes as pve-storage sees them: a storage's config, a volume name parsed by its storage type's
// plugin (with the plugin's error text), allocation of `storage:size` requests, removal.
import { fail } from "./errors.ts";
import { parsePropertyString, printPropertyString } from "./format.ts";
import { VOLUME_ID_RE } from "./formats/scalar.ts";
import { isDiskKey } from "./guests.ts";
import {
  type ClusterState,
  type MockGuest,
  type MockStorage,
  type MockVolume,
  storageOnNode,
} from "./state.ts";

const GiB = 2 ** 30;

/** `storage:size` (or a bare size): a new disk of that many GiB, as qemu-server and pct read it. */
export const NEW_DISK_RE = /^(([^/:\s]+):)?(\d+(\.\d+)?)$/;

/** File-based storages keep images as `<vmid>/<name>.<format>`; block storages as `<name>`. */
const FILE_BASED = new Set(["dir", "nfs", "cifs", "btrfs", "cephfs"]);

/** PVE::Storage::storage_config. */
export function storageConfig(state: ClusterState, storeid: string): MockStorage {
  const store = state.storages.get(storeid);
  if (!store) throw fail(`storage '${storeid}' does not exist`);
  return store;
}

export interface ParsedVolume {
  store: MockStorage;
  volname: string;
  vtype: MockVolume["content"];
  /** The guest the volume belongs to (vm-100-disk-0, vzdump-qemu-100-…). */
  owner?: number;
  isBase: boolean;
}

/** The plugin's parse_volname: what a volume name means on its storage, or the plugin's die. */
export function parseVolname(state: ClusterState, volid: string): ParsedVolume {
  const m = VOLUME_ID_RE.exec(volid);
  if (!m) throw fail(`unable to parse volume ID '${volid}'`);
  const store = storageConfig(state, m[1] as string);
  const volname = m[2] as string;
  const images = (owner: string, isBase: boolean): ParsedVolume => ({
    store,
    volname,
    vtype: store.type === "zfspool" && /subvol-/.test(volname) ? "rootdir" : "images",
    owner: Number(owner),
    isBase,
  });
  switch (store.type) {
    case "lvm": {
      const lv = /^vm-(\d+)-\S+$/.exec(volname);
      if (lv) return images(lv[1] as string, false);
      throw fail(`unable to parse lvm volume name '${volname}'`);
    }
    case "lvmthin": {
      const lv = /^(vm|base)-(\d+)-\S+$/.exec(volname);
      if (lv) return images(lv[2] as string, lv[1] === "base");
      throw fail(`unable to parse lvm volume name '${volname}'`);
    }
    case "zfspool":
    case "zfs":
    case "rbd": {
      const vol = /^(((base|vm)-(\d+)-\S+)\/)?((base)?(vm|subvol|basevol)?-(\d+)-\S+)$/.exec(
        volname,
      );
      if (vol) return images(vol[8] as string, vol[6] === "base");
      throw fail(
        `unable to parse ${store.type === "rbd" ? "rbd" : "zfs"} volume name '${volname}'`,
      );
    }
    case "pbs": {
      const backup = /^backup\/(vm|ct)\/(\d+)\/\S+$/.exec(volname);
      if (backup)
        return { store, volname, vtype: "backup", owner: Number(backup[2]), isBase: false };
      throw fail(`unable to parse PBS volume name '${volname}'`);
    }
    case "iscsi":
    case "iscsidirect":
      if (/^\d+\.\d+\.\d+\.\S+$/.test(volname))
        return { store, volname, vtype: "images", isBase: false };
      throw fail(`unable to parse iscsi volume name '${volname}'`);
    default:
      return parseDirVolname(store, volname);
  }
}

/** PVE::Storage::Plugin::parse_volname, for directory-like storages. */
function parseDirVolname(store: MockStorage, volname: string): ParsedVolume {
  const image =
    /^(?:\d+\/(base-[^/\s]+\.(?:raw|qcow2|vmdk|subvol))\/)?(\d+)\/((base-)?[^/\s]+\.(raw|qcow2|vmdk|subvol))$/.exec(
      volname,
    );
  if (image) {
    return {
      store,
      volname,
      vtype: "images",
      owner: Number(image[2]),
      isBase: image[4] !== undefined,
    };
  }
  const kinds: [RegExp, MockVolume["content"]][] = [
    [/^iso\/[^/]+\.(iso|img)$/i, "iso"],
    [/^vztmpl\/[^/]+\.tar\.(gz|xz|zst|bz2)$/, "vztmpl"],
    [/^backup\/[^/]+\.(tgz|tar(\.(gz|lzo|zst|bz2))?|vma(\.(gz|lzo|zst))?)$/, "backup"],
    [/^snippets\/[^/]+$/, "snippets"],
    [/^import\/[^/]+\.(ova|ovf|qcow2|raw|vmdk)(\/.+)?$/, "import"],
  ];
  for (const [re, vtype] of kinds) {
    if (!re.test(volname)) continue;
    const owner = /^backup\/vzdump-(?:openvz|lxc|qemu)-(\d+)-/.exec(volname)?.[1];
    return { store, volname, vtype, ...(owner ? { owner: Number(owner) } : {}), isBase: false };
  }
  throw fail(`unable to parse directory volume name '${volname}'`);
}

/** Whether a volume exists where `node` sees it (local storages hold one copy per node). */
export function volumeExists(state: ClusterState, volid: string, node: string): boolean {
  return state.volumes.some((v) => v.volid === volid && (v.node === undefined || v.node === node));
}

/** The next free `vm-<vmid>-disk-<n>` on a storage, in its naming (`<vmid>/….qcow2` on files). */
export function newVolumeName(
  state: ClusterState,
  store: MockStorage,
  vmid: number,
  format = FILE_BASED.has(store.type) ? "qcow2" : "raw",
): { volid: string; name: string; format: string } {
  const file = FILE_BASED.has(store.type);
  for (let n = 0; ; n++) {
    const name = `vm-${vmid}-disk-${n}`;
    // A disk number is taken on any storage: PVE looks at the guest's whole list of volumes.
    if (state.volumes.some((v) => v.vmid === vmid && v.volid.includes(`${name}`))) continue;
    const volname = file ? `${vmid}/${name}.${format}` : name;
    return { volid: `${store.storage}:${volname}`, name, format: file ? format : "raw" };
  }
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
  const cloudinit = /^([a-z][a-z0-9\-_.]*[a-z0-9]):cloudinit$/i.exec(head ?? "");
  if (cloudinit && guest.type === "qemu")
    return allocateCloudinit(state, guest, key, cloudinit[1] as string, pairs);
  const m = NEW_DISK_RE.exec(head ?? "");
  if (!m || !isDiskKey(guest.type, key) || pairs.get("media") === "cdrom") return { value };
  const storeid = m[2];
  if (storeid === undefined) throw fail("no storage ID specified (and no default storage)");
  const store = storageConfig(state, storeid);
  if (!storageOnNode(store, guest.node)) {
    throw fail(`storage '${storeid}' is not available on node '${guest.node}'`);
  }
  const wanted = guest.type === "qemu" ? "images" : "rootdir";
  if (!store.content.includes(wanted)) {
    throw fail(`storage '${storeid}' does not support content-type '${wanted}'`);
  }
  const sizeGiB = Number(m[3]);
  const vol = newVolumeName(state, store, guest.vmid, pairs.get("format"));
  state.volumes.push({
    storage: storeid,
    ...(store.shared ? {} : { node: guest.node }),
    volid: vol.volid,
    content: wanted,
    format: vol.format,
    size: Math.round(sizeGiB * GiB),
    vmid: guest.vmid,
  });
  pairs.delete("format");
  pairs.set("size", `${sizeGiB}G`);
  return {
    value: printPropertyString(vol.volid, pairs),
    log: FILE_BASED.has(store.type)
      ? `Formatting '/mnt/pve/${storeid}/images/${vol.volid.split(":")[1]}', fmt=${vol.format} size=${Math.round(sizeGiB * GiB)}`
      : `  Logical volume "${vol.name}" created.`,
  };
}

/** `storage:cloudinit`: the 4 MiB cloud-init drive `vm-<vmid>-cloudinit`, always a CD-ROM. */
function allocateCloudinit(
  state: ClusterState,
  guest: MockGuest,
  key: string,
  storeid: string,
  pairs: Map<string, string>,
): { value: string; log: string } {
  const attached = Object.entries({ ...guest.config, ...guest.pending }).find(
    ([k, v]) => k !== key && isDiskKey("qemu", k) && /[:/](vm-\d+-)?cloudinit/.test(String(v)),
  );
  if (attached) throw fail(`${key} - cloud-init drive is already attached at '${attached[0]}'`);
  const store = storageConfig(state, storeid);
  const file = FILE_BASED.has(store.type);
  const format = pairs.get("format") ?? (file ? "qcow2" : "raw");
  const name = `vm-${guest.vmid}-cloudinit${file ? `.${format}` : ""}`;
  const volid = `${storeid}:${file ? `${guest.vmid}/` : ""}${name}`;
  state.volumes.push({
    storage: storeid,
    ...(store.shared ? {} : { node: guest.node }),
    volid,
    content: "images",
    format,
    size: 4 * 2 ** 20,
    vmid: guest.vmid,
  });
  pairs.delete("format");
  pairs.set("media", "cdrom");
  const value = printPropertyString(volid, pairs);
  return { value, log: `${key}: successfully created disk '${value}'` };
}

const IMAGE_RE =
  /^[a-z][a-z0-9\-_.]*[a-z0-9]:(?:\d+\/)?(?:(?:base|vm)-\d+-disk-\d+[^/,]*\/)?(?:\d+\/)?(?:vm|base|subvol)-\d+-disk-\d+(?:\.(?:raw|qcow2|vmdk|subvol))?$/i;

/** The volume ID a disk config value points at, if it is a managed disk image. */
export function volumeOf(value: string): string | undefined {
  const head = value.split(",")[0] ?? "";
  return IMAGE_RE.test(head) ? head : undefined;
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
