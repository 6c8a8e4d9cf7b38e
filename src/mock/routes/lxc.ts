// LXC-only calls: create and config writes.
import { restoreGuest } from "../backup.ts";
import { checkUpdate, updateConfig } from "../config-update.ts";
import { allocateDisk } from "../disks.ts";
import { checkLxcVolumes } from "../drive-check.ts";
import { fail } from "../errors.ts";
import { loadGuest, markRunning, setLock, storedValue, vmidTaken } from "../guests.ts";
import { node, type Params, type ParamTable, vmid } from "../params.ts";
import type { MockContext, Route } from "../router.ts";
import type { MockGuest } from "../state.ts";
import { spread } from "../tasks.ts";

const bool = (description: string, dflt?: number) =>
  ({
    type: "boolean",
    optional: true,
    description,
    ...(dflt !== undefined ? { default: dflt } : {}),
  }) as const;
const str = (description: string, format?: string) =>
  ({ type: "string", optional: true, description, ...(format ? { format } : {}) }) as const;

const LXC_OPTIONS: ParamTable = {
  arch: {
    type: "string",
    optional: true,
    enum: ["amd64", "i386", "arm64", "armhf", "riscv32", "riscv64"],
    default: "amd64",
    description: "OS architecture type.",
  },
  cmode: {
    type: "string",
    optional: true,
    enum: ["shell", "console", "tty"],
    default: "tty",
    description: "Console mode.",
  },
  console: bool("Attach a console device (/dev/console) to the container.", 1),
  cores: {
    type: "integer",
    optional: true,
    minimum: 1,
    maximum: 8192,
    description: "The number of cores assigned to the container.",
  },
  cpulimit: {
    type: "number",
    optional: true,
    minimum: 0,
    maximum: 8192,
    default: 0,
    description: "Limit of CPU usage.",
  },
  cpuunits: {
    type: "integer",
    optional: true,
    minimum: 0,
    maximum: 500000,
    description: "CPU weight for a container.",
  },
  debug: bool("Try to be more verbose. For now this only enables debug log-level on start.", 0),
  description: {
    type: "string",
    optional: true,
    maxLength: 8192,
    description: "Description for the Container.",
  },
  "dev[n]": { ...str("Device to pass through to the container", "pve-lxc-dev"), count: 256 },
  entrypoint: {
    ...str("Absolute path from container rootfs to the binary to use as init."),
    pattern: "[^\\x00-\\x08\\x10-\\x1F\\x7F]+",
  },
  env: {
    ...str("The container runtime environment as NUL-separated list."),
    pattern: "(?:\\w+=[^\\x00-\\x08\\x10-\\x1F\\x7F]*)(?:\\0\\w+=[^\\x00-\\x08\\x10-\\x1F\\x7F]*)*",
  },
  features: str("Allow containers access to advanced features.", "pve-ct-features"),
  hookscript: str(
    "Script that will be exectued during various steps in the containers lifetime.",
    "pve-volume-id",
  ),
  hostname: {
    type: "string",
    optional: true,
    format: "dns-name",
    maxLength: 255,
    description: "Set a host name for the container.",
  },
  lock: {
    type: "string",
    optional: true,
    enum: [
      "backup",
      "create",
      "destroyed",
      "disk",
      "fstrim",
      "migrate",
      "mounted",
      "rollback",
      "snapshot",
      "snapshot-delete",
    ],
    description: "Lock/unlock the container.",
  },
  memory: {
    type: "integer",
    optional: true,
    minimum: 16,
    default: 512,
    description: "Amount of RAM for the container in MB.",
  },
  "mp[n]": { ...str("Use volume as container mount point.", "pve-ct-mountpoint"), count: 256 },
  nameserver: str("Sets DNS server IP address for a container.", "lxc-ip-with-ll-iface-list"),
  "net[n]": {
    ...str("Specifies network interfaces for the container.", "pve-lxc-network"),
    count: 32,
  },
  onboot: bool("Specifies whether a container will be started during system bootup.", 0),
  ostype: {
    type: "string",
    optional: true,
    enum: [
      "debian",
      "devuan",
      "ubuntu",
      "centos",
      "fedora",
      "opensuse",
      "archlinux",
      "alpine",
      "gentoo",
      "nixos",
      "unmanaged",
    ],
    description: "OS type.",
  },
  protection: bool("Sets the protection flag of the container.", 0),
  rootfs: str("Use volume as container root.", "pve-ct-rootfs"),
  searchdomain: str("Sets DNS search domains for a container.", "dns-name-list"),
  startup: str("Startup and shutdown behavior.", "pve-startup-order"),
  swap: {
    type: "integer",
    optional: true,
    minimum: 0,
    default: 512,
    description: "Amount of SWAP for the container in MB.",
  },
  tags: str("Tags of the Container. This is only meta information.", "pve-tag-list"),
  template: bool("Enable/disable Template.", 0),
  timezone: str("Time zone to use in the container.", "pve-ct-timezone"),
  tty: {
    type: "integer",
    optional: true,
    minimum: 0,
    maximum: 6,
    default: 2,
    description: "Specify the number of tty available to the container",
  },
  unprivileged: bool("Makes the container run as unprivileged user.", 0),
  "unused[n]": { ...str("Reference to unused volumes.", "pve-ct-unused"), count: 256 },
};

const CREATE_PARAMS: ParamTable = {
  node,
  vmid,
  ...LXC_OPTIONS,
  ostemplate: { type: "string", maxLength: 255, description: "The OS template or backup file." },
  password: {
    type: "string",
    optional: true,
    minLength: 5,
    description: "Sets root password inside container.",
  },
  pool: {
    type: "string",
    optional: true,
    format: "pve-poolid",
    description: "Add the VM to the specified pool.",
  },
  "ssh-public-keys": {
    type: "string",
    optional: true,
    description: "Setup public SSH keys (one key per line, OpenSSH format).",
  },
  start: bool("Start the CT after its creation finished successfully.", 0),
  storage: {
    type: "string",
    optional: true,
    format: "pve-storage-id",
    default: "local",
    description: "Default Storage.",
  },
  restore: bool("Mark this as restore task."),
  bwlimit: {
    type: "number",
    optional: true,
    minimum: 0,
    description: "Override I/O bandwidth limit (in KiB/s).",
  },
  "ha-managed": bool("Add the CT as a HA resource after it was created.", 0),
  "ignore-unpack-errors": bool("Ignore errors when extracting the template."),
  force: bool("Allow to overwrite existing container."),
  unique: bool("Assign a unique random ethernet address."),
};

const UPDATE_PARAMS: ParamTable = {
  node,
  vmid,
  ...LXC_OPTIONS,
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
  revert: {
    type: "string",
    optional: true,
    format: "pve-configid-list",
    description: "Revert a pending change.",
  },
};

const NOT_CONFIG = new Set([
  "bwlimit",
  "ha-managed",
  "ignore-unpack-errors",
  "vmid",
  "node",
  "ostemplate",
  "password",
  "pool",
  "ssh-public-keys",
  "start",
  "storage",
  "restore",
  "force",
  "unique",
]);

function createCt(
  mock: MockContext,
  params: Params,
  who: Parameters<Route["handler"]>[0]["who"],
): string {
  const nodeName = String(params.node);
  const id = Number(params.vmid);
  const taken = vmidTaken(mock.state, id);
  if (taken) throw fail(taken);
  checkLxcVolumes(mock.state, params);
  const template = String(params.ostemplate);
  const volume = mock.state.volumes.find(
    (v) => v.volid === template && (v.node === undefined || v.node === nodeName),
  );
  if (!volume) throw fail(`volume '${template}' does not exist`);
  if (typeof params.pool === "string" && !mock.state.pools.has(params.pool))
    throw fail(`pool '${params.pool}' does not exist`);
  const guest: MockGuest = {
    vmid: id,
    type: "lxc",
    node: nodeName,
    status: "stopped",
    config: {},
    lock: "create",
    snapshots: [],
    stats: { cpu: 0, mem: 0, disk: 0, netin: 0, netout: 0, diskread: 0, diskwrite: 0 },
    ...(typeof params.pool === "string" ? { pool: params.pool } : {}),
  };
  const osFromName = /^[^:]+:vztmpl\/([a-z]+)-/.exec(template)?.[1];
  guest.config.arch = "amd64";
  if (osFromName) guest.config.ostype = osFromName;
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || NOT_CONFIG.has(key)) continue;
    guest.config[key] = storedValue(UPDATE_PARAMS, key, value, "lxc");
  }
  // Without rootfs PVE allocates 4 GiB on the default storage (local-lvm here, "local" has no rootdir).
  const rootfsRequest =
    typeof guest.config.rootfs === "string"
      ? guest.config.rootfs
      : `${params.storage ?? "local-lvm"}:4`;
  const root = allocateDisk(mock.state, guest, "rootfs", rootfsRequest);
  guest.config.rootfs = root.value;
  guest.config.memory ??= 512;
  guest.config.swap ??= 512;
  mock.state.guests.set(id, guest);
  const file = template.split("/").pop() ?? template;
  const lines = [
    ...(root.log ? [root.log] : []),
    "Creating filesystem with 1048576 4k blocks and 262144 inodes",
    `extracting archive '/var/lib/vz/template/cache/${file}'`,
    `Total bytes read: ${volume.size * 4} (${Math.round((volume.size * 4) / 2 ** 20)}MiB, 187MiB/s)`,
    `Detected container architecture: ${guest.config.arch}`,
    "Creating SSH host key 'ssh_host_ed25519_key' - this may take some time ...",
    `done: SHA256:${Buffer.from(`mock-${id}`).toString("base64").replace(/=+$/, "")} root@${guest.config.hostname ?? `CT${id}`}`,
  ];
  return mock.tasks.start({
    node: nodeName,
    type: "vzcreate",
    id: String(id),
    who,
    lines: spread(lines, 0.05, 0.9),
    finish: () => {
      setLock(guest, undefined);
      if (params.start === true) markRunning(guest);
      return undefined;
    },
    cleanup: () => {
      if (guest.lock === "create") {
        mock.state.guests.delete(id);
        mock.state.volumes = mock.state.volumes.filter(
          (v) => v.vmid !== id || v.content === "backup",
        );
      }
    },
  }).upid;
}

export const lxcRoutes: Route[] = [
  {
    method: "POST",
    path: "/nodes/{node}/lxc",
    description: "Create or restore a container.",
    permission: [{ path: "/vms/{vmid}", privs: ["VM.Allocate"] }],
    proxyto: "node",
    parameters: CREATE_PARAMS,
    handler: ({ mock, params, who }) =>
      // restore=1 with a backup archive as ostemplate is a restore (vzrestore).
      params.restore === true
        ? restoreGuest(mock, "lxc", params, String(params.ostemplate), who)
        : createCt(mock, params, who),
  },
  {
    method: "PUT",
    path: "/nodes/{node}/lxc/{vmid}/config",
    description: "Set container options.",
    permission: [
      {
        path: "/vms/{vmid}",
        privs: [
          "VM.Config.Disk",
          "VM.Config.CPU",
          "VM.Config.Memory",
          "VM.Config.Network",
          "VM.Config.Options",
        ],
        any: true,
      },
    ],
    proxyto: "node",
    parameters: UPDATE_PARAMS,
    handler: async ({ mock, params }) => {
      const guest = loadGuest(mock.state, "lxc", String(params.node), Number(params.vmid));
      checkUpdate(mock.state, guest, UPDATE_PARAMS, params);
      await mock.locks.with(guest, () => updateConfig(mock.state, guest, UPDATE_PARAMS, params));
      return null;
    },
  },
];
