// The privileges each tool needs, from the official API schema (../shared/pve-api/apidata.js):
// for every endpoint a tool declares, the schema's `permissions` — a check expression (perm,
// and, or, userid-param, userid-group, perm-modify), `user: all` (any user, answers filtered),
// prose (read by hand in privileges/readings.ts) or nothing at all (root@pam alone). The result
// is src/commands/tool-privileges.json, which `role` and `doctor` read at run time, so the
// product never needs the schema. `bun run docs` writes it; `--check` holds it to the schema.

import { readFileSync } from "node:fs";
import {
  CALLER_PATHS,
  type Grant,
  type PrivilegeData,
  type Requirement,
} from "../src/commands/privileges.ts";
import { ALL_TOOLS } from "../src/tools/index.ts";
import { configKeyNeeds } from "./privileges/config-keys.ts";
import { type GrantText, READINGS } from "./privileges/readings.ts";

type Dnf = Grant[][];

interface SchemaMethod {
  permissions?: { check?: unknown[]; user?: string; description?: string };
  allowtoken?: number;
}
interface SchemaNode {
  path: string;
  info?: Record<string, SchemaMethod>;
  children?: SchemaNode[];
}

export function readSchema(file: string): Map<string, SchemaMethod> {
  const text = readFileSync(file, "utf8");
  const tree = JSON.parse(text.slice(text.indexOf("["), text.lastIndexOf("]") + 1)) as SchemaNode[];
  const methods = new Map<string, SchemaMethod>();
  const walk = (nodes: SchemaNode[]) => {
    for (const node of nodes) {
      for (const [method, info] of Object.entries(node.info ?? {})) {
        methods.set(`${method} ${node.path}`, info);
      }
      walk(node.children ?? []);
    }
  };
  walk(tree);
  return methods;
}

const grant = (text: GrantText): Grant => {
  const at = text.indexOf("@");
  return { path: text.slice(at + 1), privs: [text.slice(0, at)] };
};

/** One alternative: grants merged per path, privileges sorted, so equal needs compare equal. */
function normal(alternative: Grant[]): Grant[] {
  const byPath = new Map<string, Set<string>>();
  for (const g of alternative) {
    byPath.set(g.path, new Set([...(byPath.get(g.path) ?? []), ...g.privs]));
  }
  return [...byPath]
    .map(([path, privs]) => ({ path, privs: [...privs].sort() }))
    .sort((a, b) => a.path.localeCompare(b.path));
}

function dedupe(dnf: Dnf): Dnf {
  const seen = new Map<string, Grant[]>();
  for (const alternative of dnf.map(normal)) seen.set(JSON.stringify(alternative), alternative);
  return [...seen.values()];
}

/** a AND b: every pairing of their alternatives. */
const both = (a: Dnf, b: Dnf): Dnf => dedupe(a.flatMap((x) => b.map((y) => [...x, ...y])));

/** The check as alternatives; `params` are what the tool sends (require_param needs one). */
function fromCheck(check: unknown[], params: ReadonlySet<string>): Dnf {
  const [test, ...rest] = check as [string, ...unknown[]];
  switch (test) {
    case "and":
      return (rest as unknown[][]).reduce<Dnf>(
        (acc, sub) => both(acc, fromCheck(sub, params)),
        [[]],
      );
    case "or":
      return dedupe((rest as unknown[][]).flatMap((sub) => fromCheck(sub, params)));
    case "perm": {
      const [path, privs, ...options] = rest as [string, string[], ...unknown[]];
      const opts = new Map<unknown, unknown>();
      for (let i = 0; i + 1 < options.length; i += 2) opts.set(options[i], options[i + 1]);
      const required = opts.get("require_param");
      if (typeof required === "string" && !params.has(required)) return [];
      return opts.get("any") ? privs.map((p) => [{ path, privs: [p] }]) : [[{ path, privs }]];
    }
    case "userid-param":
      return rest[0] === "self"
        ? [[]]
        : [[{ path: "/access/realm/{realm}", privs: [String(rest[0])] }]];
    case "userid-group":
      return (rest[0] as string[]).map((p) => [{ path: "/access/groups", privs: [p] }]);
    case "perm-modify":
      return [[{ path: String(rest[0]), privs: ["Permissions.Modify"] }]];
    default:
      throw new Error(`unknown permission test "${test}"`);
  }
}

const CONFIG_ENDPOINT = /^(POST|PUT) \/nodes\/\{node\}\/(qemu|lxc)\/\{vmid\}\/config$/;

/**
 * A config write whose check is "any of VM.Config.*": the keys the tool sends decide (see
 * config-keys.ts). `delete` with no other key: the keys deleted decide, so any one of the set.
 */
function fromConfigKeys(endpoint: string, dnf: Dnf, params: ReadonlySet<string>) {
  const kind = CONFIG_ENDPOINT.exec(endpoint)?.[2] as "qemu" | "lxc" | undefined;
  if (!kind || dnf.length < 2) return undefined;
  let needs: Dnf = [[]];
  const unknown: string[] = [];
  for (const key of params) {
    if (key === "delete") continue;
    const known = configKeyNeeds(kind, key);
    if (known)
      needs = both(
        needs,
        known.map((alt) => alt.map(grant)),
      );
    else unknown.push(key);
  }
  if (unknown.length > 0) throw new Error(`${endpoint}: no privilege known for key(s) ${unknown}`);
  const onlyDelete = params.has("delete") && params.size === 1;
  return onlyDelete
    ? { needs: dnf, note: "the keys it deletes decide which one" }
    : { needs, note: "the config keys it sends decide (qemu-server / pve-container)" };
}

function requirementOf(
  endpoint: string,
  method: SchemaMethod,
  params: ReadonlySet<string>,
): Requirement {
  const permissions = method.permissions;
  const basis: string[] = [];
  const also: string[] = [];
  if (!permissions) {
    return { endpoint, needs: [], basis: ["no permissions stated: root@pam only"], rootOnly: true };
  }
  let needs: Dnf = [[]];
  if (permissions.check) {
    needs = fromCheck(permissions.check, params);
    basis.push("check");
    const narrowed = fromConfigKeys(endpoint, needs, params);
    if (narrowed) {
      needs = narrowed.needs;
      basis.push(narrowed.note);
    }
  } else if (permissions.user === "all") {
    basis.push("any user");
  } else if (permissions.user === "world") {
    basis.push("no login needed");
  }
  if (permissions.description) {
    const reading = READINGS[endpoint];
    if (!reading) throw new Error(`${endpoint}: its permission text has no reading in readings.ts`);
    if (reading.text !== permissions.description) {
      throw new Error(`${endpoint}: the schema's permission text changed; read it again`);
    }
    const more = typeof reading.needs === "function" ? reading.needs(params) : reading.needs;
    if (more) {
      needs = both(
        needs,
        more.map((alt) => alt.map(grant)),
      );
      basis.push("description");
    }
    if (reading.also) also.push(reading.also);
  }
  return {
    endpoint,
    needs: dedupe(needs),
    basis,
    ...(method.allowtoken === 0 ? { tokenRefused: true } : {}),
    ...(also.length > 0 ? { also } : {}),
  };
}

/** Every tool's requirements, by endpoint; equal requirements are stored once. */
export function toolPrivileges(schemaFile: string): PrivilegeData {
  const schema = readSchema(schemaFile);
  const requirements: Record<string, Requirement> = {};
  const ids = new Map<string, string>();
  const tools: Record<string, string[]> = {};
  for (const tool of [...ALL_TOOLS].sort((a, b) => a.name.localeCompare(b.name))) {
    const own: string[] = [];
    for (const e of tool.endpoints ?? []) {
      const endpoint = `${e.method} ${e.path}`;
      const method = schema.get(endpoint);
      if (!method) throw new Error(`${tool.name}: ${endpoint} is not in the API schema`);
      const requirement = requirementOf(endpoint, method, new Set(e.params ?? []));
      const key = JSON.stringify(requirement);
      let id = ids.get(key);
      if (!id) {
        id = endpoint;
        for (let n = 2; requirements[id]; n++) id = `${endpoint} #${n}`;
        requirements[id] = requirement;
        ids.set(key, id);
      }
      if (!own.includes(id)) own.push(id);
    }
    tools[tool.name] = own;
    if (tool.callerPaths) tools[tool.name]?.push(CALLER_PATHS);
  }
  requirements[CALLER_PATHS] = {
    endpoint: "any path the call names",
    needs: [[]],
    basis: ["the privileges of the path called, checked by Proxmox on each call"],
  };
  return { tools, requirements };
}

export const privilegesJson = (schemaFile: string): string =>
  `${JSON.stringify(toolPrivileges(schemaFile), null, 1)}\n`;
