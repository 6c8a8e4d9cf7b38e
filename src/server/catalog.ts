// The tools/list entries: each tool's zod schemas as JSON Schema, trimmed of noise that costs
// context tokens. Computed at build time into src/tools/catalog.json (scripts/docs.ts), so a
// starting server converts nothing (the SDK's McpServer converts every schema on every list).

import { z } from "zod";
import type { ToolDef } from "../tools/define.ts";

export interface ListedTool {
  name: string;
  toolset: string;
  title: string;
  description: string;
  inputSchema: Record<string, unknown>;
  outputSchema: Record<string, unknown>;
  annotations: Partial<ToolDef["annotations"]>;
  execution?: { taskSupport: "optional" };
  /** MCP Apps: the view that renders the result, and who may call the tool. */
  _meta?: { ui: UiToolMeta; "ui/resourceUri"?: string };
}

export interface UiToolMeta {
  resourceUri: string;
  /** Absent: model and app (the spec's default). */
  visibility?: ("model" | "app")[];
}

/** A tool only an MCP Apps view calls: the host keeps it from the model. */
export const isAppOnly = (tool: Pick<ListedTool, "_meta">): boolean =>
  tool._meta?.ui.visibility?.includes("model") === false;

/** A tool whose result a host with MCP Apps shows in a view. */
export const hasView = (tool: Pick<ListedTool, "_meta">): boolean =>
  tool._meta !== undefined && !isAppOnly(tool);

/** A tools/list entry: the catalogue's, without our own `toolset` field. */
export const listEntry = ({ toolset: _, ...tool }: ListedTool): Omit<ListedTool, "toolset"> => tool;

const cache = new WeakMap<ToolDef, ListedTool>();

export function listedTool(tool: ToolDef): ListedTool {
  let entry = cache.get(tool);
  if (!entry) {
    entry = {
      name: tool.name,
      toolset: tool.toolset,
      title: tool.title,
      description: tool.description,
      inputSchema: jsonSchema(tool.input, "input"),
      outputSchema: answersConfirmation(
        jsonSchema(tool.output, "output"),
        tool.annotations.destructiveHint,
      ),
      annotations: listedAnnotations(tool.annotations),
      ...(tool.longRunning ? { execution: { taskSupport: "optional" as const } } : {}),
      ...(tool.ui ? { _meta: uiMeta(tool.ui) } : {}),
    };
    cache.set(tool, entry);
  }
  return entry;
}

/**
 * The spec's `_meta.ui`; a tool with a view also carries the older flat `ui/resourceUri` key that
 * hosts built before the nested form still read (the official server helper sets both).
 */
function uiMeta(ui: NonNullable<ToolDef["ui"]>): NonNullable<ListedTool["_meta"]> {
  if (ui.appOnly) return { ui: { resourceUri: ui.resourceUri, visibility: ["app"] } };
  return { ui: { resourceUri: ui.resourceUri }, "ui/resourceUri": ui.resourceUri };
}

/**
 * The hints that say something: the spec's defaults (openWorldHint true; for a read-only tool,
 * destructive and idempotent mean nothing) go unsaid, and the title is the tool's own.
 */
export function listedAnnotations(a: ToolDef["annotations"]): Partial<ToolDef["annotations"]> {
  const world = a.openWorldHint === false ? { openWorldHint: false } : {};
  if (a.readOnlyHint) return { readOnlyHint: true, ...world };
  return {
    readOnlyHint: false,
    destructiveHint: a.destructiveHint,
    idempotentHint: a.idempotentHint,
    ...world,
  };
}

const SAFE_INT = Number.MAX_SAFE_INTEGER;

/**
 * A destructive tool answers either its result or, before it runs, a confirmation request
 * (`confirm` and `impact`, see tools/define.ts): its required fields hold unless `confirm` is there.
 */
function answersConfirmation(
  schema: Record<string, unknown>,
  destructive: boolean,
): Record<string, unknown> {
  const { required, ...rest } = schema;
  if (!destructive || !Array.isArray(required) || required.length === 0) return schema;
  // Each branch says it is an object too: a subschema without a type is one a strict client
  // (MCP Inspector --strict) warns about.
  return {
    ...rest,
    anyOf: [
      { type: "object", required },
      { type: "object", required: ["confirm"] },
    ],
  };
}

function jsonSchema(schema: z.ZodType, io: "input" | "output"): Record<string, unknown> {
  const json = z.toJSONSchema(schema, { io, unrepresentable: "any" }) as Record<string, unknown>;
  delete json.$schema;
  return trim(json, io) as Record<string, unknown>;
}

/** Keys that describe a value without constraining it: they may sit beside anyOf. */
const ANNOTATIONS = new Set(["type", "description", "title", "default", "examples", "deprecated"]);

/**
 * Drops zod's ±2^53 bounds on every `.int()`, `additionalProperties: false` (an unknown
 * argument is refused by name all the same), length bounds that only guard against abuse, and
 * the descriptions and units in outputs (the text of an answer states its units, and the
 * server's instructions the convention): none tells the model what it needs to call the tool,
 * and each costs tokens in every conversation. The server still checks all of them. A list of
 * types (`"type": ["string", "number"]`, zod's form of a union of primitives) becomes anyOf
 * branches of one type each: clients that map schemas onto a single-type dialect (OpenAPI's, for
 * Gemini) reject the list, and MCP Inspector --strict warns about it.
 */
function trim(node: unknown, io: "input" | "output"): unknown {
  if (Array.isArray(node)) return node.map((n) => trim(n, io));
  if (!node || typeof node !== "object") return node;
  const types = (node as { type?: unknown }).type;
  if (Array.isArray(types) && Object.keys(node).every((k) => ANNOTATIONS.has(k))) {
    const { type: _, ...rest } = node as Record<string, unknown>;
    return trim({ ...rest, anyOf: types.map((type) => ({ type })) }, io);
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if ((key === "minimum" && value === -SAFE_INT) || (key === "maximum" && value === SAFE_INT)) {
      continue;
    }
    if (key === "additionalProperties" && value === false) continue;
    // A length bound this large guards against abuse; no model needs to be told it.
    if (io === "input" && key === "maxLength" && typeof value === "number" && value >= 256)
      continue;
    if (io === "output" && (key === "description" || key === "unit") && typeof value === "string") {
      continue;
    }
    out[key] = trim(value, io);
  }
  return out;
}
