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
  annotations: ToolDef["annotations"];
  execution?: { taskSupport: "optional" };
}

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
      outputSchema: jsonSchema(tool.output, "output"),
      annotations: tool.annotations, // the title is the tool's own: no need to send it twice
      ...(tool.longRunning ? { execution: { taskSupport: "optional" as const } } : {}),
    };
    cache.set(tool, entry);
  }
  return entry;
}

const SAFE_INT = Number.MAX_SAFE_INTEGER;

function jsonSchema(schema: z.ZodType, io: "input" | "output"): Record<string, unknown> {
  const json = z.toJSONSchema(schema, { io, unrepresentable: "any" }) as Record<string, unknown>;
  delete json.$schema;
  return trim(json, io) as Record<string, unknown>;
}

/** Keys that describe a value without constraining it: they may sit beside anyOf. */
const ANNOTATIONS = new Set(["type", "description", "title", "default", "examples", "deprecated"]);

/**
 * Drops zod's ±2^53 bounds on every `.int()`, and in outputs `additionalProperties: false`:
 * it tells the model nothing about a result, and costs tokens on every object. A list of types
 * (`"type": ["string", "number"]`, zod's form of a union of primitives) becomes anyOf branches of
 * one type each: clients that map schemas onto a single-type dialect (OpenAPI's, for Gemini)
 * reject the list, and MCP Inspector --strict warns about it.
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
    if (io === "output" && key === "additionalProperties" && value === false) continue;
    out[key] = trim(value, io);
  }
  return out;
}
