// The checks qemu-server and pct make on disk parameters before anything is written
// (check_drive_param, check_storage_access, check_ct_modify_config_perm): a volume must parse on
// its storage, be of a usable content type, and a new disk's storage must take images.
import { NEW_DISK_RE, parseVolname, storageConfig, volumeExists } from "./disks.ts";
import { fail, paramError } from "./errors.ts";
import { parseProperty } from "./formats/index.ts";
import { VOLUME_ID_RE } from "./formats/scalar.ts";
import type { Params } from "./params.ts";
import type { ClusterState } from "./state.ts";

const QEMU_DRIVE = /^(ide|sata|scsi|virtio)\d+$|^efidisk0$|^tpmstate0$/;

const driveFormat = (key: string): string => `pve-qm-${key.replace(/\d+$/, "")}`;

/** qm's `cdrom` is ide2 as a CD-ROM (resolve_cdrom_alias). */
export function resolveCdromAlias(params: Params): void {
  const value = params.cdrom;
  if (typeof value !== "string") return;
  params.ide2 = /media=/.test(value) ? value : `${value},media=cdrom`;
  delete params.cdrom;
}

/** The drive parameters of a VM create or config update, checked in PVE's order. */
export function checkQemuDrives(state: ClusterState, params: Params): void {
  const drives = Object.keys(params)
    .filter((k) => QEMU_DRIVE.test(k) && typeof params[k] === "string")
    .sort();
  for (const key of drives) {
    const drive = parseProperty(driveFormat(key), String(params[key]));
    const file = drive.file ?? "";
    if (drive["import-from"] !== undefined) {
      const m = NEW_DISK_RE.exec(file);
      if (!m || Number(m[3]) !== 0) {
        throw paramError({
          [key]: "'import-from' requires special syntax - use <storage ID>:0,import-from=<source>",
        });
      }
    }
    const managed = VOLUME_ID_RE.exec(file);
    if (managed && !NEW_DISK_RE.test(file) && managed[2] !== "cloudinit") {
      const { vtype } = parseVolname(state, file);
      if (vtype === "iso" && drive.media !== "cdrom") {
        throw paramError({ [key]: "explicit 'media=cdrom' is required for iso images" });
      }
    }
  }
  for (const key of drives) {
    const drive = parseProperty(driveFormat(key), String(params[key]));
    const file = drive.file ?? "";
    const cdrom = drive.media === "cdrom";
    const managed = VOLUME_ID_RE.exec(file);
    if (file === "none" || file === "cloudinit" || managed?.[2] === "cloudinit") continue;
    if (cdrom && file === "cdrom") continue;
    const fresh = NEW_DISK_RE.exec(file);
    if (!cdrom && fresh) {
      const storeid = fresh[2];
      if (!storeid) throw fail("no storage ID specified (and no default storage)");
      if (!storageConfig(state, storeid).content.includes("images")) {
        throw paramError({ storage: `storage '${storeid}' does not support vm images` });
      }
    } else if (managed) {
      const { vtype } = parseVolname(state, file);
      if (vtype !== "images" && vtype !== "iso") {
        throw paramError({ [key]: "content type needs to be 'images' or 'iso'" });
      }
    }
  }
  for (const key of Object.keys(params).filter((k) => /^unused\d+$/.test(k))) {
    const volid = parseProperty("pve-qm-unused", String(params[key])).file ?? "";
    if (!VOLUME_ID_RE.test(volid)) throw paramError({ [key]: `not a valid volid: ${volid}` });
    const { vtype } = parseVolname(state, volid);
    if (vtype !== "images") {
      throw fail(`unable to use volume ${volid} - content type needs to be 'images'`);
    }
  }
}

/**
 * create_disks for a drive that names an existing volume: it must be there (volume_size_info).
 * Returns the volume's size in bytes for the drive's `size=`.
 */
export function existingVolumeSize(
  state: ClusterState,
  node: string,
  value: string,
  key: string,
): number | undefined {
  if (!QEMU_DRIVE.test(key)) return undefined;
  const file = parseProperty(driveFormat(key), value).file ?? "";
  const managed = VOLUME_ID_RE.exec(file);
  if (!managed || NEW_DISK_RE.test(file) || managed[2] === "cloudinit") return undefined;
  if (!volumeExists(state, file, node)) throw fail(`volume ${file} does not exist`);
  return state.volumes.find((v) => v.volid === file)?.size;
}

/** pct's checks of rootfs/mpN: the volume parses and may hold a container. */
export function checkLxcVolumes(state: ClusterState, params: Params): void {
  for (const key of Object.keys(params).sort()) {
    if (key !== "rootfs" && !/^mp\d+$/.test(key)) continue;
    const format = key === "rootfs" ? "pve-ct-rootfs" : "pve-ct-mountpoint";
    const volume = parseProperty(format, String(params[key])).volume ?? "";
    if (volume.startsWith("/")) continue; // bind mounts and devices: root's own business
    const fresh = NEW_DISK_RE.exec(volume);
    const storeid = fresh ? fresh[2] : VOLUME_ID_RE.exec(volume)?.[1];
    if (!fresh) {
      const { vtype } = parseVolname(state, volume);
      if (vtype !== "rootdir" && vtype !== "images") {
        throw fail(`unable to use volume ${volume} - content type needs to be 'rootdir'`);
      }
    }
    if (storeid === undefined) continue;
    if (!storageConfig(state, storeid).content.includes("rootdir")) {
      throw fail(`storage '${storeid}' does not allow content type 'rootdir' (Container)`);
    }
  }
}
