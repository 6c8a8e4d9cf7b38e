// The storage plugins the mock knows: each type's options (as apidata.js shapes them), which
// of them are required, the content it can hold and its defaults.
import type { ParamSpec, ParamTable } from "../params.ts";
import type { StorageType } from "../state.ts";
export const TYPES: readonly StorageType[] = [
  "btrfs",
  "cephfs",
  "cifs",
  "dir",
  "esxi",
  "iscsi",
  "iscsidirect",
  "lvm",
  "lvmthin",
  "nfs",
  "pbs",
  "rbd",
  "zfs",
  "zfspool",
];

const str = (description: string, extra: Partial<ParamSpec> = {}): ParamSpec => ({
  type: "string",
  optional: true,
  description,
  ...extra,
});
const bool = (description: string): ParamSpec => ({ type: "boolean", optional: true, description });

/** The plugin options the mock knows, shaped as in apidata.js. */
export const OPTIONS: ParamTable = {
  content: str("Allowed content types.", { format: "pve-storage-content-list" }),
  nodes: str("List of nodes for which the storage configuration applies.", {
    format: "pve-node-list",
  }),
  disable: bool("Flag to disable the storage."),
  shared: bool("Indicate that this is a single storage with the same contents on all nodes."),
  path: str("File system path.", { format: "pve-storage-path" }),
  server: str("Server IP or DNS name."),
  export: str("NFS export path.", { format: "pve-storage-path" }),
  options: str("NFS/CIFS mount options (see 'man nfs' or 'man mount.cifs')"),
  share: str("CIFS share."),
  subdir: str("Subdir to mount.", { format: "pve-storage-path" }),
  username: str("RBD Id."),
  password: str("Password for accessing the share/datastore.", { maxLength: 256 }),
  domain: str("CIFS domain.", { maxLength: 256 }),
  smbversion: str("SMB protocol version.", {
    enum: ["default", "2.0", "2.1", "3", "3.0", "3.11"],
  }),
  vgname: str("Volume group name."),
  thinpool: str("LVM thin pool LV name."),
  base: str("Base volume. This volume is automatically activated."),
  saferemove: bool("Zero-out data when removing LVs."),
  tagged_only: bool("Only use logical volumes tagged with 'pve-vm-ID'."),
  pool: str("Pool."),
  blocksize: str("block size"),
  sparse: bool("use sparse volumes"),
  mountpoint: str("mount point", { format: "pve-storage-path" }),
  portal: str("iSCSI portal (IP or DNS name with optional port)."),
  target: str("iSCSI target."),
  iscsiprovider: str("iscsi provider"),
  monhost: str("IP addresses of monitors (for external clusters)."),
  krbd: bool("Always access rbd through krbd kernel module."),
  namespace: str("Namespace."),
  "fs-name": str("The Ceph filesystem name.", { format: "pve-configid" }),
  fuse: bool("Mount CephFS through FUSE."),
  datastore: str("Proxmox Backup Server datastore name."),
  fingerprint: str("Certificate SHA 256 fingerprint.", {
    pattern: "([A-Fa-f0-9]{2}:){31}[A-Fa-f0-9]{2}",
  }),
  "encryption-key": str("Encryption key. Use 'autogen' to generate one automatically."),
  port: { type: "integer", optional: true, minimum: 1, maximum: 65535, description: "Port." },
  "prune-backups": str("The retention options with shorter intervals are processed first.", {
    format: "prune-backups",
  }),
  "max-protected-backups": {
    type: "integer",
    optional: true,
    minimum: -1,
    description: "Maximal number of protected backups per guest. Use '-1' for unlimited.",
  },
  format: str("Default image format.", { enum: ["raw", "qcow2", "subvol", "vmdk"] }),
  preallocation: str("Preallocation mode for raw and qcow2 images.", {
    enum: ["off", "metadata", "falloc", "full"],
  }),
  is_mountpoint: str("Assume the given path is an externally managed mountpoint."),
  mkdir: bool("Create the directory if it doesn't exist (deprecated)."),
  "create-base-path": bool("Create the base directory if it doesn't exist."),
  "create-subdirs": bool("Populate the directory with the default structure."),
  bwlimit: str("Set I/O bandwidth limit for various operations (in KiB/s)."),
};

export const COMMON = ["content", "nodes", "disable", "bwlimit"];
const FILE = [
  "prune-backups",
  "max-protected-backups",
  "format",
  "preallocation",
  "create-base-path",
  "create-subdirs",
  "mkdir",
];

/** Per type: required options, optional ones, the content it can hold and its default content. */
export const PLUGINS: Record<
  StorageType,
  { required: string[]; optional: string[]; content: string[]; defaults: string[] }
> = {
  dir: {
    required: ["path"],
    optional: [...FILE, "shared", "is_mountpoint"],
    content: ["images", "rootdir", "vztmpl", "iso", "backup", "snippets", "import"],
    defaults: ["images", "rootdir"],
  },
  btrfs: {
    required: ["path"],
    optional: [...FILE, "is_mountpoint"],
    content: ["images", "rootdir", "vztmpl", "iso", "backup", "snippets", "import"],
    defaults: ["images", "rootdir"],
  },
  nfs: {
    required: ["server", "export"],
    optional: [...FILE, "path", "options"],
    content: ["images", "rootdir", "vztmpl", "iso", "backup", "snippets", "import"],
    defaults: ["images"],
  },
  cifs: {
    required: ["server", "share"],
    optional: [
      ...FILE,
      "path",
      "options",
      "username",
      "password",
      "domain",
      "smbversion",
      "subdir",
    ],
    content: ["images", "rootdir", "vztmpl", "iso", "backup", "snippets", "import"],
    defaults: ["images"],
  },
  cephfs: {
    required: [],
    optional: ["path", "monhost", "username", "subdir", "fuse", "fs-name", "prune-backups"],
    content: ["vztmpl", "iso", "backup", "snippets", "import"],
    defaults: ["backup"],
  },
  lvm: {
    required: ["vgname"],
    optional: ["base", "saferemove", "tagged_only", "shared"],
    content: ["images", "rootdir"],
    defaults: ["images", "rootdir"],
  },
  lvmthin: {
    required: ["vgname", "thinpool"],
    optional: [],
    content: ["images", "rootdir"],
    defaults: ["images", "rootdir"],
  },
  zfspool: {
    required: ["pool"],
    optional: ["blocksize", "sparse", "mountpoint"],
    content: ["images", "rootdir"],
    defaults: ["images", "rootdir"],
  },
  zfs: {
    required: ["portal", "target", "pool", "blocksize", "iscsiprovider"],
    optional: ["sparse"],
    content: ["images"],
    defaults: ["images"],
  },
  iscsi: {
    required: ["portal", "target"],
    optional: [],
    content: ["images"],
    defaults: ["images"],
  },
  iscsidirect: {
    required: ["portal", "target"],
    optional: [],
    content: ["images"],
    defaults: ["images"],
  },
  rbd: {
    required: [],
    optional: ["pool", "monhost", "username", "krbd", "namespace"],
    content: ["images", "rootdir"],
    defaults: ["images"],
  },
  pbs: {
    required: ["server", "datastore", "username"],
    optional: [
      "password",
      "fingerprint",
      "namespace",
      "encryption-key",
      "port",
      "prune-backups",
      "max-protected-backups",
    ],
    content: ["backup"],
    defaults: ["backup"],
  },
  esxi: {
    required: ["server", "username"],
    optional: ["password", "port"],
    content: ["import"],
    defaults: ["import"],
  },
};

/** Network storages: the same on every node by nature, shared without a `shared` key. */
export const NETWORK = new Set<StorageType>([
  "nfs",
  "cifs",
  "cephfs",
  "rbd",
  "pbs",
  "iscsi",
  "iscsidirect",
  "zfs",
  "esxi",
]);

/** Passwords and keys go to /etc/pve/priv, never into storage.cfg. */
export const SENSITIVE = new Set(["password", "encryption-key", "keyring"]);
/** File-based storages get a mount path below /mnt/pve when none is given. */
export const MOUNTED: StorageType[] = ["nfs", "cifs", "cephfs"];
