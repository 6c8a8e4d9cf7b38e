// One raw API call made safe before it is sent: the path is split and checked (no `..`, no
// query), held against the allow/deny lists, found in the cluster's own API schema with its
// method, and its parameters checked there. The scope is the client's guard's, as for every
// request.

import type { ApiSchema } from "../pve/api-schema-index.ts";
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
  ctx: ToolContext<never>,
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
