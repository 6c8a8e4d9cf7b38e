// Users, roles, ACLs, the credentials' own permissions, and resource pools.

import { answer, endpoint } from "../endpoint.ts";

export interface UserEntry {
  userid: string;
  enable?: number;
  expire?: number;
  firstname?: string;
  lastname?: string;
  email?: string;
  comment?: string;
  groups?: string;
  tokens?: { tokenid: string; privsep?: number }[];
  "realm-type"?: string;
}

export interface RoleEntry {
  roleid: string;
  privs?: string;
  special?: number;
}

export interface AclEntry {
  path: string;
  type: string;
  ugid: string;
  roleid: string;
  propagate?: number;
}

export interface PoolEntry {
  poolid: string;
  comment?: string;
  members?: Record<string, unknown>[];
}

export const USERS = endpoint("GET", "/access/users", ["full", "enabled"], answer<UserEntry[]>());
export const USER_CREATE = endpoint("POST", "/access/users", [
  "userid",
  "password",
  "email",
  "firstname",
  "lastname",
  "expire",
  "enable",
  "comment",
  "groups",
]);
export const USER_DELETE = endpoint("DELETE", "/access/users/{userid}");
export const USER_TOKEN = endpoint(
  "GET",
  "/access/users/{userid}/token/{tokenid}",
  [],
  answer<{ privsep?: number }>(),
);
/** Path → privilege → propagate flag. */
export const PERMISSIONS = endpoint(
  "GET",
  "/access/permissions",
  ["path"],
  answer<Record<string, Record<string, number>>>(),
);

export const ROLES = endpoint("GET", "/access/roles", [], answer<RoleEntry[]>());
export const ROLE_CREATE = endpoint("POST", "/access/roles", ["roleid", "privs"]);
export const ROLE_UPDATE = endpoint("PUT", "/access/roles/{roleid}", ["privs", "append"]);
export const ROLE_DELETE = endpoint("DELETE", "/access/roles/{roleid}");

export const ACLS = endpoint("GET", "/access/acl", [], answer<AclEntry[]>());
export const ACL_UPDATE = endpoint("PUT", "/access/acl", [
  "path",
  "roles",
  "users",
  "groups",
  "tokens",
  "delete",
  "propagate",
]);

/** All pools, or with poolid one pool and its members. */
export const POOLS = endpoint("GET", "/pools", ["poolid", "type"], answer<PoolEntry[]>());
export const POOL_CREATE = endpoint("POST", "/pools", ["poolid", "comment"]);
export const POOL_UPDATE = endpoint("PUT", "/pools", [
  "poolid",
  "comment",
  "vms",
  "storage",
  "delete",
  "allow-move",
]);
export const POOL_DELETE = endpoint("DELETE", "/pools", ["poolid"]);
