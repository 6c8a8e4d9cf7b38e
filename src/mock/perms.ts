// Roles, ACLs and the privilege check, as pve-access-control evaluates them.
import type { ClusterState } from "./state.ts";

const VM_PRIVS = [
  "VM.Allocate",
  "VM.Audit",
  "VM.Backup",
  "VM.Clone",
  "VM.Config.CDROM",
  "VM.Config.CPU",
  "VM.Config.Cloudinit",
  "VM.Config.Disk",
  "VM.Config.HWType",
  "VM.Config.Memory",
  "VM.Config.Network",
  "VM.Config.Options",
  "VM.Console",
  "VM.GuestAgent.Audit",
  "VM.GuestAgent.FileRead",
  "VM.GuestAgent.FileSystemMgmt",
  "VM.GuestAgent.FileWrite",
  "VM.GuestAgent.Unrestricted",
  "VM.Migrate",
  "VM.PowerMgmt",
  "VM.Replicate",
  "VM.Snapshot",
  "VM.Snapshot.Rollback",
];
const OTHER_PRIVS = [
  "Datastore.Allocate",
  "Datastore.AllocateSpace",
  "Datastore.AllocateTemplate",
  "Datastore.Audit",
  "Group.Allocate",
  "Mapping.Audit",
  "Mapping.Modify",
  "Mapping.Use",
  "Permissions.Modify",
  "Pool.Allocate",
  "Pool.Audit",
  "Realm.Allocate",
  "Realm.AllocateUser",
  "SDN.Allocate",
  "SDN.Audit",
  "SDN.Use",
  "Sys.AccessNetwork",
  "Sys.Audit",
  "Sys.Console",
  "Sys.Incoming",
  "Sys.Modify",
  "Sys.PowerMgmt",
  "Sys.Syslog",
  "User.Modify",
];
export const ALL_PRIVS: readonly string[] = [...VM_PRIVS, ...OTHER_PRIVS].sort();

export const ROLES: Record<string, readonly string[]> = {
  Administrator: ALL_PRIVS,
  PVEAuditor: [
    "Datastore.Audit",
    "Mapping.Audit",
    "Pool.Audit",
    "SDN.Audit",
    "Sys.Audit",
    "VM.Audit",
    "VM.GuestAgent.Audit",
  ],
  PVEVMUser: [
    "VM.Audit",
    "VM.Backup",
    "VM.Config.CDROM",
    "VM.Config.Cloudinit",
    "VM.Console",
    "VM.PowerMgmt",
  ],
  NoAccess: [],
};

/** The privileges of a built-in or custom role; undefined when there is no such role. */
export function rolePrivs(state: ClusterState, roleid: string): readonly string[] | undefined {
  return ROLES[roleid] ?? state.dc.roles.get(roleid);
}

/** Who is calling: a user, or one of its API tokens. */
export interface Principal {
  userid: string;
  tokenid?: string;
}

export function principalName(p: Principal): string {
  return p.tokenid ? `${p.userid}!${p.tokenid}` : p.userid;
}

function parentPaths(path: string): string[] {
  const parts = path.split("/").filter((s) => s !== "");
  const out = ["/"];
  for (let i = 1; i <= parts.length; i++) out.push(`/${parts.slice(0, i).join("/")}`);
  return out;
}

/**
 * Privileges of a user (or token) on a path: the most specific ACL entry wins; propagate carries
 * it down. At one level the user's own entries win over those of the groups it belongs to.
 */
function aclPrivs(state: ClusterState, ugid: string, path: string): Set<string> {
  const groups = state.users.get(ugid)?.groups ?? [];
  let privs = new Set<string>();
  for (const p of parentPaths(path)) {
    const applies = (a: (typeof state.acl)[number]) => a.path === p && (a.propagate || p === path);
    const own = state.acl.filter((a) => a.ugid === ugid && applies(a));
    const viaGroups = state.acl.filter((a) => groups.includes(a.ugid) && applies(a));
    const here = own.length > 0 ? own : viaGroups;
    if (here.length > 0) privs = new Set(here.flatMap((a) => rolePrivs(state, a.roleid) ?? []));
  }
  return privs;
}

export function privilegesOn(state: ClusterState, who: Principal, path: string): Set<string> {
  if (who.userid === "root@pam" && !who.tokenid) return new Set(ALL_PRIVS);
  const user = state.users.get(who.userid);
  if (!user?.enable) return new Set();
  const ofUser = (p: string): Set<string> =>
    who.userid === "root@pam" ? new Set(ALL_PRIVS) : aclPrivs(state, who.userid, p);
  let privs = ofUser(path);
  // A guest in a pool also gets what the pool grants (/pool/<id> covers its members).
  const vm = /^\/vms\/(\d+)$/.exec(path);
  const pool = vm ? state.guests.get(Number(vm[1]))?.pool : undefined;
  if (pool) privs = new Set([...privs, ...ofUser(`/pool/${pool}`)]);
  if (who.tokenid) {
    const token = state.tokens.find((t) => t.userid === who.userid && t.tokenid === who.tokenid);
    // A privilege-separated token has only its own ACLs, intersected with the user's.
    if (!token) return new Set();
    if (token.privsep) {
      const own = aclPrivs(state, principalName(who), path);
      privs = new Set([...privs].filter((p) => own.has(p)));
    }
  }
  return privs;
}

export function hasPriv(
  state: ClusterState,
  who: Principal,
  path: string,
  privs: readonly string[],
  any = false,
): boolean {
  // root@pam has everything: no sets to build (a list of 10,000 guests checks each one).
  const have = isFullRoot(state, who) ? EVERY_PRIV : privilegesOn(state, who, path);
  return any ? privs.some((p) => have.has(p)) : privs.every((p) => have.has(p));
}

const EVERY_PRIV: ReadonlySet<string> = new Set(ALL_PRIVS);

/** root@pam itself, or one of its tokens without privilege separation (as privilegesOn has it). */
function isFullRoot(state: ClusterState, who: Principal): boolean {
  if (who.userid !== "root@pam") return false;
  if (!who.tokenid) return true;
  if (!state.users.get(who.userid)?.enable) return false;
  const token = state.tokens.find((t) => t.userid === who.userid && t.tokenid === who.tokenid);
  return token !== undefined && !token.privsep;
}

/** The `cap` object of a login answer: privilege → 1 per area. */
export function capabilities(
  state: ClusterState,
  who: Principal,
): Record<string, Record<string, 1>> {
  const areas: Record<string, string> = {
    vms: "/vms",
    storage: "/storage",
    access: "/access",
    nodes: "/nodes",
    sdn: "/sdn",
    dc: "/",
    mapping: "/mapping",
  };
  const prefixes: Record<string, string[]> = {
    vms: ["VM.", "Permissions.Modify"],
    storage: ["Datastore.", "Permissions.Modify"],
    access: ["User.", "Group.", "Realm.", "Permissions.Modify"],
    nodes: ["Sys."],
    sdn: ["SDN.", "Permissions.Modify"],
    dc: ["Sys.Audit", "Sys.Modify", "SDN.", "Mapping."],
    mapping: ["Mapping.", "Permissions.Modify"],
  };
  const cap: Record<string, Record<string, 1>> = {};
  for (const [area, path] of Object.entries(areas)) {
    const have = privilegesOn(state, who, path);
    cap[area] = {};
    for (const p of [...have].sort()) {
      if ((prefixes[area] ?? []).some((x) => p.startsWith(x)))
        (cap[area] as Record<string, 1>)[p] = 1;
    }
  }
  return cap;
}
