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
  annotations: ToolDef["annotations"] & { title: string };
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
      annotations: { title: tool.title, ...tool.annotations },
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
  return trim(json) as Record<string, unknown>;
}

/** Drops zod's ±2^53 bounds on every `.int()` and empty `additionalProperties: {}` noise. */
function trim(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(trim);
  if (!node || typeof node !== "object") return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if ((key === "minimum" && value === -SAFE_INT) || (key === "maximum" && value === SAFE_INT)) {
      continue;
    }
    out[key] = trim(value);
  }
  return out;
}
