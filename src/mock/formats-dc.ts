// Parameter formats of the datacenter routes (access, storage config, HA, firewall), with the
// messages PVE's format checkers die with. params.ts merges them into its format table.
import { ALL_PRIVS } from "./perms.ts";

type FormatCheck = (value: string) => string | undefined;

/** PVE's split_list: items separated by commas, semicolons or white space. */
export const splitList = (value: unknown): string[] =>
  value === undefined || value === null
    ? []
    : String(value)
        .split(/[,;\s]+/)
        .filter((s) => s !== "");

const listOf =
  (check: FormatCheck): FormatCheck =>
  (value) => {
    for (const item of splitList(value)) {
      const msg = check(item);
      if (msg) return msg;
    }
    return undefined;
  };

const USER_RE = /^[^\s:/]+@[A-Za-z][A-Za-z0-9.\-_]+$/;
const TOKEN_RE = /^[^\s:/]+@[A-Za-z][A-Za-z0-9.\-_]+![A-Za-z][A-Za-z0-9.\-_]+$/;
const NODE_RE = /^[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?$/;
const STORAGE_RE = /^[a-z][a-z0-9\-_.]*[a-z0-9]$/i;

const userid: FormatCheck = (v) => {
  if (v.length < 3) return `user name '${v}' is too short\n`;
  if (v.length > 64) return `user name '${v}' is too long (${v.length} > 64)\n`;
  return USER_RE.test(v) ? undefined : `value '${v}' does not look like a valid user name\n`;
};
const roleid: FormatCheck = (v) =>
  /^[A-Za-z0-9.\-_]+$/.test(v) ? undefined : `role name '${v}' contains invalid characters\n`;

const PRUNE_KEYS = [
  "keep-all",
  "keep-last",
  "keep-hourly",
  "keep-daily",
  "keep-weekly",
  "keep-monthly",
  "keep-yearly",
];

/** keep-last=3,keep-daily=7 — the prune-backups property string. */
const pruneBackups: FormatCheck = (v) => {
  const seen = new Set<string>();
  for (const part of v.split(",").filter((p) => p.trim() !== "")) {
    const m = /^([^=]+)=(.+)$/.exec(part);
    if (!m) return "value without key, but schema does not define a default key\n";
    const [, key = "", value = ""] = m;
    if (seen.has(key)) return `duplicate key in comma-separated list property: ${key}\n`;
    seen.add(key);
    if (!PRUNE_KEYS.includes(key)) return `invalid key in comma-separated list property: ${key}\n`;
    if (key === "keep-all" ? !/^[01]$/.test(value) : !/^\d+$/.test(value)) {
      return `${key}: type check ('${key === "keep-all" ? "boolean" : "integer"}') failed - got '${value}'\n`;
    }
  }
  if (seen.has("keep-all") && seen.size > 1) {
    return "keep-all cannot be set together with other options.\n";
  }
  return undefined;
};

export const DC_FORMATS: Record<string, FormatCheck> = {
  "pve-node-list": listOf((v) =>
    NODE_RE.test(v) ? undefined : "value does not look like a valid node name\n",
  ),
  "pve-storage-id-list": listOf((v) =>
    STORAGE_RE.test(v) ? undefined : `storage ID '${v}' contains illegal characters\n`,
  ),
  "pve-vmid-list": listOf((v) =>
    /^[1-9][0-9]{2,8}$/.test(v) ? undefined : "value does not look like a valid VM ID\n",
  ),
  "pve-storage-path": (v) =>
    v.startsWith("/") && !/\/\.\.?(\/|$)/.test(v) ? undefined : `invalid path: ${v}\n`,
  "prune-backups": pruneBackups,
  "pve-userid": userid,
  "pve-userid-list": listOf(userid),
  "pve-tokenid-list": listOf((v) =>
    TOKEN_RE.test(v) ? undefined : `value '${v}' does not look like a valid token ID\n`,
  ),
  "pve-groupid-list": listOf((v) =>
    /^[A-Za-z0-9.\-_]+$/.test(v) ? undefined : `group name '${v}' contains invalid characters\n`,
  ),
  "pve-roleid": roleid,
  "pve-roleid-list": listOf(roleid),
  "pve-priv-list": listOf((v) =>
    ALL_PRIVS.includes(v) ? undefined : `invalid privilege '${v}'\n`,
  ),
  "pve-ha-resource-or-vm-id": (v) =>
    /^([a-z]+:\S+|\d+)$/.test(v) ? undefined : "value does not look like a valid ha resource id\n",
};
