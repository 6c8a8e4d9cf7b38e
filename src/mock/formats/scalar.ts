// Named formats of single values (pve-common's JSONSchema, pve-storage, qemu-server, pve-container),
// each returning the text its PVE verifier dies with. `-list` and `-opt` variants come from
// index.ts, as check_format derives them.
import { isIPv4, isIPv6 } from "node:net";
import type { Verifier } from "./types.ts";

const CONFIGID_RE = /^[a-z][a-z0-9_-]+$/i;
const NODE_RE = /^[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?$/;
const DNS_LABEL = "[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?";
const DNS_RE = new RegExp(`^(${DNS_LABEL}\\.)*${DNS_LABEL}$`);
const EMAIL_USER = "[\\w+\\-~]+(\\.[\\w+\\-~]+)*";
const EMAIL_RE = new RegExp(`^${EMAIL_USER}@[a-zA-Z0-9-]+(\\.[a-zA-Z0-9-]+)*$`);
const TAG_RE = /^[a-z0-9_][a-z0-9_\-+.]*$/i;

/** parse_id: storage and other section-config IDs. */
const sectionId =
  (kind: string): Verifier =>
  (v) => {
    if (v.length < 2) return `${kind} ID '${v}' cannot be shorter than 2 characters\n`;
    return /^[a-z][a-z0-9\-_.]*[a-z0-9]$/i.test(v)
      ? undefined
      : `${kind} ID '${v}' contains illegal characters\n`;
  };

const cidr = (v: string, four: boolean): boolean => {
  const m = /^(.+)\/(\d+)$/.exec(v);
  if (!m) return false;
  const bits = Number(m[2]);
  return four
    ? isIPv4(m[1] as string) && bits > 7 && bits <= 32
    : isIPv6(m[1] as string) && bits > 7 && bits <= 128;
};

/** The zones of zone.tab, as the runtime's time zone database knows them. */
const ZONES = new Set(["UTC", ...Intl.supportedValuesOf("timeZone")]);

const SIZE_RE = /^(\d+(\.\d+)?)([KMGT](iB)?)?$/;

/** Where a volume is named: `storage:volname`, as pve-storage's parse_volume_id reads it. */
export const VOLUME_ID_RE = /^([a-z][a-z0-9\-_.]*[a-z0-9]):(.+)$/is;

const volumeId: Verifier = (v) =>
  VOLUME_ID_RE.test(v) ? undefined : `unable to parse volume ID '${v}'\n`;

const volumeIdOrPath: Verifier = (v) => (v.startsWith("/") ? undefined : volumeId(v));

const IO_DEV = /^(ide|sata|scsi|virtio)\d+$/;

export const SCALAR_FORMATS: Record<string, Verifier> = {
  string: () => undefined,
  urlencoded: (v) =>
    /^[-%a-zA-Z0-9_.!~*'()]*$/.test(v) ? undefined : `invalid urlencoded string: ${v}\n`,
  "pve-configid": (v) => (CONFIGID_RE.test(v) ? undefined : `invalid configuration ID '${v}'\n`),
  "pve-node": (v) => (NODE_RE.test(v) ? undefined : "value does not look like a valid node name\n"),
  "pve-vmid": (v) =>
    /^[1-9][0-9]{2,8}$/.test(v) ? undefined : "value does not look like a valid VM ID\n",
  "pve-storage-id": sectionId("storage"),
  "acme-plugin-id": sectionId("ACME plugin"),
  "pve-bridge-id": (v) => (/^[-_.\w]+$/.test(v) ? undefined : `invalid bridge ID '${v}'\n`),
  "mac-addr": (v) =>
    /^[a-f0-9][02468ace](?::[a-f0-9]{2}){5}$/i.test(v)
      ? undefined
      : "value does not look like a valid unicast MAC address\n",
  ipv4: (v) => (isIPv4(v) ? undefined : "value does not look like a valid IPv4 address\n"),
  ipv6: (v) => (isIPv6(v) ? undefined : "value does not look like a valid IPv6 address\n"),
  ip: (v) => (isIPv4(v) || isIPv6(v) ? undefined : "value does not look like a valid IP address\n"),
  CIDRv4: (v) =>
    cidr(v, true) ? undefined : "value does not look like a valid IPv4 CIDR network\n",
  CIDRv6: (v) =>
    cidr(v, false) ? undefined : "value does not look like a valid IPv6 CIDR network\n",
  CIDR: (v) =>
    cidr(v, true) || cidr(v, false) ? undefined : "value does not look like a valid CIDR network\n",
  "pve-ipv4-config": (v) =>
    /^(dhcp|manual)$/.test(v) || cidr(v, true)
      ? undefined
      : "value does not look like a valid ipv4 network configuration\n",
  "pve-ipv6-config": (v) =>
    /^(auto|dhcp|manual)$/.test(v) || cidr(v, false)
      ? undefined
      : "value does not look like a valid ipv6 network configuration\n",
  email: (v) => (EMAIL_RE.test(v) ? undefined : "value does not look like a valid email address\n"),
  "email-or-username": (v) =>
    EMAIL_RE.test(v) || new RegExp(`^${EMAIL_USER}$`).test(v)
      ? undefined
      : "value does not look like a valid email address or user name\n",
  "dns-name": (v) => (DNS_RE.test(v) ? undefined : "value does not look like a valid DNS name\n"),
  address: (v) =>
    isIPv4(v) || isIPv6(v) || DNS_RE.test(v)
      ? undefined
      : `value does not look like a valid address: ${v}\n`,
  "pve-iface": (v) =>
    /^[a-z][a-z0-9_]{1,20}([:.]\d+)?$/i.test(v)
      ? undefined
      : `invalid network interface name '${v}'\n`,
  "disk-size": (v) =>
    SIZE_RE.test(v) ? undefined : `value does not look like a valid disk size: ${v}\n`,
  "pve-tag": (v) => (TAG_RE.test(v) ? undefined : "invalid characters in tag\n"),
  "pve-startup-order": (v) => {
    for (const p of v.split(",")) {
      if (/^\s*$/.test(p)) continue;
      if (!/^((order=)?\d+|up=\d+|down=\d+)$/.test(p)) return "unable to parse startup options\n";
    }
    return undefined;
  },
  "pve-volume-id": volumeId,
  "pve-volume-id-or-qm-path": (v) =>
    v === "none" || v === "cdrom" ? undefined : volumeIdOrPath(v),
  "pve-volume-id-or-absolute-path": volumeIdOrPath,
  "pve-qm-bootdisk": (v) =>
    IO_DEV.test(v) || v === "efidisk0" || v === "tpmstate0"
      ? undefined
      : `invalid boot disk '${v}'\n`,
  // The mount point path of a container: no `.`/`..` components.
  "pve-lxc-mp-string": (v) =>
    /\/\.\.?\//.test(v) || /\/\.\.?$/.test(v) || /^\.\.\//.test(v)
      ? `${v} contains illegal character sequences\n`
      : undefined,
  "pve-ct-timezone": (v) =>
    v === "host" || ZONES.has(v) ? undefined : `invalid time zone '${v}'\n`,
  timezone: (v) => (ZONES.has(v) ? undefined : `invalid time zone '${v}'\n`),
  "pve-cpuset": (v) =>
    /^\d+(-\d+)?(,\d+(-\d+)?)*$/.test(v) ? undefined : `invalid cpuset '${v}'\n`,
  "pve-hotplug-features": (v) => {
    if (/^[01]$/.test(v)) return undefined;
    for (const f of v.split(",")) {
      if (!/^(network|disk|cpu|memory|usb|cloudinit)$/.test(f)) {
        return `invalid hotplug feature '${f}'\n`;
      }
    }
    return undefined;
  },
  "pve-task-status-type": (v) =>
    /^(ok|error|warning|unknown)$/i.test(v) ? undefined : `invalid status '${v}'\n`,
  "pve-storage-content": (v) =>
    ["images", "rootdir", "vztmpl", "iso", "backup", "snippets", "import", "none"].includes(v)
      ? undefined
      : `invalid content type '${v}'\n`,
  "pve-storage-path": (v) =>
    v.startsWith("/") && !/\/\.\.?(\/|$)/.test(v) ? undefined : `invalid path: ${v}\n`,
  "pve-poolid": (v) =>
    v.split("/").length > 3
      ? `pool name '${v}' nested too deeply (max levels = 3)\n`
      : /^[A-Za-z0-9.\-_]+(?:\/[A-Za-z0-9.\-_]+){0,2}$/.test(v)
        ? undefined
        : `pool name '${v}' contains invalid characters\n`,
  "pve-realm": (v) =>
    /^[A-Za-z][A-Za-z0-9.\-_]+$/.test(v) ? undefined : `invalid realm ID '${v}'\n`,
  "pve-replication-job-id": (v) => {
    const m = /^(\d+)-(\d+)$/.exec(v);
    if (!m) return `invalid replication job id '${v}'\n`;
    return Number(m[1]) < 100
      ? `invalid replication job id '${v}' (guest IDs < 100 are reserved)\n`
      : undefined;
  },
  // systemd-like calendar events (`*/15`, `mon..fri 02:00`, `daily`): the characters they use.
  "pve-calendar-event": (v) =>
    /^[\w\s:,.*/~+-]+$/.test(v) ? undefined : `invalid calendar event '${v}' - unable to parse\n`,
  "pve-sdn-zone-id": sectionId("zone"),
  "pve-storage-server": (v) =>
    isIPv4(v) || isIPv6(v) || DNS_RE.test(v)
      ? undefined
      : "value does not look like a valid server name or IP address\n",
  "pve-storage-portal-dns": (v) => {
    const host = v.replace(/^\[(.+)\](:\d+)?$/, "$1").replace(/^([^:]+):\d+$/, "$1");
    return isIPv4(host) || isIPv6(host) || DNS_RE.test(host)
      ? undefined
      : "value does not look like a valid portal address\n";
  },
};
