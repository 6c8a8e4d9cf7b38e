// /access/roles (list, create, change, delete) and /access/acl (read, grant, revoke).

import { fail, locked, paramError, permissionDenied } from "../errors.ts";
import { splitList } from "../formats/index.ts";
import { hasPriv, type Principal, ROLES, rolePrivs } from "../perms.ts";
import type { MockContext, Route } from "../router.ts";

const roleid = { type: "string", format: "pve-roleid" } as const;
const privs = { type: "string", optional: true, format: "pve-priv-list" } as const;
const sysModify = [{ path: "/access", privs: ["Sys.Modify"] }];

/** The paths PVE accepts in ACLs (AccessControl::check_path). */
const ACL_PATH = new RegExp(
  "^(/|/access|/access/groups(/[\\w.-]+)?|/access/realm(/[\\w.-]+)?|/nodes(/[\\w.-]+)?" +
    "|/pool(/[\\w.-]+(/[\\w.-]+){0,2})?|/sdn(/zones(/[\\w.-]+(/[\\w.-]+(/[1-9]\\d{0,3})?)?)?" +
    "|/(controllers|dns|fabrics|ipams|prefix-lists|route-maps)(/[\\w-]+)?)?" +
    "|/storage(/[\\w.-]+)?|/vms(/[1-9]\\d{2,})?|/mapping(/[\\w.-]+(/[\\w.-]+)?)?)$",
);

/** check_perm_modify: Permissions.Modify, or the object's own allocate privilege. */
function modifyPrivs(path: string): string[] {
  if (/^\/storage\/.+$/.test(path)) return ["Permissions.Modify", "Datastore.Allocate"];
  if (/^\/vms\/.+$/.test(path)) return ["Permissions.Modify", "VM.Allocate"];
  if (/^\/pool\/.+$/.test(path)) return ["Permissions.Modify", "Pool.Allocate"];
  return ["Permissions.Modify"];
}

const mayModify = (mock: MockContext, who: Principal, path: string): boolean =>
  hasPriv(mock.state, who, path, modifyPrivs(path), true);

const typeOf = (ugid: string): string =>
  ugid.includes("!") ? "token" : ugid.includes("@") ? "user" : "group";

export const accessRoleRoutes: Route[] = [
  {
    method: "GET",
    path: "/access/roles",
    description: "Role index.",
    permission: "all",
    parameters: {},
    handler: ({ mock }) => [
      ...Object.entries(ROLES).map(([id, p]) => ({ roleid: id, privs: p.join(","), special: 1 })),
      ...[...mock.state.dc.roles].map(([id, p]) => ({
        roleid: id,
        privs: p.join(","),
        special: 0,
      })),
    ],
  },
  {
    method: "POST",
    path: "/access/roles",
    description: "Create new role.",
    permission: sysModify,
    parameters: { roleid, privs },
    handler: ({ mock, params }) => {
      const id = String(params.roleid);
      if (/^PVE/i.test(id)) {
        throw paramError({
          roleid: "cannot use role ID starting with the (case-insensitive) 'PVE' namespace",
        });
      }
      return locked("create role failed", () => {
        if (rolePrivs(mock.state, id)) throw fail(`role '${id}' already exists`);
        mock.state.dc.roles.set(id, splitList(params.privs));
        return null;
      });
    },
  },
  {
    method: "PUT",
    path: "/access/roles/{roleid}",
    description: "Update an existing role.",
    permission: sysModify,
    parameters: {
      roleid,
      privs,
      append: { type: "boolean", optional: true },
    },
    handler: ({ mock, params }) => {
      const id = String(params.roleid);
      if (ROLES[id]) throw fail(`auto-generated role '${id}' cannot be modified`);
      if (params.append !== undefined && params.privs === undefined) {
        throw paramError({ privs: "parameter 'privs' is required by 'append'" });
      }
      return locked("update role failed", () => {
        const current = mock.state.dc.roles.get(id);
        if (!current) throw fail(`role '${id}' does not exist`);
        const next = params.append
          ? [...current, ...splitList(params.privs)]
          : splitList(params.privs);
        mock.state.dc.roles.set(id, [...new Set(next)].sort());
        return null;
      });
    },
  },
  {
    method: "DELETE",
    path: "/access/roles/{roleid}",
    description: "Delete role.",
    permission: sysModify,
    parameters: { roleid },
    handler: ({ mock, params }) => {
      const id = String(params.roleid);
      if (ROLES[id]) throw fail(`auto-generated role '${id}' cannot be deleted`);
      return locked("delete role failed", () => {
        if (!mock.state.dc.roles.has(id)) throw fail(`role '${id}' does not exist`);
        mock.state.dc.roles.delete(id);
        mock.state.acl = mock.state.acl.filter((a) => a.roleid !== id);
        return null;
      });
    },
  },
  {
    method: "GET",
    path: "/access/acl",
    description: "Get Access Control List (ACLs).",
    permission: "all",
    parameters: {},
    handler: ({ mock, who }) => {
      const audit = hasPriv(mock.state, who, "/access", ["Sys.Audit"]);
      return mock.state.acl
        .filter((a) => audit || mayModify(mock, who, a.path))
        .map((a) => ({
          path: a.path,
          type: typeOf(a.ugid),
          ugid: a.ugid,
          roleid: a.roleid,
          propagate: a.propagate ? 1 : 0,
        }));
    },
  },
  {
    method: "PUT",
    path: "/access/acl",
    description: "Update Access Control List (add or remove permissions).",
    permission: "all",
    parameters: {
      path: { type: "string", description: "Access control path" },
      roles: { type: "string", format: "pve-roleid-list", description: "List of roles." },
      users: {
        type: "string",
        optional: true,
        format: "pve-userid-list",
        description: "List of users.",
      },
      groups: {
        type: "string",
        optional: true,
        format: "pve-groupid-list",
        description: "List of groups.",
      },
      tokens: {
        type: "string",
        optional: true,
        format: "pve-tokenid-list",
        description: "List of API tokens.",
      },
      delete: {
        type: "boolean",
        optional: true,
        description: "Remove permissions (instead of adding it).",
      },
      propagate: {
        type: "boolean",
        optional: true,
        default: 1,
        description: "Allow to propagate (inherit) permissions.",
      },
    },
    handler: ({ mock, params, who }) => {
      const path = String(params.path).replace(/\/+$/, "") || "/";
      if (!mayModify(mock, who, path)) {
        throw permissionDenied(path, modifyPrivs(path));
      }
      if (!params.users && !params.groups && !params.tokens) {
        const msg = "either 'users', 'groups' or 'tokens' is required.";
        throw paramError({ users: msg, groups: msg, tokens: msg });
      }
      if (!params.delete && !ACL_PATH.test(path)) {
        throw paramError({ path: `invalid ACL path '${params.path}'` });
      }
      const remove = params.delete === true;
      const propagate = params.propagate !== false;
      return locked("ACL update failed", () => {
        for (const role of splitList(params.roles)) {
          if (!rolePrivs(mock.state, role)) throw fail(`role '${role}' does not exist`);
          for (const group of splitList(params.groups)) {
            if (!mock.state.dc.objects.groups.has(group)) {
              throw fail(`group '${group}' does not exist`);
            }
          }
          const ids = [
            ...splitList(params.users),
            ...splitList(params.tokens),
            ...splitList(params.groups),
          ];
          for (const ugid of ids) {
            const [user = "", token] = ugid.split("!");
            const isGroup = !ugid.includes("@");
            if (!isGroup && !mock.state.users.has(user)) {
              throw fail(`user '${user}' does not exist`);
            }
            if (token && !mock.state.tokens.some((t) => t.userid === user && t.tokenid === token)) {
              throw fail(`no such token '${token}' for user '${user}'`);
            }
            mock.state.acl = mock.state.acl.filter(
              (a) => !(a.path === path && a.ugid === ugid && a.roleid === role),
            );
            if (!remove) mock.state.acl.push({ path, ugid, roleid: role, propagate });
          }
        }
        return null;
      });
    },
  },
];
