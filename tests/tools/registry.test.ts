// Every tool a module under src/tools defines is in the registry: a tool written into a new
// file and never added to registry.ts fails here, instead of silently not existing.

import { expect, test } from "bun:test";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import type { ToolDef } from "../../src/tools/define.ts";
import { ALL_TOOLS } from "../../src/tools/registry.ts";

const TOOLS_DIR = join(import.meta.dir, "../../src/tools");

const isTool = (value: unknown): value is ToolDef =>
  typeof value === "object" &&
  value !== null &&
  typeof (value as ToolDef).name === "string" &&
  typeof (value as ToolDef).handler === "function" &&
  Array.isArray((value as ToolDef).endpoints);

/** The tools a module exports, alone or in lists. */
function exportedTools(module: Record<string, unknown>): ToolDef[] {
  return Object.values(module).flatMap((v) =>
    Array.isArray(v) ? v.filter(isTool) : isTool(v) ? [v] : [],
  );
}

test("every tool exported by a module under src/tools is in the registry", async () => {
  const registered = new Set(ALL_TOOLS);
  const files = readdirSync(TOOLS_DIR).filter((f) => f.endsWith(".ts"));
  const missing: string[] = [];
  let defined = 0;
  for (const file of files) {
    const tools = exportedTools(await import(join(TOOLS_DIR, file)));
    defined += tools.length;
    for (const t of tools) if (!registered.has(t)) missing.push(`${t.name} (${file})`);
  }
  expect(missing).toEqual([]);
  // Every registered tool was found in some module: the scan itself sees them all.
  expect(defined).toBeGreaterThanOrEqual(ALL_TOOLS.length);
});

test("a module whose tools are not listed would be caught", () => {
  const stray = { ...ALL_TOOLS[0], name: "stray_tool" } as ToolDef;
  const found = exportedTools({ strayTools: [stray], stray });
  expect(found.filter((t) => !new Set(ALL_TOOLS).has(t)).map((t) => t.name)).toEqual([
    "stray_tool",
    "stray_tool",
  ]);
});
