// The API's own description: every PVE host serves the API viewer's schema, a JS file
// `const apiSchema = [...];` matching its version, beside (not under) /api2/json. It is read
// here as data (never evaluated), with the client's origin, TLS and credentials.

import type { PveClient } from "./client.ts";
import { PveConnectionError, PveError } from "./errors.ts";

export const API_SCHEMA_PATH = "/pve-docs/api-viewer/apidata.js";

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

/** `const apiSchema = [...];` (or a bare JSON array) → the tree; throws on anything else. */
export function parseApiSchema(text: string): SchemaNode[] {
  const start = text.indexOf("[");
  const end = text.lastIndexOf("]");
  if (start < 0 || end < start) throw new Error("no API schema array found");
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
