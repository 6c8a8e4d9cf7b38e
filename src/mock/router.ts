// Route declarations (apidata-like) and matching of request paths against them.
import type { Auth } from "./auth.ts";
import type { ConfigLocks } from "./config-locks.ts";
import type { Consoles } from "./consoles.ts";
import type { Faults } from "./faults.ts";
import type { Params, ParamTable } from "./params.ts";
import type { Principal } from "./perms.ts";
import type { ClusterState } from "./state.ts";
import type { TaskManager } from "./tasks.ts";

export type Method = "GET" | "POST" | "PUT" | "DELETE";

/** One privilege check: on `path` (with {param} placeholders), all of `privs` (or any, if `any`). */
export interface PermCheck {
  path: string;
  privs: readonly string[];
  any?: boolean;
}

/**
 * "all": any authenticated user (the handler filters); "world": no login needed; "root": the
 * schema declares no permissions, which PVE reads as root@pam only (tokens of root@pam included
 * out: their user id is `root@pam!name`).
 */
export type Permission = "all" | "world" | "root" | readonly PermCheck[];

export interface MockContext {
  state: ClusterState;
  tasks: TaskManager;
  faults: Faults;
  auth: Auth;
  /** termproxy listeners and connected consoles. */
  consoles: Consoles;
  /** The flocks on guest configs that workers and config edits take. */
  locks: ConfigLocks;
}

export interface HandlerArgs {
  mock: MockContext;
  /** Validated parameters, path parameters included (typed: numbers, booleans, arrays). */
  params: Params;
  who: Principal;
  /** How the caller authenticated. */
  via: "ticket" | "token" | "none";
  /** The request path after /api2/json. */
  path: string;
}

export interface Route {
  method: Method;
  /** Template as in apidata.js, e.g. /nodes/{node}/qemu/{vmid}/status/start. */
  path: string;
  description: string;
  parameters: ParamTable;
  permission: Permission;
  /** The call runs on the node named by this parameter (PVE's proxyto). */
  proxyto?: "node";
  /** False where PVE refuses API tokens (allowtoken => 0). */
  allowtoken?: boolean;
  handler: (args: HandlerArgs) => unknown;
}

interface Compiled {
  route: Route;
  segments: string[];
}

export class Router {
  private readonly compiled: Compiled[];

  constructor(readonly routes: readonly Route[]) {
    this.compiled = routes.map((route) => ({ route, segments: split(route.path) }));
  }

  /** Finds the route for method+path; `pathMatched` tells a 501 for method from one for path. */
  match(
    method: string,
    path: string,
  ): { route: Route; pathParams: Record<string, string> } | undefined {
    const parts = split(path);
    for (const { route, segments } of this.compiled) {
      if (route.method !== method || segments.length !== parts.length) continue;
      const pathParams: Record<string, string> = {};
      let ok = true;
      for (let i = 0; i < segments.length && ok; i++) {
        const seg = segments[i] as string;
        const part = parts[i] as string;
        if (seg.startsWith("{")) pathParams[seg.slice(1, -1)] = part;
        else ok = seg === part;
      }
      if (ok) return { route, pathParams };
    }
    return undefined;
  }
}

/** Splits and decodes a path; an encoded "/" stays inside its segment. */
function split(path: string): string[] {
  return path
    .split("/")
    .filter((s) => s !== "")
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    });
}

/** Fills {param} placeholders of a permission path. */
export function fillPath(template: string, raw: Record<string, unknown>): string {
  return template.replace(/\{([^}]+)\}/g, (_, k: string) => String(raw[k] ?? ""));
}

export interface RouteDescription {
  method: Method;
  path: string;
  description: string;
  parameters: ParamTable;
  permissions: Record<string, unknown>;
}

/** The route table as a small apidata-like listing. */
export function describe(routes: readonly Route[]): RouteDescription[] {
  return routes.map((r) => ({
    method: r.method,
    path: r.path,
    description: r.description,
    parameters: r.parameters,
    permissions:
      r.permission === "root"
        ? {}
        : typeof r.permission === "string"
          ? { user: r.permission }
          : r.permission.length === 1
            ? { check: permCheck(r.permission[0] as PermCheck) }
            : { check: ["and", ...r.permission.map(permCheck)] },
  }));
}

function permCheck(c: PermCheck): unknown[] {
  return c.any ? ["perm", c.path, c.privs, "any", 1] : ["perm", c.path, c.privs];
}
