// The API's own description: every PVE host with the pve-docs package serves the API viewer,
// beside (not under) /api2/json, as /pve-docs/api-viewer/apidoc.js: the build's apidata.js
// (`const apiSchema = [...];`, matching the host's version) with the viewer's code after it (the
// pve-docs Makefile concatenates them; apidata.js itself is not installed). The array is cut out
// and read here as data (never evaluated), with the client's origin, TLS and credentials.

import type { PveClient } from "./client.ts";
import { PveConnectionError, PveError } from "./errors.ts";

export const API_SCHEMA_PATH = "/pve-docs/api-viewer/apidoc.js";

/** A property of a parameter or result schema, as PVE's JSONSchema writes it. */
export interface SchemaProperty {
  type?: string;
  description?: string;
  verbose_description?: string;
  optional?: number;
  default?: unknown;
  enum?: string[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  /** A named format, or the keys of a property string. */
  format?: string | Record<string, SchemaProperty>;
  typetext?: string;
  requires?: string;
  items?: SchemaProperty;
  properties?: Record<string, SchemaProperty>;
  additionalProperties?: number | SchemaProperty;
}

export interface SchemaMethod {
  method: string;
  name?: string;
  description?: string;
  parameters?: { additionalProperties?: number; properties?: Record<string, SchemaProperty> };
  permissions?: { check?: unknown[]; user?: string; description?: string };
  returns?: SchemaProperty;
  allowtoken?: number;
  protected?: number;
  proxyto?: string;
}

export interface SchemaNode {
  path: string;
  /** The last segment: a literal, or `{param}`. */
  text: string;
  leaf?: number;
  info?: Record<string, SchemaMethod>;
  children?: SchemaNode[];
}

/**
 * The schema text of the host, or undefined when the host has none (no pve-docs package: 404).
 * Other failures throw, so a caller can tell "never there" from "try again later".
 */
export async function fetchApiSchemaText(
  pve: PveClient,
  signal?: AbortSignal,
  timeoutMs = 60_000,
): Promise<string | undefined> {
  const url = `${pve.origin.replace(/\/+$/, "")}${API_SCHEMA_PATH}`;
  const get = async () => {
    const timeout = AbortSignal.timeout(timeoutMs);
    try {
      return await fetch(url, {
        headers: await pve.auth.headers("GET"),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
        tls: pve.tls,
      });
    } catch (error) {
      throw new PveConnectionError(
        `cannot read the API schema from ${pve.origin}: ${(error as Error).message}`,
        "GET",
        API_SCHEMA_PATH,
      );
    }
  };
  let res = await get();
  if (res.status === 401 && (await pve.auth.recover())) res = await get();
  if (res.status === 404) return undefined;
  if (!res.ok) throw new PveError(res.status, res.statusText || "failed", "GET", API_SCHEMA_PATH);
  return res.text();
}

/**
 * apidoc.js or apidata.js (`const apiSchema = [...];`, maybe with code after it) or a bare JSON
 * array → the tree; throws on anything else.
 */
export function parseApiSchema(text: string): SchemaNode[] {
  const declared = /\bapiSchema\s*=\s*\[/.exec(text);
  const start = declared ? declared.index + declared[0].length - 1 : text.indexOf("[");
  const end = start < 0 ? -1 : closingBracket(text, start);
  if (start < 0 || end < 0) throw new Error("no API schema array found");
  const tree = JSON.parse(text.slice(start, end + 1)) as unknown;
  if (
    !Array.isArray(tree) ||
    tree.length === 0 ||
    !tree.every((n) => typeof n?.path === "string" && typeof n?.text === "string")
  ) {
    throw new Error("not an API schema: expected a list of {path, text, info, children}");
  }
  return tree as SchemaNode[];
}

/** Where the JSON array opened at `open` ends: brackets counted outside strings; -1 if never. */
function closingBracket(text: string, open: number): number {
  let depth = 0;
  let inString = false;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "[" || c === "{") depth++;
    else if (c === "]" || c === "}") {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}
