// What the raw API tools may reach, bound to the client they talk through: where the API schema
// comes from (a file, or the host's own with a disk cache per version) and the path allow/deny
// lists. Bound where the client is made (server/run.ts); a client nobody bound gets no raw API
// access at all, so a new code path that forgets the binding fails closed.

import type { PveClient } from "../pve/client.ts";

export interface ApiAccessOptions {
  /** An apidata.js (or its JSON array) used instead of the host's schema. */
  schemaFile?: string;
  /** Directory of the per-version schema cache; undefined: memory only. */
  cacheDir?: string;
  /** Patterns a raw call must match; empty: every path. */
  allowPaths: readonly string[];
  /** Patterns always refused; they win over allowPaths. */
  denyPaths: readonly string[];
}

export interface ApiAccess extends ApiAccessOptions {
  /** Why a call is refused by the lists, or undefined when it may go. */
  refusal(method: string, segments: readonly string[]): string | undefined;
}

const bound = new WeakMap<PveClient, ApiAccess>();

/** Checks the patterns (throws on a bad one) and binds the options to the client. */
export function bindApiAccess(pve: PveClient, options: ApiAccessOptions): ApiAccess {
  const allow = options.allowPaths.map((p) => [p, compilePathRule(p)] as const);
  const deny = options.denyPaths.map((p) => [p, compilePathRule(p)] as const);
  const access: ApiAccess = {
    ...options,
    refusal(method, segments) {
      const denied = deny.find(([, rule]) => rule(method, segments));
      if (denied) return `it matches "${denied[0]}" of api_deny_paths`;
      if (allow.length > 0 && !allow.some(([, rule]) => rule(method, segments))) {
        return "it matches no pattern of api_allow_paths";
      }
      return undefined;
    },
  };
  bound.set(pve, access);
  return access;
}

export const apiAccessOf = (pve: PveClient): ApiAccess | undefined => bound.get(pve);

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
