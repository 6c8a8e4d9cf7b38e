// One user: read and update its settings, its tokens and second factors; a password change;
// one role's privileges.
import { fail, PveError, permissionDenied } from "../errors.ts";
import { splitList } from "../formats/index.ts";
import { ALL_PRIVS, hasPriv, type Principal, rolePrivs } from "../perms.ts";
import type { MockContext, Route } from "../router.ts";
import type { MockUser } from "../state.ts";
import { checkUserGroup, isRoot, userid } from "./access-users.ts";

function findUser(mock: MockContext, id: string): MockUser {
  const user = mock.state.users.get(id);
  if (!user) throw fail(`no such user ('${id}')`);
  return user;
}

/** `userid-param self`, or User.Modify|Sys.Audit on `path`, as the read calls check. */
export function checkSelfOrAudit(
  mock: MockContext,
  who: Principal,
  id: string,
  path = "/access/groups",
): void {
  if (who.userid === id && !who.tokenid) return;
  if (!hasPriv(mock.state, who, path, ["User.Modify", "Sys.Audit"], true)) {
    throw new PveError(403, "Permission check failed");
  }
}

const str = (description: string) => ({ type: "string", optional: true, description }) as const;

export const accessUserDetailRoutes: Route[] = [
  {
    method: "GET",
    path: "/access/users/{userid}",
    description: "Get user configuration.",
    permission: "all",
    parameters: { userid },
    handler: ({ mock, params, who }) => {
      const id = String(params.userid);
      checkSelfOrAudit(mock, who, id);
      const u = findUser(mock, id);
      const tokens = mock.state.tokens.filter((t) => t.userid === id);
      return {
        enable: u.enable ? 1 : 0,
        expire: u.expire ?? 0,
        ...(u.firstname ? { firstname: u.firstname } : {}),
        ...(u.lastname ? { lastname: u.lastname } : {}),
        ...(u.email ? { email: u.email } : {}),
        ...(u.comment ? { comment: u.comment } : {}),
        groups: [...(u.groups ?? [])],
        tokens: Object.fromEntries(
          tokens.map((t) => [t.tokenid, { privsep: t.privsep ? 1 : 0, expire: 0 }]),
        ),
      };
    },
  },
  {
    method: "PUT",
    path: "/access/users/{userid}",
    description: "Update user configuration.",
    permission: "all",
    parameters: {
      userid,
      append: {
        type: "boolean",
        optional: true,
        requires: "groups",
        description: "Add the groups to the user's.",
      },
      comment: { ...str("Comment."), maxLength: 2048 },
      email: { ...str("E-Mail address."), format: "email-opt", maxLength: 254 },
      enable: { type: "boolean", optional: true, description: "Enable the account (default)." },
      expire: {
        type: "integer",
        optional: true,
        minimum: 0,
        description: "Account expiration date (seconds since epoch). '0' means no expiration date.",
      },
      firstname: { ...str("First name."), maxLength: 1024 },
      groups: { ...str("Groups."), format: "pve-groupid-list" },
      keys: { ...str("Keys for two factor auth (yubico)."), pattern: "[0-9a-zA-Z!=]{0,4096}" },
      lastname: { ...str("Last name."), maxLength: 1024 },
    },
    handler: ({ mock, params, who }) => {
      const id = String(params.userid);
      checkUserGroup(mock, who, ["User.Modify"]);
      const u = mock.state.users.get(id);
      if (!u) throw fail(`update user failed: no such user ('${id}')`);
      const groups = splitList(params.groups);
      const unknown = groups.find((g) => !mock.state.dc.objects.groups.has(g));
      if (unknown) throw fail(`update user failed: no such group '${unknown}'`);
      if (params.groups !== undefined) {
        u.groups = params.append === true ? [...new Set([...(u.groups ?? []), ...groups])] : groups;
      }
      if (typeof params.enable === "boolean") u.enable = params.enable;
      if (typeof params.expire === "number") u.expire = params.expire;
      for (const key of ["firstname", "lastname", "email", "comment"] as const) {
        const v = params[key];
        if (typeof v === "string") u[key] = v;
      }
      return null;
    },
  },
  {
    method: "GET",
    path: "/access/users/{userid}/tfa",
    description: "Get user TFA types (Personal and Realm).",
    permission: "all",
    parameters: {
      userid,
      multiple: {
        type: "boolean",
        optional: true,
        default: 0,
        description: "Request all entries as an array.",
      },
    },
    handler: ({ mock, params, who }) => {
      const id = String(params.userid);
      checkSelfOrAudit(mock, who, id);
      findUser(mock, id);
      const entries = mock.state.dc.objects.tfa.get(id) ?? [];
      const types = [...new Set(entries.map((e) => e.type))];
      if (params.multiple === true) return { types };
      // The single-type form names the legacy kind of the first factor.
      const first = types[0];
      return first ? { user: first === "u2f" ? "u2f" : "oath", types } : { types };
    },
  },
  {
    method: "GET",
    path: "/access/users/{userid}/token",
    description: "Get user API tokens.",
    permission: "all",
    parameters: { userid },
    handler: ({ mock, params, who }) => {
      const id = String(params.userid);
      checkSelfOrAudit(mock, who, id);
      findUser(mock, id);
      return mock.state.tokens
        .filter((t) => t.userid === id)
        .map((t) => ({ tokenid: t.tokenid, privsep: t.privsep ? 1 : 0, expire: 0 }));
    },
  },
  {
    method: "PUT",
    path: "/access/password",
    description: "Change user password.",
    permission: "all",
    allowtoken: false,
    parameters: {
      userid,
      password: { type: "string", maxLength: 64, description: "The new password." },
      "confirmation-password": {
        type: "string",
        optional: true,
        maxLength: 64,
        description: "The current password of the user performing the change.",
      },
    },
    handler: ({ mock, params, who }) => {
      const id = String(params.userid);
      const self = who.userid === id;
      if (!self && !isRoot(who)) {
        const realm = id.slice(id.lastIndexOf("@") + 1);
        if (!hasPriv(mock.state, who, `/access/realm/${realm}`, ["Realm.AllocateUser"])) {
          throw permissionDenied(`/access/realm/${realm}`, ["Realm.AllocateUser"]);
        }
      }
      // Everyone but root@pam confirms with their own current password.
      if (!isRoot(who)) {
        const confirm = params["confirmation-password"];
        if (typeof confirm !== "string" || !mock.auth.checkPassword(who.userid, confirm)) {
          throw new PveError(401, "authentication failure");
        }
      }
      const u = findUser(mock, id);
      const realm = id.slice(id.lastIndexOf("@") + 1);
      if (realm !== "pam" && realm !== "pve") {
        throw fail(`change password failed: realm '${realm}' does not allow to change passwords`);
      }
      u.password = String(params.password);
      return null;
    },
  },
  {
    method: "GET",
    path: "/access/roles/{roleid}",
    description: "Get role configuration.",
    permission: "all",
    parameters: { roleid: { type: "string", format: "pve-roleid", description: "Role ID." } },
    handler: ({ mock, params }) => {
      const privs = rolePrivs(mock.state, String(params.roleid));
      if (!privs) throw fail(`role '${params.roleid}' does not exist`);
      return Object.fromEntries(ALL_PRIVS.filter((p) => privs.includes(p)).map((p) => [p, 1]));
    },
  },
];
