// Roles (named sets of privileges) and ACLs (who has which role on which path).

import { z } from "zod";
import {
  ACL_UPDATE,
  ACLS,
  ROLE_CREATE,
  ROLE_DELETE,
  ROLE_UPDATE,
  ROLES,
} from "../pve/endpoints/index.ts";
import { csv, flag, nameList } from "./dc-args.ts";
import { DESTRUCTIVE, defineTool, READ, WRITE } from "./define.ts";
import { ToolError } from "./errors.ts";
import { page, pageArgs, pageFields } from "./paging.ts";

const roleid = z
  .string()
  .regex(/^[A-Za-z0-9.\-_]+$/, "letters, digits, '.', '-', '_'")
  .describe("Role name, e.g. VMOperator");

const privList = nameList.describe(
  "Privileges, list or comma-separated, e.g. VM.Audit,VM.PowerMgmt,VM.Console",
);

export const listRoles = defineTool({
  name: "list_roles",
  title: "List roles",
  toolset: "access",
  description:
    "Roles with their privileges; built-in roles (Administrator, PVEAuditor, PVEVMUser…) are marked special and cannot be changed.",
  input: z.strictObject({
    custom_only: z.boolean().optional().describe("Only roles created on this cluster"),
    ...pageArgs(50),
  }),
  output: z.object({
    roles: z.array(
      z.object({ roleid: z.string(), special: z.boolean(), privs: z.array(z.string()) }),
    ),
    ...pageFields,
  }),
  annotations: READ,
  endpoints: [ROLES],
  async handler(args, { pve, signal }) {
    const rows = await pve.call(ROLES, {}, { signal });
    const roles = rows
      .map((r) => ({
        roleid: r.roleid,
        special: r.special === 1,
        privs: (r.privs ?? "").split(",").filter(Boolean).sort(),
      }))
      .filter((r) => !args.custom_only || !r.special)
      .sort((a, b) => a.roleid.localeCompare(b.roleid));
    const p = page(roles, args, 50);
    return { data: { roles: p.rows, total: p.total, next_cursor: p.next_cursor } };
  },
});

export const createRole = defineTool({
  name: "create_role",
  title: "Create a role",
  toolset: "access",
  description:
    "Create a role from privileges (e.g. VM.Audit, VM.PowerMgmt, VM.Console, Datastore.Audit). Names starting with PVE are reserved.",
  input: z.strictObject({ roleid, privs: privList }),
  output: z.object({ roleid: z.string(), privs: z.array(z.string()), message: z.string() }),
  annotations: WRITE,
  endpoints: [ROLE_CREATE],
  async handler({ roleid: id, privs }, { pve, signal }) {
    await pve.call(ROLE_CREATE, { roleid: id, privs: csv(privs) ?? "" }, { signal });
    return {
      data: { roleid: id, privs, message: `role ${id} created with ${privs.length} privileges` },
    };
  },
});

export const updateRole = defineTool({
  name: "update_role",
  title: "Change a role's privileges",
  toolset: "access",
  description:
    "Set a custom role's privileges (replacing them), or add to them with append. Everyone holding the role gains or loses those privileges at once.",
  input: z.strictObject({
    roleid,
    privs: privList,
    append: flag.optional().describe("Add to the current privileges instead of replacing them"),
  }),
  output: z.object({ roleid: z.string(), message: z.string() }),
  annotations: DESTRUCTIVE,
  endpoints: [ROLE_UPDATE],
  async handler({ roleid: id, privs, append }, { pve, signal }) {
    await pve.call(ROLE_UPDATE, { roleid: id, privs: csv(privs) ?? "", append }, { signal });
    return {
      data: {
        roleid: id,
        message: `role ${id}: ${append ? "added" : "privileges now"} ${privs.join(",") || "(none)"}`,
      },
    };
  },
});

export const deleteRole = defineTool({
  name: "delete_role",
  title: "Delete a role",
  toolset: "access",
  description:
    "Delete a custom role; every ACL entry granting it goes too, so whoever held it loses those rights.",
  input: z.strictObject({ roleid }),
  output: z.object({ roleid: z.string(), message: z.string() }),
  annotations: DESTRUCTIVE,
  endpoints: [ROLE_DELETE],
  async handler({ roleid: id }, { pve, signal }) {
    await pve.call(ROLE_DELETE, { roleid: id }, { signal });
    return { data: { roleid: id, message: `role ${id} deleted` } };
  },
});

export const listAcls = defineTool({
  name: "list_acls",
  title: "List ACL entries",
  toolset: "access",
  description:
    "Who has which role on which path (users, groups and API tokens), and whether it propagates to sub-paths. Filter by path or by user/group/token.",
  input: z.strictObject({
    path: z.string().optional().describe("Only entries on this path, e.g. /vms/100"),
    ugid: z.string().optional().describe("Only entries of this user, group or token"),
    ...pageArgs(100),
  }),
  output: z.object({
    acls: z.array(
      z.object({
        path: z.string(),
        type: z.string().describe("user, group or token"),
        ugid: z.string(),
        roleid: z.string(),
        propagate: z.boolean(),
      }),
    ),
    ...pageFields,
  }),
  annotations: READ,
  endpoints: [ACLS],
  async handler(args, { pve, signal }) {
    const rows = await pve.call(ACLS, {}, { signal });
    const acls = rows
      .filter((a) => (!args.path || a.path === args.path) && (!args.ugid || a.ugid === args.ugid))
      .map((a) => ({ ...a, propagate: a.propagate !== 0 }))
      .sort(
        (a, b) =>
          a.path.localeCompare(b.path) ||
          a.ugid.localeCompare(b.ugid) ||
          a.roleid.localeCompare(b.roleid),
      );
    const p = page(acls, args, 100);
    return { data: { acls: p.rows, total: p.total, next_cursor: p.next_cursor } };
  },
});

export const updateAcl = defineTool({
  name: "update_acl",
  title: "Grant or revoke roles",
  toolset: "access",
  description:
    "Grant roles on a path (/, /vms/100, /storage/local, /pool/prod, /nodes/pve1…) to users, groups or API tokens, or revoke them with delete. A privilege-separated token needs its own grant.",
  input: z.strictObject({
    path: z.string().startsWith("/").describe("ACL path, e.g. /vms/100 or /pool/prod"),
    roles: nameList.describe("Roles, list or comma-separated, e.g. PVEVMUser"),
    users: nameList.optional().describe("Users, e.g. alice@pve"),
    groups: nameList.optional(),
    tokens: nameList.optional().describe("API tokens, e.g. alice@pve!ci"),
    delete: flag.optional().describe("Revoke instead of grant"),
    propagate: flag.optional().describe("Also for sub-paths (default true)"),
  }),
  output: z.object({
    path: z.string(),
    action: z.enum(["granted", "revoked"]),
    message: z.string(),
  }),
  annotations: DESTRUCTIVE,
  endpoints: [ACL_UPDATE],
  async handler(args, { pve, signal }) {
    const who = [...(args.users ?? []), ...(args.groups ?? []), ...(args.tokens ?? [])];
    if (who.length === 0) {
      throw new ToolError("no one to grant to", "Pass users, groups or tokens.");
    }
    await pve.call(
      ACL_UPDATE,
      {
        path: args.path,
        roles: csv(args.roles) ?? "",
        users: csv(args.users),
        groups: csv(args.groups),
        tokens: csv(args.tokens),
        delete: args.delete,
        propagate: args.propagate,
      },
      { signal },
    );
    const action = args.delete ? ("revoked" as const) : ("granted" as const);
    return {
      data: {
        path: args.path,
        action,
        message: `${args.roles.join(",")} ${action} on ${args.path} ${args.delete ? "from" : "to"} ${who.join(", ")}`,
      },
    };
  },
});

export const accessRoleTools = [listRoles, createRole, updateRole, deleteRole, listAcls, updateAcl];
