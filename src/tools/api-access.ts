// What the raw API tools may reach, made once per server (server/run.ts) and handed to them in
// ToolContext.api: where the API schema comes from (a file, or the host's own with a disk cache
// per version), the path allow/deny lists, and the one way to send an arbitrary path. A server
// made without it gives no raw API access at all, so a code path that forgets it fails closed.

import type { ApiSchemaSource, SchemaState } from "../pve/api-schema-source.ts";
import type { Method, Params, PveClient, RequestOptions } from "../pve/index.ts";

export interface ApiAccessOptions {
  /** An apidoc.js, apidata.js (or its JSON array) used instead of the host's schema. */
  schemaFile?: string;
  /** Directory of the per-version schema cache; undefined: memory only. */
  cacheDir?: string;
  /** Patterns a raw call must match; empty: every path. */
  allowPaths: readonly string[];
  /** Patterns always refused; they win over allowPaths. */
  denyPaths: readonly string[];
}

export interface RawApi {
  /** Why a call is refused by the lists, or undefined when it may go. */
  refusal(method: string, segments: readonly string[]): string | undefined;
  /** The cluster's API schema, loaded on first use and kept. */
  schema(): Promise<SchemaState>;
  /** Sends a call the raw API tools checked (path encoded, parameters by the schema). */
  request(method: Method, path: string, params: Params, options?: RequestOptions): Promise<unknown>;
}

/** Checks the patterns (throws on a bad one); nothing is read or fetched before the first call. */
export function createRawApi(pve: () => PveClient, options: ApiAccessOptions): RawApi {
  const allow = options.allowPaths.map((p) => [p, compilePathRule(p)] as const);
  const deny = options.denyPaths.map((p) => [p, compilePathRule(p)] as const);
  // The schema's code loads with the first raw call: most sessions make none.
  let schemas: Promise<ApiSchemaSource> | undefined;
  const source = () => {
    schemas ??= import("../pve/api-schema-source.ts").then(
      (m) => new m.ApiSchemaSource(pve, options),
    );
    return schemas;
  };
  return {
    refusal(method, segments) {
      const denied = deny.find(([, rule]) => rule(method, segments));
      if (denied) return `it matches "${denied[0]}" of api_deny_paths`;
      if (allow.length > 0 && !allow.some(([, rule]) => rule(method, segments))) {
        return "it matches no pattern of api_allow_paths";
      }
      return undefined;
    },
    schema: async () => (await source()).get(),
    request: (method, path, params, requestOptions) =>
      pve().request(method, path, params, requestOptions),
  };
}

export type PathRule = (method: string, segments: readonly string[]) => boolean;

/**
 * `[METHOD[|METHOD] ]/glob/path`, matched segment by segment (so a `/` inside a value cannot
 * make a segment): `*` any text within a segment, `**` any number of segments, `?` one
 * character, `{a|b}` alternatives, `{name}` any one segment, as in the API's templates. No
 * commas: settings lists are comma-separated on the command line and in the environment.
 */
export function compilePathRule(pattern: string): PathRule {
  const m = /^\s*(?:([A-Za-z]+(?:\|[A-Za-z]+)*)\s+)?(\/\S*)\s*$/.exec(pattern);
  if (!m?.[2]) {
    throw new Error(
      `bad API path pattern "${pattern}": expected [METHOD[|METHOD] ]/path/with/*/globs`,
    );
  }
  const methods = m[1]?.toUpperCase().split("|");
  const parts = m[2]
    .split("/")
    .filter(Boolean)
    .map((s) => (s === "**" ? "**" : segmentRegExp(s)));
  return (method, segments) =>
    (!methods || methods.includes(method.toUpperCase())) && matchFrom(parts, 0, segments, 0);
}

function segmentRegExp(glob: string): RegExp {
  let re = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob.charAt(i);
    if (c === "*") re += ".*";
    else if (c === "?") re += ".";
    else if (c === "{") {
      const close = glob.indexOf("}", i);
      if (close < 0) throw new Error(`bad API path pattern segment "${glob}": unclosed {`);
      const inner = glob.slice(i + 1, close);
      re += inner.includes("|") ? `(?:${inner.split("|").map(escapeRe).join("|")})` : ".+";
      i = close;
    } else re += escapeRe(c);
  }
  return new RegExp(`^${re}$`);
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

function matchFrom(
  parts: readonly (RegExp | "**")[],
  p: number,
  segments: readonly string[],
  s: number,
): boolean {
  if (p === parts.length) return s === segments.length;
  const part = parts[p];
  if (part === "**") {
    for (let k = s; k <= segments.length; k++)
      if (matchFrom(parts, p + 1, segments, k)) return true;
    return false;
  }
  const segment = segments[s];
  if (segment === undefined || !part?.test(segment)) return false;
  return matchFrom(parts, p + 1, segments, s + 1);
}
