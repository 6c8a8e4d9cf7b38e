// /access/users (list, create, delete), a token's settings, and /access/permissions.

import { fail, PveError, permissionDenied } from "../errors.ts";
import { splitList } from "../formats/index.ts";
import { hasPriv, type Principal, principalName, privilegesOn } from "../perms.ts";
import type { MockContext, Route } from "../router.ts";
import type { ClusterState, MockUser } from "../state.ts";

/** Linux accounts of the nodes: a pam password change runs usermod on them. */
const LINUX_USERS = new Set(["root"]);

export const userid = {
  type: "string",
  format: "pve-userid",
  maxLength: 64,
  description: "Full User ID, in the `name@realm` format.",
} as const;

/** `userid-group` of PVE: User.Modify (or the given privileges) on /access/groups. */
export function checkUserGroup(mock: MockContext, who: Principal, privs: string[]): void {
  if (!hasPriv(mock.state, who, "/access/groups", privs, true)) {
    throw permissionDenied("/access/groups", privs);
  }
}

/** `userid-param Realm.AllocateUser`: on the realm of the user being created or removed. */
export function checkRealm(mock: MockContext, who: Principal, user: string): void {
  const realm = user.slice(user.lastIndexOf("@") + 1);
  if (!hasPriv(mock.state, who, `/access/realm/${realm}`, ["Realm.AllocateUser"])) {
    throw permissionDenied(`/access/realm/${realm}`, ["Realm.AllocateUser"]);
  }
}

export const isRoot = (who: Principal): boolean => who.userid === "root@pam" && !who.tokenid;

function userRow(state: ClusterState, u: MockUser, full: boolean): Record<string, unknown> {
  const realm = u.userid.slice(u.userid.lastIndexOf("@") + 1);
  return {
    userid: u.userid,
    enable: u.enable ? 1 : 0,
    expire: u.expire ?? 0,
    ...(u.firstname ? { firstname: u.firstname } : {}),
    ...(u.lastname ? { lastname: u.lastname } : {}),
    ...(u.email ? { email: u.email } : {}),
    ...(u.comment ? { comment: u.comment } : {}),
    "realm-type": String(state.dc.objects.realms.get(realm)?.type ?? realm),
    ...(full
      ? {
          groups: (u.groups ?? []).join(","),
          tokens: state.tokens
            .filter((t) => t.userid === u.userid)
            .map((t) => ({ tokenid: t.tokenid, privsep: t.privsep ? 1 : 0, expire: 0 })),
        }
      : {}),
  };
}

/** Paths whose permissions /access/permissions reports: top levels, ACL paths, pool members. */
function permissionPaths(state: ClusterState): string[] {
  const paths = new Set([
    "/",
    "/access",
    "/access/groups",
    "/nodes",
    "/pool",
    "/sdn",
    "/storage",
    "/vms",
  ]);
  for (const a of state.acl) paths.add(a.path);
  for (const g of state.guests.values()) if (g.pool) paths.add(`/vms/${g.vmid}`);
  for (const p of state.pools.values()) for (const s of p.storage ?? []) paths.add(`/storage/${s}`);
  return [...paths].sort();
}

export const accessUserRoutes: Route[] = [
  {
    method: "GET",
    path: "/access/users",
    description: "User index.",
    permission: "all",
    parameters: {
      enabled: {
        type: "boolean",
        optional: true,
        description: "Optional filter for enable property.",
      },
      full: {
        type: "boolean",
        optional: true,
        default: 0,
        description: "Include group and token information.",
      },
    },
    handler: ({ mock, params, who }) => {
      const all = hasPriv(mock.state, who, "/access/groups", ["User.Modify", "Sys.Audit"], true);
      return [...mock.state.users.values()]
        .filter((u) => all || u.userid === who.userid)
        .filter((u) => params.enabled === undefined || u.enable === params.enabled)
        .map((u) => userRow(mock.state, u, params.full === true));
    },
  },
  {
    method: "POST",
    path: "/access/users",
    description: "Create new user.",
    permission: "all",
    parameters: {
      userid,
      password: {
        type: "string",
        optional: true,
        minLength: 8,
        maxLength: 64,
        description: "Initial password.",
      },
      enable: {
        type: "boolean",
        optional: true,
        default: 1,
        description: "Enable the account (default).",
      },
      expire: {
        type: "integer",
        optional: true,
        minimum: 0,
        description: "Account expiration date (seconds since epoch).",
      },
      firstname: { type: "string", optional: true, maxLength: 1024 },
      lastname: { type: "string", optional: true, maxLength: 1024 },
      email: { type: "string", optional: true, maxLength: 254, format: "email-opt" },
      comment: { type: "string", optional: true, maxLength: 2048 },
      keys: {
        type: "string",
        optional: true,
        pattern: "[0-9a-zA-Z!=]{0,4096}",
        description: "Keys for two factor auth (yubico).",
      },
      groups: { type: "string", optional: true, format: "pve-groupid-list" },
    },
    handler: ({ mock, params, who }) => {
      const id = String(params.userid);
      checkRealm(mock, who, id);
      checkUserGroup(mock, who, ["User.Modify"]);
      const [name = "", realm = ""] = [
        id.slice(0, id.lastIndexOf("@")),
        id.slice(id.lastIndexOf("@") + 1),
      ];
      const failed = (why: string) => fail(`create user failed: ${why}`);
      if (mock.state.users.has(id)) throw failed(`user '${id}' already exists`);
      const groups = splitList(params.groups);
      const unknown = groups.find((g) => !mock.state.dc.objects.groups.has(g));
      if (unknown) throw failed(`no such group '${unknown}'`);
      const password = typeof params.password === "string" ? params.password : undefined;
      if (password !== undefined) {
        if (!mock.state.dc.objects.realms.has(realm)) {
          throw failed(`auth domain '${realm}' does not exist`);
        }
        // The pam realm sets the password of the Linux account on this node.
        if (realm === "pam" && !LINUX_USERS.has(name)) {
          throw failed(
            `change password failed: command 'usermod -p '********' ${name}' failed: exit code 6`,
          );
        }
      }
      mock.state.users.set(id, {
        userid: id,
        password: password ?? "",
        enable: params.enable !== false,
        ...(typeof params.expire === "number" && params.expire > 0
          ? { expire: params.expire }
          : {}),
        ...(typeof params.firstname === "string" ? { firstname: params.firstname } : {}),
        ...(typeof params.lastname === "string" ? { lastname: params.lastname } : {}),
        ...(typeof params.email === "string" ? { email: params.email } : {}),
        ...(typeof params.comment === "string" ? { comment: params.comment } : {}),
        ...(groups.length > 0 ? { groups } : {}),
      });
      return null;
    },
  },
  {
    method: "DELETE",
    path: "/access/users/{userid}",
    description: "Delete user.",
    permission: "all",
    parameters: { userid },
    handler: ({ mock, params, who }) => {
      const id = String(params.userid);
      // root@pam skips the permission checks, and with them check_user_exist.
      if (!isRoot(who)) {
        checkRealm(mock, who, id);
        if (!mock.state.users.has(id)) throw fail(`no such user ('${id}')`);
        checkUserGroup(mock, who, ["User.Modify"]);
      }
      mock.state.users.delete(id);
      mock.state.tokens = mock.state.tokens.filter((t) => t.userid !== id);
      mock.state.acl = mock.state.acl.filter((a) => a.ugid !== id && !a.ugid.startsWith(`${id}!`));
      return null;
    },
  },
  {
    method: "GET",
    path: "/access/users/{userid}/token/{tokenid}",
    description: "Get specific API token information.",
    permission: "all",
    parameters: {
      userid,
      tokenid: {
        type: "string",
        pattern: "[A-Za-z][A-Za-z0-9\\.\\-_]+",
        description: "User-specific token identifier.",
      },
    },
    handler: ({ mock, params, who }) => {
      const id = String(params.userid);
      if (!mock.state.users.has(id)) throw fail(`no such user ('${id}')`);
      if (who.userid !== id && !hasPriv(mock.state, who, "/access/groups", ["User.Modify"], true)) {
        throw new PveError(403, "Permission check failed");
      }
      const token = mock.state.tokens.find((t) => t.userid === id && t.tokenid === params.tokenid);
      if (!token) throw fail(`no such token '${params.tokenid}' for user '${id}'`);
      return { privsep: token.privsep ? 1 : 0, expire: 0 };
    },
  },
  {
    method: "GET",
    path: "/access/permissions",
    description: "Retrieve effective permissions of given user/token.",
    permission: "all",
    parameters: {
      path: {
        type: "string",
        optional: true,
        description: "Only dump this specific path, not the whole tree.",
      },
      userid: {
        type: "string",
        optional: true,
        pattern: "[^\\s:/]+@[A-Za-z][A-Za-z0-9\\.\\-_]+(?:![A-Za-z][A-Za-z0-9\\.\\-_]+)?",
        description: "User ID or full API token ID",
      },
    },
    handler: ({ mock, params, who }) => {
      const self = principalName(who);
      const target = typeof params.userid === "string" ? params.userid : self;
      const [user = "", token] = target.split("!");
      if (target !== self && user !== self && !hasPriv(mock.state, who, "/access", ["Sys.Audit"])) {
        throw permissionDenied("/access", ["Sys.Audit"]);
      }
      const subject: Principal = token ? { userid: user, tokenid: token } : { userid: user };
      const dump = (path: string): Record<string, number> =>
        Object.fromEntries([...privilegesOn(mock.state, subject, path)].sort().map((p) => [p, 1]));
      if (typeof params.path === "string") {
        const perms = dump(params.path);
        return Object.keys(perms).length > 0 ? { [params.path]: perms } : {};
      }
      const out: Record<string, Record<string, number>> = {};
      for (const path of permissionPaths(mock.state)) {
        const perms = dump(path);
        if (Object.keys(perms).length > 0) out[path] = perms;
      }
      return out;
    },
  },
];
