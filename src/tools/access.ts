// Users and the credentials' own identity: who the server acts as and what it may do where.

import { z } from "zod";
import {
  PERMISSIONS,
  USER_CREATE,
  USER_DELETE,
  USER_TOKEN,
  USERS,
} from "../pve/endpoints/index.ts";
import { PveError } from "../pve/index.ts";
import { csv, nameList, userid } from "./dc-args.ts";
import { DESTRUCTIVE, defineTool, READ, WRITE } from "./define.ts";
import { ToolError } from "./errors.ts";
import { page, pageArgs, pageFields } from "./paging.ts";
import { iso, isoTime } from "./units.ts";

export const listUsers = defineTool({
  name: "list_users",
  title: "List users",
  toolset: "access",
  description:
    "Users of all realms with enabled state, expiry, name, e-mail, groups and their API token ids (never secrets). Lists only users the credentials may see.",
  input: z.strictObject({
    enabled: z.boolean().optional().describe("Only enabled (true) or disabled (false) users"),
    ...pageArgs(100),
  }),
  output: z.object({
    users: z.array(
      z.object({
        userid: z.string(),
        enabled: z.boolean(),
        expire: isoTime().optional().describe("absent: never"),
        name: z.string().optional(),
        email: z.string().optional(),
        comment: z.string().optional(),
        groups: z.array(z.string()).optional(),
        tokens: z.array(z.string()).optional().describe("API token ids (user@realm!name)"),
        realm_type: z.string().optional(),
      }),
    ),
    ...pageFields,
  }),
  annotations: READ,
  endpoints: [USERS],
  async handler(args, { pve, signal }) {
    const rows = await pve.call(USERS, { full: true, enabled: args.enabled }, { signal });
    const users = rows
      .map((u) => {
        const name = [u.firstname, u.lastname].filter(Boolean).join(" ");
        const groups = (u.groups ?? "").split(",").filter(Boolean);
        return {
          userid: u.userid,
          enabled: u.enable !== 0,
          expire: u.expire ? iso(u.expire) : undefined,
          name: name || undefined,
          email: u.email,
          comment: u.comment,
          groups: groups.length > 0 ? groups : undefined,
          tokens: u.tokens?.length ? u.tokens.map((t) => `${u.userid}!${t.tokenid}`) : undefined,
          realm_type: u["realm-type"],
        };
      })
      .sort((a, b) => a.userid.localeCompare(b.userid));
    const p = page(users, args, 100);
    return { data: { users: p.rows, total: p.total, next_cursor: p.next_cursor } };
  },
});

export const createUser = defineTool({
  name: "create_user",
  title: "Create a user",
  toolset: "access",
  description:
    "Create a user. Realm pve keeps the password in Proxmox; realm pam users are Linux accounts of the node (the password is set on the node's existing account). The password is never echoed. Grant rights afterwards with update_acl.",
  input: z.strictObject({
    userid,
    password: z
      .string()
      .min(8)
      .max(64)
      .optional()
      .describe("Initial password, 8-64 characters; never shown in results"),
    email: z.email().optional(),
    firstname: z.string().max(1024).optional(),
    lastname: z.string().max(1024).optional(),
    expire: z.number().int().min(0).optional().describe("Account expiry, unix time (0: never)"),
    enable: z.boolean().optional().describe("Enabled (default true)"),
    comment: z.string().max(2048).optional(),
    groups: nameList.optional().describe("Groups to join (list or comma-separated)"),
  }),
  output: z.object({
    userid: z.string(),
    enabled: z.boolean(),
    password_set: z.boolean(),
    message: z.string(),
  }),
  annotations: WRITE,
  endpoints: [USER_CREATE],
  async handler(args, { pve, signal }) {
    try {
      await pve.call(
        USER_CREATE,
        {
          userid: args.userid,
          password: args.password,
          email: args.email,
          firstname: args.firstname,
          lastname: args.lastname,
          expire: args.expire,
          enable: args.enable,
          comment: args.comment,
          groups: csv(args.groups),
        },
        { signal },
      );
    } catch (error) {
      if (error instanceof PveError && /change password failed/.test(error.reason)) {
        throw new ToolError(
          `${args.userid} was not created: the pam realm sets the password of the node's Linux account, and setting it failed (does the Linux user exist?)`,
          "Create the Linux account on the node first, or use realm pve (e.g. alice@pve) for a Proxmox-only user.",
        );
      }
      throw error;
    }
    const enabled = args.enable !== false;
    return {
      data: {
        userid: args.userid,
        enabled,
        password_set: args.password !== undefined,
        message: `user ${args.userid} created${enabled ? "" : " (disabled)"}; it has no rights until update_acl grants a role`,
      },
    };
  },
});

/** `user@realm` of `user@realm!token`. */
const userOf = (identity: string): string => identity.split("!")[0] ?? identity;

export const deleteUser = defineTool({
  name: "delete_user",
  title: "Delete a user",
  toolset: "access",
  description:
    "Delete a user with its API tokens, ACL entries and group memberships. The server's own user and root@pam are refused.",
  input: z.strictObject({ userid }),
  output: z.object({ userid: z.string(), message: z.string() }),
  annotations: DESTRUCTIVE,
  endpoints: [USER_DELETE],
  async handler({ userid: id }, { pve, signal }) {
    if (id === "root@pam" || id === userOf(pve.auth.identity)) {
      throw new ToolError(
        `refusing to delete ${id}: ${id === "root@pam" ? "it is the superuser" : "this server's own credentials belong to it"}`,
        "Do it in the Proxmox web UI if it is really meant.",
      );
    }
    await pve.call(USER_DELETE, { userid: id }, { signal });
    return { data: { userid: id, message: `user ${id} deleted with its tokens and ACL entries` } };
  },
});

export const whoami = defineTool({
  name: "whoami",
  title: "Who am I: identity and permissions",
  toolset: "access",
  description:
    "Which user or API token this server acts as, and its effective privileges per path (/, /vms/100, /storage/local…; paths with the same privileges together), including whether a token has privilege separation. Use it to explain a 403.",
  input: z.strictObject({
    path: z.string().startsWith("/").optional().describe("Only this path, e.g. /vms/100"),
  }),
  output: z.object({
    identity: z.string(),
    auth: z.enum(["token", "ticket"]),
    user: z.string(),
    privilege_separation: z
      .boolean()
      .optional()
      .describe("tokens only: true means the token has only the ACLs granted to the token itself"),
    permissions: z
      .array(z.object({ paths: z.array(z.string()), privs: z.array(z.string()) }))
      .describe("paths that share one set of privileges, the largest set first"),
  }),
  annotations: READ,
  endpoints: [PERMISSIONS, USER_TOKEN],
  async handler({ path }, { pve, signal }) {
    const identity = pve.auth.identity;
    const user = userOf(identity);
    const dump = await pve.call(PERMISSIONS, { path }, { signal });
    const permissions = groupBySet(dump);
    let privsep: boolean | undefined;
    if (pve.auth.kind === "token") {
      const tokenid = identity.slice(user.length + 1);
      const info = await pve
        .call(USER_TOKEN, { userid: user, tokenid }, { signal })
        .catch(() => undefined);
      privsep = info ? info.privsep !== 0 : undefined;
    }
    const head = `${identity} (${pve.auth.kind}${privsep === undefined ? "" : privsep ? ", privilege separated" : ", full user privileges"})`;
    const lines = permissions.map(
      (p) => `${p.paths.join(", ")}: ${p.privs.length === 0 ? "none" : compact(p.privs)}`,
    );
    return {
      data: { identity, auth: pve.auth.kind, user, privilege_separation: privsep, permissions },
      text: [head, ...(lines.length > 0 ? lines : ["no privileges anywhere"])].join("\n"),
    };
  },
});

/** Paths with the same privileges in one entry: the usual dump repeats one set per path. */
function groupBySet(dump: Record<string, Record<string, unknown>>) {
  const groups = new Map<string, { paths: string[]; privs: string[] }>();
  for (const path of Object.keys(dump).sort()) {
    const privs = Object.keys(dump[path] ?? {}).sort();
    const key = privs.join(",");
    const group = groups.get(key) ?? { paths: [], privs };
    group.paths.push(path);
    groups.set(key, group);
  }
  return [...groups.values()].sort((a, b) => b.privs.length - a.privs.length);
}

/** VM.Audit, VM.Clone, Sys.Audit → "Sys.Audit VM.{Audit,Clone}": the same names, shorter. */
function compact(privs: string[]): string {
  const byPrefix = new Map<string, string[]>();
  for (const p of privs) {
    const dot = p.indexOf(".");
    const [head, rest] = dot < 0 ? [p, ""] : [p.slice(0, dot), p.slice(dot + 1)];
    byPrefix.set(head, [...(byPrefix.get(head) ?? []), rest]);
  }
  return [...byPrefix]
    .map(([head, rests]) =>
      rests.length === 1
        ? `${head}${rests[0] ? `.${rests[0]}` : ""}`
        : `${head}.{${rests.join(",")}}`,
    )
    .join(" ");
}

export const accessUserTools = [listUsers, createUser, deleteUser, whoami];
