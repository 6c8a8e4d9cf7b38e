// Drive property strings of qemu-server (Drive.pm): ide, sata, scsi, virtio, efidisk, tpmstate,
// unused. `import-from` is there because the API's drive schema allows disk allocation.
import {
  bool,
  int,
  type KeySpec,
  num,
  oneOf,
  type PropertyFormat,
  required,
  str,
} from "./types.ts";

const DISK_FORMATS = ["raw", "qcow", "qed", "qcow2", "vmdk", "cloop"];

const throttle = (name: string): Record<string, KeySpec> => ({
  [name]: int(),
  [`${name}_rd`]: int(),
  [`${name}_wr`]: int(),
});

const BASE: Record<string, KeySpec> = {
  volume: { alias: "file" },
  file: required(str({ format: "pve-volume-id-or-qm-path", defaultKey: true })),
  media: oneOf(["cdrom", "disk"]),
  snapshot: bool(),
  cache: oneOf(["none", "writethrough", "writeback", "unsafe", "directsync"]),
  format: oneOf(DISK_FORMATS),
  size: str({ format: "disk-size" }),
  aio: oneOf(["native", "threads", "io_uring"]),
  discard: oneOf(["ignore", "on"]),
  detect_zeroes: bool(),
  backup: bool(),
  replicate: bool(),
  shared: bool(),
  rerror: oneOf(["ignore", "report", "stop"]),
  werror: oneOf(["enospc", "ignore", "report", "stop"]),
  serial: str({ format: "urlencoded", maxLength: 60 }),
  "import-from": str({ format: "pve-volume-id-or-absolute-path" }),
  ...throttle("bps"),
  bps_max_length: int(1),
  bps_rd_max_length: int(1),
  bps_wr_max_length: int(1),
  bps_rd_length: { alias: "bps_rd_max_length" },
  bps_wr_length: { alias: "bps_wr_max_length" },
  ...throttle("iops"),
  iops_max: int(),
  iops_rd_max: int(),
  iops_wr_max: int(),
  iops_max_length: int(1),
  iops_rd_max_length: int(1),
  iops_wr_max_length: int(1),
  iops_rd_length: { alias: "iops_rd_max_length" },
  iops_wr_length: { alias: "iops_wr_max_length" },
  mbps: num(),
  mbps_rd: num(),
  mbps_wr: num(),
  mbps_max: num(),
  mbps_rd_max: num(),
  mbps_wr_max: num(),
};

const WWN: KeySpec = str({ pattern: "(0x)[0-9a-fA-F]{16}" });

export const DRIVE_FORMATS: Record<string, PropertyFormat> = {
  "pve-qm-ide": {
    keys: { ...BASE, model: str({ format: "urlencoded", maxLength: 120 }), ssd: bool(), wwn: WWN },
  },
  "pve-qm-sata": { keys: { ...BASE, ssd: bool(), wwn: WWN } },
  "pve-qm-scsi": {
    keys: {
      ...BASE,
      iothread: bool(),
      queues: int(2),
      ro: bool(),
      scsiblock: bool(),
      ssd: bool(),
      product: str({ pattern: "[A-Za-z0-9\\-_\\s]{0,16}" }),
      vendor: str({ pattern: "[A-Za-z0-9\\-_\\s]{0,8}" }),
      wwn: WWN,
    },
  },
  "pve-qm-virtio": { keys: { ...BASE, iothread: bool(), ro: bool() } },
  "pve-qm-efidisk": {
    keys: {
      volume: { alias: "file" },
      file: required(str({ format: "pve-volume-id-or-qm-path", defaultKey: true })),
      format: oneOf(DISK_FORMATS),
      size: str({ format: "disk-size" }),
      efitype: oneOf(["2m", "4m"]),
      "pre-enrolled-keys": bool(),
      "ms-cert": oneOf(["2011", "2023", "2023w", "2023k"]),
      "import-from": str({ format: "pve-volume-id-or-absolute-path" }),
    },
  },
  "pve-qm-tpmstate": {
    keys: {
      volume: { alias: "file" },
      file: required(str({ format: "pve-volume-id-or-qm-path", defaultKey: true })),
      format: oneOf(["raw", "qcow2", "vmdk"]),
      size: str({ format: "disk-size" }),
      version: oneOf(["v1.2", "v2.0"]),
      "import-from": str({ format: "pve-volume-id-or-absolute-path" }),
    },
  },
  "pve-qm-unused": {
    keys: {
      volume: { alias: "file" },
      file: required(str({ format: "pve-volume-id", defaultKey: true })),
    },
  },
};
