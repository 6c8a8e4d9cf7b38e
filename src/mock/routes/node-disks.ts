// A node's physical disks and what is built on them (the pve volume group with its data thin
// pool, a ZFS pool "tank"), SMART health, and the storage scans of the node's neighbourhood: a
// NAS at nas.demo.lan (10.0.0.50) with NFS and SMB exports, an iSCSI target and a PBS.
import { fail } from "../errors.ts";
import { node, type ParamSpec } from "../params.ts";
import type { Route } from "../router.ts";

const GiB = 2 ** 30;
const audit = [{ path: "/nodes/{node}", privs: ["Sys.Audit"] }];
const storageAudit = [{ path: "/storage", privs: ["Datastore.Allocate"] }];
const NAS = new Set(["nas.demo.lan", "10.0.0.50"]);

const DISKS = [
  {
    devpath: "/dev/sda",
    model: "Samsung SSD 870 EVO 500GB",
    serial: "S6PXNS0T512345",
    vendor: "ATA",
    wwn: "0x5002538f42a1b2c3",
    size: 500107862016,
    used: "LVM",
    gpt: 1,
    type: "ssd",
    rpm: 0,
  },
  {
    devpath: "/dev/nvme0n1",
    model: "Samsung SSD 990 PRO 2TB",
    serial: "S73WNJ0W123456",
    vendor: "unknown",
    wwn: "eui.0025384c41a2b3c4",
    size: 2000398934016,
    used: "ZFS",
    gpt: 1,
    type: "nvme",
    rpm: 0,
  },
];

function scanHost(server: unknown, command: string): string {
  const host = String(server);
  if (!NAS.has(host)) throw fail(`command '${command} ${host}' failed: exit code 1`);
  return host;
}

const str = (description: string, more: Partial<ParamSpec> = {}): ParamSpec => ({
  type: "string",
  description,
  ...more,
});

export const nodeDiskRoutes: Route[] = [
  {
    method: "GET",
    path: "/nodes/{node}/disks/list",
    description: "List local disks.",
    permission: audit,
    proxyto: "node",
    parameters: {
      node,
      "include-partitions": {
        type: "boolean",
        optional: true,
        default: 0,
        description: "Also include partitions.",
      },
      skipsmart: { type: "boolean", optional: true, default: 0, description: "Skip smart checks." },
      type: {
        type: "string",
        optional: true,
        enum: ["unused", "journal_disks"],
        description: "Only list specific types of disks.",
      },
    },
    handler: ({ params }) =>
      DISKS.filter(() => params.type === undefined).map((d) => ({
        ...d,
        health: params.skipsmart === true ? "UNKNOWN" : "PASSED",
        mounted: 0,
        osdid: -1,
        "osdid-list": [],
      })),
  },
  {
    method: "GET",
    path: "/nodes/{node}/disks/smart",
    description: "Get SMART Health of a disk.",
    permission: audit,
    proxyto: "node",
    parameters: {
      node,
      disk: str("Block device name", { pattern: "^/dev/[a-zA-Z0-9\\/]+$" }),
      healthonly: {
        type: "boolean",
        optional: true,
        description: "If true returns only the health status",
      },
    },
    handler: ({ params }) => {
      const disk = DISKS.find((d) => d.devpath === params.disk);
      if (!disk) throw fail(`no such disk '${params.disk}'`);
      if (params.healthonly === true) return { health: "PASSED" };
      return disk.type === "nvme"
        ? {
            health: "PASSED",
            type: "text",
            text: "SMART/Health Information (NVMe Log 0x02)\nCritical Warning:                   0x00\nTemperature:                        38 Celsius\nAvailable Spare:                    100%\nPercentage Used:                    1%\nPower On Hours:                     2,417\nUnsafe Shutdowns:                   4\nMedia and Data Integrity Errors:    0\n",
          }
        : {
            health: "PASSED",
            type: "ata",
            attributes: [
              {
                id: "  5",
                name: "Reallocated_Sector_Ct",
                value: 100,
                worst: 100,
                threshold: 10,
                raw: "0",
                flags: "PO--CK",
                fail: "-",
                normalized: 100,
              },
              {
                id: "  9",
                name: "Power_On_Hours",
                value: 98,
                worst: 98,
                threshold: 0,
                raw: "9732",
                flags: "-O--CK",
                fail: "-",
                normalized: 98,
              },
              {
                id: "177",
                name: "Wear_Leveling_Count",
                value: 97,
                worst: 97,
                threshold: 0,
                raw: "31",
                flags: "PO--C-",
                fail: "-",
                normalized: 97,
              },
              {
                id: "194",
                name: "Temperature_Celsius",
                value: 65,
                worst: 52,
                threshold: 0,
                raw: "35",
                flags: "-O---K",
                fail: "-",
                normalized: 65,
              },
            ],
          };
    },
  },
  {
    method: "GET",
    path: "/nodes/{node}/disks/lvm",
    description: "List LVM Volume Groups",
    permission: audit,
    proxyto: "node",
    parameters: { node },
    handler: () => {
      const size = 499 * GiB;
      return {
        leaf: 0,
        children: [
          {
            name: "pve",
            size,
            free: 16 * GiB,
            leaf: 0,
            children: [{ name: "/dev/sda3", size, free: 16 * GiB, leaf: 1 }],
          },
        ],
      };
    },
  },
  {
    method: "GET",
    path: "/nodes/{node}/disks/lvmthin",
    description: "List LVM thinpools",
    permission: audit,
    proxyto: "node",
    parameters: { node },
    handler: () => [
      {
        lv: "data",
        vg: "pve",
        lv_size: 852878163968,
        used: 185421070336,
        metadata_size: 8678014976,
        metadata_used: 52068090,
      },
    ],
  },
  {
    method: "GET",
    path: "/nodes/{node}/disks/directory",
    description: "PVE Managed Directory storages.",
    permission: audit,
    proxyto: "node",
    parameters: { node },
    handler: () => [],
  },
  {
    method: "GET",
    path: "/nodes/{node}/disks/zfs",
    description: "List Zpools.",
    permission: audit,
    proxyto: "node",
    parameters: { node },
    handler: () => [
      {
        name: "tank",
        size: 1992864825344,
        alloc: 311385128960,
        free: 1681479696384,
        frag: 3,
        dedup: 1,
        health: "ONLINE",
      },
    ],
  },
  {
    method: "GET",
    path: "/nodes/{node}/disks/zfs/{name}",
    description: "Get details about a zpool.",
    permission: audit,
    proxyto: "node",
    parameters: { node, name: str("The storage identifier.", { format: "pve-storage-id" }) },
    handler: ({ params }) => {
      if (params.name !== "tank") throw fail(`cannot open '${params.name}': no such pool`);
      return {
        name: "tank",
        state: "ONLINE",
        scan: "scrub repaired 0B in 00:12:45 with 0 errors on Sun Nov  8 00:36:46 2026",
        errors: "No known data errors",
        children: [
          {
            name: "tank",
            state: "ONLINE",
            read: 0,
            write: 0,
            cksum: 0,
            msg: "",
            leaf: 0,
            children: [
              {
                name: "nvme-Samsung_SSD_990_PRO_2TB_S73WNJ0W123456",
                state: "ONLINE",
                read: 0,
                write: 0,
                cksum: 0,
                msg: "",
                leaf: 1,
              },
            ],
          },
        ],
      };
    },
  },
  {
    method: "GET",
    path: "/nodes/{node}/scan/nfs",
    description: "Scan remote NFS server.",
    permission: storageAudit,
    proxyto: "node",
    parameters: {
      node,
      server: str("The server address (name or IP).", { format: "pve-storage-server" }),
    },
    handler: ({ params }) => {
      scanHost(params.server, "/sbin/showmount --no-headers --exports");
      return [
        { path: "/export/backups", options: "10.0.0.0/24" },
        { path: "/export/isos", options: "10.0.0.0/24" },
      ];
    },
  },
  {
    method: "GET",
    path: "/nodes/{node}/scan/cifs",
    description: "Scan remote CIFS server.",
    permission: storageAudit,
    proxyto: "node",
    parameters: {
      node,
      server: str("The server address (name or IP).", { format: "pve-storage-server" }),
      domain: str("SMB domain (Workgroup).", { optional: true }),
      password: str("User password.", { optional: true }),
      username: str("User name.", { optional: true }),
    },
    handler: ({ params }) => {
      scanHost(params.server, "/usr/bin/smbclient -m smb3 -d 0 -L");
      return [
        { share: "backups", description: "Backup share" },
        { share: "media", description: "" },
      ];
    },
  },
  {
    method: "GET",
    path: "/nodes/{node}/scan/pbs",
    description: "Scan remote Proxmox Backup Server.",
    permission: storageAudit,
    proxyto: "node",
    parameters: {
      node,
      server: str("The server address (name or IP).", { format: "pve-storage-server" }),
      username: str("User-name or API token-ID."),
      password: str("User password or API token secret."),
      fingerprint: str("Certificate SHA 256 fingerprint.", {
        optional: true,
        pattern: "([A-Fa-f0-9]{2}:){31}[A-Fa-f0-9]{2}",
      }),
      port: {
        type: "integer",
        optional: true,
        minimum: 1,
        maximum: 65535,
        default: 8007,
        description: "Optional port.",
      },
    },
    handler: ({ params }) => {
      scanHost(params.server, "proxmox-backup-client list --repository");
      return [{ store: "datastore1", comment: "Daily backups" }];
    },
  },
  {
    method: "GET",
    path: "/nodes/{node}/scan/iscsi",
    description: "Scan remote iSCSI server.",
    permission: storageAudit,
    proxyto: "node",
    parameters: {
      node,
      portal: str("The iSCSI portal (IP or DNS name with optional port).", {
        format: "pve-storage-portal-dns",
      }),
    },
    handler: ({ params }) => {
      scanHost(
        String(params.portal).replace(/:\d+$/, ""),
        "/usr/bin/iscsiadm --mode discovery --type sendtargets --portal",
      );
      return [
        {
          target: "iqn.2005-10.org.freenas.ctl:pve",
          portal: `${String(params.portal).replace(/:\d+$/, "")}:3260`,
        },
      ];
    },
  },
  {
    method: "GET",
    path: "/nodes/{node}/scan/lvm",
    description: "List local LVM volume groups.",
    permission: storageAudit,
    proxyto: "node",
    parameters: { node },
    handler: () => [{ vg: "pve" }],
  },
  {
    method: "GET",
    path: "/nodes/{node}/scan/lvmthin",
    description: "List local LVM Thin Pools.",
    permission: storageAudit,
    proxyto: "node",
    parameters: {
      node,
      vg: str("The LVM logical volume group name.", {
        pattern: "[a-zA-Z0-9\\.\\+\\_][a-zA-Z0-9\\.\\+\\_\\-]+",
        maxLength: 100,
      }),
    },
    handler: ({ params }) => (params.vg === "pve" ? [{ lv: "data" }] : []),
  },
  {
    method: "GET",
    path: "/nodes/{node}/scan/zfs",
    description: "Scan zfs pool list on local node.",
    permission: storageAudit,
    proxyto: "node",
    parameters: { node },
    handler: () => [{ pool: "tank" }],
  },
];
