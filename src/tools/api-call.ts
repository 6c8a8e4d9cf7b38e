// One raw API call made safe before it is sent: the path is split and checked (no `..`, no
// query), held against the allow/deny lists, found in the cluster's own API schema with its
// method, its parameters checked there, and its node and guest held against the scope.

import type { ApiSchema } from "../pve/api-schema-index.ts";
import type { CLUSTER_RESOURCES } from "../pve/endpoints/index.ts";
import { isUpid, parseUpid, resolveGuest } from "../pve/index.ts";
import type { RawApi } from "./api-access.ts";
import {
  checkCall,
  explainParam,
  type ParamInput,
  propertyFor,
  type Wire,
} from "./api-validate.ts";
import type { ToolContext } from "./define.ts";
import { ToolError } from "./errors.ts";

export type ApiMethod = "GET" | "POST" | "PUT" | "DELETE";

export interface PreparedCall {
  /** Encoded, ready for the client (no /api2/json). */
  path: string;
  /** The schema's template, when the schema knew the path. */
  endpoint?: string;
  params: Record<string, Wire>;
  checked: boolean;
  notice?: string;
}

const NOTHING_SENT = "nothing was sent";

/** The server's raw API access, or a refusal: nobody configured it. */
export function accessOf(ctx: ToolContext<never>): RawApi {
  if (!ctx.api) {
    throw new ToolError(
      "raw API access is not configured for this connection; nothing was sent",
      "The server makes it from the api settings at start (server/run.ts).",
    );
  }
  return ctx.api;
}

/** `/nodes/pve1/qemu/100` (or a pasted URL, or /api2/json/…) → decoded segments. */
export function splitPath(raw: string): string[] {
  const path = raw
    .trim()
    .replace(/^https?:\/\/[^/]+/i, "")
    .replace(/^\/?api2\/json(?=\/|$)/, "");
  if (/[?#]/.test(path)) {
    throw new ToolError(
      `path ${JSON.stringify(raw)} carries a query or fragment; ${NOTHING_SENT}`,
      "Pass parameters in params, not in the path.",
    );
  }
  const segments = path.split("/").filter((s) => s !== "");
  if (segments.length === 0) {
    throw new ToolError(`empty API path; ${NOTHING_SENT}`, "e.g. /cluster/resources");
  }
  return segments.map((s) => {
    let value: string;
    try {
      value = decodeURIComponent(s);
    } catch {
      throw new ToolError(`bad percent-encoding in path segment ${JSON.stringify(s)}`);
    }
    // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters
    if (value === "." || value === ".." || /[\u0000-\u001f]/.test(value)) {
      throw new ToolError(
        `path segment ${JSON.stringify(s)} is not allowed; ${NOTHING_SENT}`,
        "Write the API path itself, without . or .. segments.",
      );
    }
    return value;
  });
}

export const encodePath = (segments: readonly string[]): string =>
  `/${segments.map(encodeURIComponent).join("/")}`;

const shown = (segments: readonly string[]): string => `/${segments.join("/")}`;

export async function prepareCall(
  ctx: ToolContext<typeof CLUSTER_RESOURCES>,
  method: ApiMethod,
  rawPath: string,
  given: Record<string, ParamInput> = {},
): Promise<PreparedCall> {
  const access = accessOf(ctx);
  const segments = splitPath(rawPath);
  const where = `${method} ${shown(segments)}`;
  const refusal = access.refusal(method, segments);
  if (refusal) {
    throw new ToolError(
      `${where} is refused by this server: ${refusal}; ${NOTHING_SENT}`,
      "The administrator limits the paths raw API calls may reach (api_allow_paths, api_deny_paths); use a curated tool if one does this.",
    );
  }
  const state = await access.schema();
  if (!state.schema) {
    if (method !== "GET") {
      throw new ToolError(
        `${where}: refused: raw writes are checked against the API schema, and there is none (${state.reason}); ${NOTHING_SENT}`,
        "Install the pve-docs package on the host, or give this server the schema with --api-schema FILE.",
      );
    }
    await checkScope(ctx, method, guessPathParams(segments), {});
    return {
      path: encodePath(segments),
      params: unchecked(given),
      checked: false,
      notice: `not checked against the API schema: ${state.reason}`,
    };
  }
  const { schema } = state;
  const resolved = schema.resolve(segments);
  if (!resolved)
    throw new ToolError(
      `${where}: ${noSuchPath(schema, segments)}; ${NOTHING_SENT}`,
      "Find the path with describe_api.",
    );
  const template = resolved.node.path;
  const info = resolved.node.info?.[method];
  if (!info) {
    const methods = Object.keys(resolved.node.info ?? {});
    throw new ToolError(
      `${method} ${template} is not in this cluster's API${schema.version ? ` (PVE ${schema.version})` : ""}; ${methods.length > 0 ? `this path has ${methods.join(", ")}` : "this path is only a directory"}; ${NOTHING_SENT}`,
      methods.includes("GET") && method !== "GET"
        ? "Reads go through proxmox_api_get."
        : "See describe_api for what this path offers.",
    );
  }
  const { errors, params } = checkCall(info, resolved.pathParams, given);
  const names = Object.keys(errors);
  if (names.length > 0) {
    const known = Object.keys(info.parameters?.properties ?? {}).filter(
      (n) => !(n in resolved.pathParams),
    );
    const lines = names.map((n) => {
      const prop = propertyFor(info, n);
      const similar = prop ? undefined : similarName(n, known);
      const explained = similar
        ? `did you mean ${explainParam(similar, propertyFor(info, similar))}`
        : explainParam(n, prop);
      return `- ${n}: ${errors[n]?.trim()}\n  ${explained}`;
    });
    throw new ToolError(
      `${method} ${template}: parameter verification failed; ${NOTHING_SENT}\n${lines.join("\n")}`,
      known.length > 0
        ? `Parameters of ${method} ${template}: ${known.join(", ")} (describe_api path "${template}" explains them).`
        : `${method} ${template} takes no parameters besides its path.`,
    );
  }
  await checkScope(ctx, method, resolved.pathParams, params);
  return { path: encodePath(segments), endpoint: template, params, checked: true };
}

/** "no such path", with what the deepest path it reaches offers. */
export function noSuchPath(schema: ApiSchema, segments: readonly string[]): string {
  const near = schema.closest(segments);
  if (!near) return "no such path in this cluster's API";
  const children = (near.children ?? []).map((c) => c.text);
  return `no such path in this cluster's API; the nearest, ${near.path}, has ${children.length > 0 ? children.join(", ") : "no sub-paths"}`;
}

/** forceStop for force_stop, or a name one or two typos away. */
function similarName(name: string, known: readonly string[]): string | undefined {
  const plain = (s: string) => s.toLowerCase().replace(/[-_]/g, "");
  return (
    known.find((k) => plain(k) === plain(name)) ??
    known.find((k) => distance(k.toLowerCase(), name.toLowerCase()) <= 2)
  );
}

function distance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(
        (row[j] ?? 0) + 1,
        (next[j - 1] ?? 0) + 1,
        (row[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    row = next;
  }
  return row[b.length] ?? 0;
}

function unchecked(given: Record<string, ParamInput>): Record<string, Wire> {
  const out: Record<string, Wire> = {};
  for (const [k, v] of Object.entries(given)) {
    if (v === undefined || v === null) continue;
    const scalar = (x: string | number | boolean) =>
      typeof x === "boolean" ? (x ? "1" : "0") : String(x);
    out[k] = Array.isArray(v) ? v.map(scalar) : scalar(v as string | number | boolean);
  }
  return out;
}

/** Without a schema: /nodes/{node}/{qemu|lxc}/{vmid}… is still recognisable. */
function guessPathParams(segments: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  if (segments[0] === "nodes" && segments[1]) out.node = segments[1];
  if ((segments[2] === "qemu" || segments[2] === "lxc") && segments[3]) out.vmid = segments[3];
  return out;
}

/**
 * The scope (allowed_nodes/-vmids/-pools/-tags) holds for raw calls too: every node and guest
 * they name must be inside it; a write under a restricted scope must name its node (and guest)
 * in the path, since what a cluster-wide write touches cannot be checked.
 */
async function checkScope(
  ctx: ToolContext<typeof CLUSTER_RESOURCES>,
  method: ApiMethod,
  pathParams: Record<string, string>,
  params: Record<string, Wire>,
): Promise<void> {
  const { scope } = ctx;
  // The Scope interface answers per value; a value no scope can hold tells whether it is limited.
  const limitsNodes = !scope.allowsNode("");
  const limitsGuests = !scope.allowsVmid(0) || scope.needsGuestData;
  if (!limitsNodes && !limitsGuests) return;
  const outside = (what: string) =>
    new ToolError(
      `${what} is outside this server's scope (allowed: ${scope.describe()}); ${NOTHING_SENT}`,
      "The server's administrator limits which nodes and guests it may touch (allowed_* settings).",
    );
  const upidNode =
    pathParams.upid && isUpid(pathParams.upid) ? parseUpid(pathParams.upid)?.node : undefined;
  const nodes = [pathParams.node, upidNode, params.node, params.target, params.target_node].filter(
    (n): n is string => typeof n === "string" && n !== "",
  );
  for (const n of nodes) if (!scope.allowsNode(n)) throw outside(`node ${n}`);
  const vmids = [pathParams.vmid, params.vmid, params.newid]
    .filter((v): v is string => typeof v === "string" && /^\d+$/.test(v))
    .map(Number);
  for (const v of vmids) if (!scope.allowsVmid(v)) throw outside(`guest ${v}`);
  if (pathParams.vmid && scope.needsGuestData) {
    const guest = await resolveGuest(ctx.pve, Number(pathParams.vmid), {}, ctx.signal);
    if (!scope.allowsGuest(guest)) throw outside(`guest ${guest.vmid}`);
  }
  if (method === "GET") return;
  if (limitsNodes && !pathParams.node && !upidNode) {
    throw outside("a write outside /nodes/{node}/… (its targets cannot be checked)");
  }
  if (limitsGuests && !pathParams.vmid) {
    throw outside(
      "a write outside /nodes/{node}/{qemu|lxc}/{vmid}/… (its guests cannot be checked)",
    );
  }
}
