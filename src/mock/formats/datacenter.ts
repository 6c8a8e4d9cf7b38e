// Formats of the datacenter routes (access, storage, HA, firewall, backup), with the texts PVE's
// verifiers die with.
import { ALL_PRIVS } from "../perms.ts";
import { SCALAR_FORMATS } from "./scalar.ts";
import {
  bool,
  int,
  num,
  oneOf,
  type PropertyFormat,
  required,
  str,
  type Verifier,
} from "./types.ts";

const USER_RE = /^[^\s:/]+@[A-Za-z][A-Za-z0-9.\-_]+$/;
const TOKEN_RE = /^[^\s:/]+@[A-Za-z][A-Za-z0-9.\-_]+![A-Za-z][A-Za-z0-9.\-_]+$/;

const userid: Verifier = (v) => {
  if (v.length < 3) return `user name '${v}' is too short\n`;
  if (v.length > 64) return `user name '${v}' is too long (${v.length} > 64)\n`;
  return USER_RE.test(v) ? undefined : `value '${v}' does not look like a valid user name\n`;
};

// The protocols of /etc/protocols a rule may name; numbers are always accepted.
const PROTOCOLS = new Set(
  "ip icmp igmp ggp ipencap st tcp egp igp pup udp hmp xns-idp rdp iso-tp4 dccp xtp ddp idpr-cmtp ipv6 ipv6-route ipv6-frag idrp rsvp gre esp ah skip ipv6-icmp icmpv6 ipv6-nonxt ipv6-opts rspf vmtp eigrp ospf ax.25 ipip etherip encap pim ipcomp vrrp l2tp isis sctp fc mobility-header udplite mpls-in-ip manet hip shim6 wesp rohc ethernet".split(
    " ",
  ),
);
// Service names of /etc/services that rules use most; numbers and ranges are always accepted.
const SERVICES = new Set(
  "ftp ssh telnet smtp domain http https pop3 imap ntp snmp ldap ldaps microsoft-ds nfs mysql postgresql rdp ms-wbt-server bgp syslog submission imaps pop3s openvpn".split(
    " ",
  ),
);
export const ICMP_TYPES = new Set(
  "any echo-reply destination-unreachable network-unreachable host-unreachable protocol-unreachable port-unreachable fragmentation-needed source-route-failed network-unknown host-unknown network-prohibited host-prohibited TOS-network-unreachable TOS-host-unreachable communication-prohibited host-precedence-violation precedence-cutoff source-quench redirect network-redirect host-redirect TOS-network-redirect TOS-host-redirect echo-request router-advertisement router-solicitation time-exceeded ttl-zero-during-transit ttl-zero-during-reassembly parameter-problem ip-header-bad required-option-missing timestamp-request timestamp-reply address-mask-request address-mask-reply no-route address-unreachable beyond-scope failed-policy reject-route packet-too-big bad-header unknown-header-type unknown-option neighbor-solicitation neighbour-solicitation neighbor-advertisement neighbour-advertisement".split(
    " ",
  ),
);

/** parse_port_name_number_or_range. */
const ports =
  (dport: boolean): Verifier =>
  (v) => {
    const items = v.split(",");
    if (items.some((i) => i === "")) return "extraneous commas in list\n";
    let count = 0;
    let icmp = false;
    for (const item of items) {
      const range = /^(\d+):(\d+)$/.exec(item);
      if (range) {
        count += 2;
        const [a, b] = [Number(range[1]), Number(range[2])];
        if (a > 65535) return `invalid port '${range[1]}'\n`;
        if (b > 65535) return `invalid port '${range[2]}'\n`;
        if (a > b)
          return `backwards range '${range[1]}:${range[2]}' not allowed, did you mean '${range[2]}:${range[1]}'?\n`;
      } else if (/^\d+$/.test(item)) {
        count += 1;
        if (Number(item) > 65535) return `invalid port '${item}'\n`;
      } else if (dport && ICMP_TYPES.has(item)) icmp = true;
      else if (!SERVICES.has(item)) return `invalid port '${item}'\n`;
    }
    if (icmp && count > 0) return "ICMP ports not allowed in port range\n";
    return count > 15 ? "too many entries in port list (> 15 numbers)\n" : undefined;
  };

/** parse_address_list: IPs, CIDRs, ranges, aliases and `+ipset` names. */
const addressList: Verifier = (v) => {
  if (/^\+(dc\/|guest\/)?[A-Za-z][A-Za-z0-9\-_]+$/.test(v)) return undefined;
  if (/^(dc\/|guest\/)?[A-Za-z][A-Za-z0-9\-_]+$/.test(v) && !/^\d/.test(v)) return undefined;
  const items = v.split(",");
  if (items.some((i) => i === "")) return "extraneous commas in list\n";
  for (const item of items) {
    const [from, to] = item.split("-");
    for (const part of to === undefined ? [from] : [from, to]) {
      const ip = (part ?? "").replace(/\/\d+$/, "");
      if (SCALAR_FORMATS.ip?.(ip) !== undefined) return `invalid IP address: ${item}\n`;
    }
  }
  if (items.length > 1 && items.some((i) => i.includes("-"))) {
    return "you can't use a range in a list\n";
  }
  return undefined;
};

/** An IP or CIDR, as pve-firewall's pve_verify_ip_or_cidr (Net::IP's words on a bad one). */
const ipOrCidr: Verifier = (v) => {
  const ip = v.replace(/\/\d+$/, "");
  return SCALAR_FORMATS.ip?.(ip) === undefined ? undefined : `Bad IP address in ${ip}\n`;
};

export const DATACENTER_FORMATS: Record<string, Verifier> = {
  IPorCIDR: ipOrCidr,
  IPorCIDRorAlias: (v) =>
    /^(dc\/|guest\/)?[A-Za-z][A-Za-z0-9\-_]+$/.test(v) ? undefined : ipOrCidr(v),
  "mac-prefix": (v) =>
    /^[a-f0-9][02468ace](?::[a-f0-9]{2}){0,2}:?$/i.test(v)
      ? undefined
      : "value does not look like a valid unicast MAC address prefix\n",
  "pve-userid": userid,
  "pve-tokenid": (v) =>
    TOKEN_RE.test(v) ? undefined : `value '${v}' does not look like a valid token ID\n`,
  "pve-groupid": (v) =>
    /^[A-Za-z0-9.\-_]+$/.test(v) ? undefined : `group name '${v}' contains invalid characters\n`,
  "pve-roleid": (v) =>
    /^[A-Za-z0-9.\-_]+$/.test(v) ? undefined : `role name '${v}' contains invalid characters\n`,
  "pve-priv": (v) => (ALL_PRIVS.includes(v) ? undefined : `invalid privilege '${v}'\n`),
  "pve-ha-resource-or-vm-id": (v) =>
    /^([a-z]+:\S+|\d+)$/.test(v) ? undefined : "value does not look like a valid ha resource id\n",
  "pve-fw-protocol-spec": (v) =>
    v === "" || PROTOCOLS.has(v) || /^\d+$/.test(v) ? undefined : `unknown protocol '${v}'\n`,
  "pve-fw-dport-spec": ports(true),
  "pve-fw-sport-spec": ports(false),
  "pve-fw-addr-spec": addressList,
  "pve-fw-icmp-type-spec": (v) =>
    v === "" || ICMP_TYPES.has(v) || /^\d+(\/\d+)?$/.test(v)
      ? undefined
      : `invalid icmp-type value '${v}'\n`,
};

const keep = { type: "integer", optional: true, minimum: 0 } as const;
const TAG = "[a-z0-9_][a-z0-9_\\-+.]*";
const net = {
  keys: {
    type: required(oneOf(["secure", "insecure"], { defaultKey: true })),
    network: str({ format: "CIDR" }),
  },
};

/** The property strings of datacenter.cfg (PUT /cluster/options). */
const DATACENTER_CFG: Record<string, PropertyFormat> = {
  "dc-migration": net,
  "dc-replication": net,
  "dc-ha": {
    keys: {
      shutdown_policy: required(oneOf(["freeze", "failover", "conditional", "migrate"])),
    },
  },
  "dc-crs": {
    keys: {
      ha: oneOf(["basic", "static", "dynamic"]),
      "ha-rebalance-on-start": bool(),
      "ha-auto-rebalance": bool(),
      "ha-auto-rebalance-hold-duration": { ...num(0), requires: "ha-auto-rebalance" },
      "ha-auto-rebalance-margin": { ...num(0), requires: "ha-auto-rebalance" },
      "ha-auto-rebalance-method": oneOf(["bruteforce", "topsis"], {
        requires: "ha-auto-rebalance",
      }),
      "ha-auto-rebalance-threshold": { ...num(0), requires: "ha-auto-rebalance" },
    },
  },
  "dc-bwlimit": {
    keys: Object.fromEntries(
      ["clone", "default", "migration", "move", "restore"].map((k) => [k, num(0)]),
    ),
  },
  "dc-next-id": { keys: { lower: int(), upper: int() } },
  "dc-notify": {
    keys: {
      fencing: oneOf(["always", "never"]),
      "package-updates": oneOf(["auto", "always", "never"]),
      replication: oneOf(["always", "never"]),
      "target-fencing": str(),
      "target-package-updates": str(),
      "target-replication": str(),
    },
  },
  "dc-tag-style": {
    keys: {
      "case-sensitive": bool(),
      "color-map": str({
        pattern: `(?:${TAG}:[0-9a-fA-F]{6}(?::[0-9a-fA-F]{6})?)(?:;(?:${TAG}:[0-9a-fA-F]{6}(?::[0-9a-fA-F]{6})?))*`,
      }),
      ordering: oneOf(["config", "alphabetical"]),
      shape: oneOf(["full", "circle", "dense", "none"]),
    },
  },
  "dc-u2f": { keys: { appid: str(), origin: str() } },
  "dc-webauthn": {
    keys: { "allow-subdomains": bool(), id: str(), origin: str(), rp: str() },
  },
  "dc-user-tag-access": {
    keys: {
      "user-allow": oneOf(["none", "list", "existing", "free"]),
      "user-allow-list": str({ pattern: `${TAG}(?:;${TAG})*` }),
    },
  },
};

export const DATACENTER_PROPERTY_FORMATS: Record<string, PropertyFormat> = {
  ...DATACENTER_CFG,
  "prune-backups": {
    keys: {
      "keep-all": { type: "boolean", optional: true },
      "keep-last": keep,
      "keep-hourly": keep,
      "keep-daily": keep,
      "keep-weekly": keep,
      "keep-monthly": keep,
      "keep-yearly": keep,
    },
    validate: (v) => {
      const others = Object.entries(v).filter(([k, n]) => k !== "keep-all" && Number(n) > 0);
      return others.length > 0 && v["keep-all"] === "1"
        ? "keep-all cannot be set together with other options.\n"
        : undefined;
    },
  },
  "backup-fleecing": {
    keys: {
      enabled: { type: "boolean", optional: true, defaultKey: true },
      storage: { type: "string", optional: true, format: "pve-storage-id" },
    },
    validate: (v) =>
      v.enabled === "1" && !v.storage
        ? "'storage' parameter is required when 'enabled' is set\n"
        : undefined,
  },
  "backup-performance": {
    keys: {
      "max-workers": { type: "integer", optional: true, minimum: 1, maximum: 256 },
      "pbs-entries-max": { type: "integer", optional: true, minimum: 1 },
    },
  },
};
