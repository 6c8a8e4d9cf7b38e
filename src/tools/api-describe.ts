// Endpoints of the API schema as a model reads them: privileges in words, parameters with type,
// enum, range and whether required, and the shape of what the call returns.

import type { SchemaMethod, SchemaProperty } from "../pve/api-schema.ts";
import type { SchemaEndpoint } from "../pve/api-schema-index.ts";

export interface ParamRow {
  name: string;
  type: string;
  required: boolean;
  in_path?: boolean;
  description?: string;
  enum?: string[];
  minimum?: number;
  maximum?: number;
  default?: string;
  format?: string;
}

/** The permission block of a method in words. */
export function privileges(p: SchemaMethod["permissions"]): string {
  if (!p) return "root@pam only (the schema declares no permission check)";
  const parts: string[] = [];
  if (p.check) parts.push(checkText(p.check));
  if (p.user === "all") parts.push("any authenticated user");
  if (p.user === "world") parts.push("no login needed");
  if (p.description) parts.push(p.description);
  return parts.join("; ") || "root@pam only";
}

function checkText(check: unknown, nested = false): string {
  if (!Array.isArray(check)) return JSON.stringify(check);
  const [kind, ...rest] = check as [string, ...unknown[]];
  switch (kind) {
    case "perm": {
      const [path, privs, ...options] = rest as [string, string[], ...unknown[]];
      const any = options[0] === "any" && (privs?.length ?? 0) > 1;
      return `${any ? "any of " : ""}${(privs ?? []).join(", ")} on ${path}`;
    }
    case "and":
    case "or": {
      const text = rest.map((r) => checkText(r, true)).join(` ${kind} `);
      return nested ? `(${text})` : text;
    }
    case "userid-param":
      return rest[0] === "self"
        ? "the user itself"
        : `${String(rest[0])} on the user's realm (/access/realm/<realm>)`;
    case "userid-group":
      return `${(rest[0] as string[]).join(", ")} on a group of the user (/access/groups/<group>)`;
    case "perm-modify":
      return `permission to modify ${String(rest[0])}`;
    default:
      return JSON.stringify(check);
  }
}

export function paramRows(endpoint: SchemaEndpoint): ParamRow[] {
  const inPath = new Set(
    [...endpoint.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]).filter(Boolean) as string[],
  );
  return Object.entries(endpoint.info.parameters?.properties ?? {})
    .map(([name, p]) => ({
      name,
      type: p.typetext ?? p.type ?? "string",
      required: !p.optional,
      ...(inPath.has(name) ? { in_path: true } : {}),
      description: p.description,
      ...(p.enum ? { enum: p.enum } : {}),
      ...(p.minimum !== undefined ? { minimum: p.minimum } : {}),
      ...(p.maximum !== undefined ? { maximum: p.maximum } : {}),
      ...(p.default !== undefined ? { default: String(p.default) } : {}),
      ...(typeof p.format === "string" ? { format: p.format } : {}),
    }))
    .sort(
      (a, b) =>
        Number(b.in_path ?? false) - Number(a.in_path ?? false) ||
        Number(b.required) - Number(a.required) ||
        a.name.localeCompare(b.name),
    );
}

/** `array of {id: string, node?: string, …}`, two levels deep at most. */
export function returnsText(r: SchemaProperty | undefined, depth = 0): string {
  if (!r || (!r.type && !r.properties)) return "nothing documented";
  if (r.type === "array") {
    return `array of ${r.items ? returnsText(r.items, depth + 1) : "values"}`;
  }
  if (r.properties && Object.keys(r.properties).length > 0) {
    if (depth >= 2) return "object";
    const fields = Object.entries(r.properties)
      .slice(0, 24)
      .map(([k, v]) => `${k}${v.optional ? "?" : ""}: ${returnsText(v, depth + 1)}`);
    const more = Object.keys(r.properties).length > 24 ? ", …" : "";
    return `{${fields.join(", ")}${more}}`;
  }
  if (r.type === "null") return "null";
  return r.type ?? "object";
}

/** First sentence-ish of a long description, for search listings. */
export const brief = (text = "", max = 160): string =>
  text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
