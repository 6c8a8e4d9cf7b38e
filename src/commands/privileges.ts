// The privileges tools need, as computed at build time from the official API schema
// (scripts/privileges.ts → tool-privileges.json), and what follows from them: the smallest role
// for a set of tools (`proxmox-mcp role`), and whether given effective permissions cover them
// (`proxmox-mcp doctor`).

import data from "./tool-privileges.json" with { type: "json" };

/** Privileges on a path as the schema templates it (`/vms/{vmid}`); all of them are needed. */
export interface Grant {
  path: string;
  privs: string[];
}

export interface Requirement {
  endpoint: string;
  /** Alternatives, each a list of grants all needed; `[[]]` any user; `[]` nobody but root. */
  needs: Grant[][];
  /** Where the needs come from: the schema's check, its prose, the config keys sent. */
  basis: string[];
  rootOnly?: boolean;
  /** PVE refuses API tokens here: a ticket (password) login is needed. */
  tokenRefused?: boolean;
  /** Needed only in some cases (another user's task…): said, not granted. */
  also?: string[];
}

export interface PrivilegeData {
  /** tool → requirement ids */
  tools: Record<string, string[]>;
  requirements: Record<string, Requirement>;
}

export const PRIVILEGES = data as PrivilegeData;

/** Lets the holder grant itself anything: chosen only when nothing else will do. */
const ESCALATING = "Permissions.Modify";

const privsOf = (alternative: Grant[]): string[] => [
  ...new Set(alternative.flatMap((g) => g.privs)),
];

export interface RolePlan {
  /** Every privilege the role needs, sorted. */
  privileges: string[];
  /** Tools only root@pam may use (no role can grant them). */
  rootOnly: string[];
  /** Tools that need a ticket login (PVE refuses tokens there). */
  tokenRefused: string[];
  /** Tools whose needs include Permissions.Modify. */
  escalating: string[];
  /** What the schema says is needed only sometimes → the tools it concerns. */
  also: Map<string, string[]>;
  /** Tools that call whatever path the model names (the raw API): no table covers them. */
  anyPath: string[];
}

/** The requirement id of a tool that calls paths its caller names. */
export const CALLER_PATHS = "caller paths";

/**
 * The smallest role for `tools`: every single-alternative need, then for each need with
 * alternatives one already covered, else the one adding the fewest privileges (never
 * Permissions.Modify while another will do).
 */
export function planRole(tools: readonly string[], source: PrivilegeData = PRIVILEGES): RolePlan {
  const chosen = new Set<string>();
  const plan: RolePlan = {
    privileges: [],
    rootOnly: [],
    tokenRefused: [],
    escalating: [],
    also: new Map(),
    anyPath: [],
  };
  const entries = tools.flatMap((tool) =>
    (source.tools[tool] ?? []).map((id) => ({ tool, req: source.requirements[id] as Requirement })),
  );
  for (const tool of tools) {
    if (source.tools[tool]?.includes(CALLER_PATHS)) plan.anyPath.push(tool);
  }
  for (const { tool, req } of entries) {
    if (req.rootOnly && !plan.rootOnly.includes(tool)) plan.rootOnly.push(tool);
    if (req.tokenRefused && !plan.tokenRefused.includes(tool)) plan.tokenRefused.push(tool);
    for (const text of req.also ?? []) {
      const concerned = plan.also.get(text) ?? [];
      if (!concerned.includes(tool)) plan.also.set(text, [...concerned, tool]);
    }
    if (req.needs.length === 1) for (const p of privsOf(req.needs[0] ?? [])) chosen.add(p);
  }
  for (const { req } of entries) {
    if (req.needs.length < 2) continue;
    const options = req.needs.map(privsOf);
    if (options.some((privs) => privs.every((p) => chosen.has(p)))) continue;
    const score = (privs: string[]) => [
      privs.includes(ESCALATING) ? 1 : 0,
      privs.filter((p) => !chosen.has(p)).length,
      privs.length,
    ];
    const best = options.reduce((a, b) => {
      const [x, y] = [score(a), score(b)];
      const i = x.findIndex((v, k) => v !== y[k]);
      return i >= 0 && (y[i] as number) < (x[i] as number) ? b : a;
    });
    for (const p of best) chosen.add(p);
  }
  for (const { tool, req } of entries) {
    const needs = req.needs.map(privsOf);
    const escalates = needs.length > 0 && needs.every((privs) => privs.includes(ESCALATING));
    if (escalates && !plan.escalating.includes(tool)) plan.escalating.push(tool);
  }
  plan.privileges = [...chosen].sort();
  return plan;
}

/** `/vms/{vmid}` → `/vms`: the deepest path that holds for every object of the template. */
export function concretePath(template: string): string {
  const cut = template.indexOf("{");
  const path = (cut < 0 ? template : template.slice(0, cut)).replace(/\/+$/, "");
  return path === "" ? "/" : path;
}

/** Effective permissions as GET /access/permissions answers them: path → privilege → 1. */
export type Effective = Record<string, Record<string, unknown>>;

const isUnder = (path: string, parent: string) =>
  parent === "/" || path === parent || path.startsWith(`${parent}/`);

/** The privileges held on `path`: from its nearest listed ancestor (ACLs propagate down). */
function heldOn(effective: Effective, path: string): Set<string> {
  const ancestor = Object.keys(effective)
    .filter((p) => isUnder(path, p))
    .sort((a, b) => b.length - a.length)[0];
  return new Set(ancestor ? Object.keys(effective[ancestor] ?? {}) : []);
}

/** Paths below `path` (a guest, a pool) that hold `priv`: the grant is there, but not for all. */
const heldBelow = (effective: Effective, path: string, priv: string) =>
  Object.entries(effective).some(([p, privs]) => p !== path && isUnder(p, path) && priv in privs);

export type Coverage = "all" | "some" | "none";

export interface GrantCheck {
  coverage: Coverage;
  /** `VM.PowerMgmt on /vms`, for each privilege not held everywhere. */
  missing: string[];
}

function checkAlternative(effective: Effective, alternative: Grant[]): GrantCheck {
  const missing: string[] = [];
  let coverage: Coverage = "all";
  for (const g of alternative) {
    const path = concretePath(g.path);
    const held = heldOn(effective, path);
    for (const priv of g.privs) {
      if (held.has(priv)) continue;
      missing.push(`${priv} on ${path}`);
      coverage = coverage === "none" || !heldBelow(effective, path, priv) ? "none" : "some";
    }
  }
  return { coverage, missing };
}

/** Whether `effective` lets `tool` do its work: the best alternative of each requirement. */
export function checkTool(
  tool: string,
  effective: Effective,
  who: { rootPam: boolean; token: boolean },
  source: PrivilegeData = PRIVILEGES,
): GrantCheck & { rootOnly: boolean; tokenRefused: boolean } {
  const rank: Record<Coverage, number> = { all: 0, some: 1, none: 2 };
  let result: GrantCheck = { coverage: "all", missing: [] };
  let rootOnly = false;
  let tokenRefused = false;
  for (const id of source.tools[tool] ?? []) {
    const req = source.requirements[id] as Requirement;
    if (req.rootOnly) rootOnly ||= !who.rootPam || who.token;
    if (req.tokenRefused) tokenRefused ||= who.token;
    if (who.rootPam && !who.token) continue; // root@pam with a password may do anything
    if (req.needs.length === 0) continue;
    const best = req.needs
      .map((alt) => checkAlternative(effective, alt))
      .sort(
        (a, b) => rank[a.coverage] - rank[b.coverage] || a.missing.length - b.missing.length,
      )[0];
    if (!best || best.coverage === "all") continue;
    result = {
      coverage: rank[best.coverage] > rank[result.coverage] ? best.coverage : result.coverage,
      missing: [...new Set([...result.missing, ...best.missing])],
    };
  }
  if (rootOnly || tokenRefused) result = { ...result, coverage: "none" };
  return { ...result, rootOnly, tokenRefused };
}
