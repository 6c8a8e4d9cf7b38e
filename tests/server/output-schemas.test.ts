// Every tool's outputSchema says what each value is: no empty `{}` and no schema without a type
// (MCP Inspector --strict warns on them, and a client cannot check or render such a value).

import { expect, test } from "bun:test";
import { listedTool } from "../../src/server/catalog.ts";
import { ALL_TOOLS } from "../../src/tools/index.ts";

const TYPED = ["type", "anyOf", "oneOf", "allOf", "$ref", "enum", "const"];

/** Paths of subschemas that do not say what they hold. */
function untyped(schema: unknown, path = "#"): string[] {
  if (!schema || typeof schema !== "object") return [];
  const node = schema as Record<string, unknown>;
  const here = TYPED.some((k) => k in node) ? [] : [path];
  const nested: [string, unknown][] = [
    ...Object.entries((node.properties as Record<string, unknown>) ?? {}).map(
      ([k, v]) => [`${path}/properties/${k}`, v] as [string, unknown],
    ),
    ...Object.entries((node.$defs as Record<string, unknown>) ?? {}).map(
      ([k, v]) => [`${path}/$defs/${k}`, v] as [string, unknown],
    ),
    ...["anyOf", "oneOf", "allOf"].flatMap((k) =>
      ((node[k] as unknown[]) ?? []).map((v, i) => [`${path}/${k}/${i}`, v] as [string, unknown]),
    ),
  ];
  for (const key of ["items", "additionalProperties"]) {
    if (node[key] && typeof node[key] === "object") nested.push([`${path}/${key}`, node[key]]);
  }
  return [...here, ...nested.flatMap(([p, v]) => untyped(v, p))];
}

test("no output schema holds {} or a value without a type", () => {
  const found = ALL_TOOLS.flatMap((tool) =>
    untyped(listedTool(tool).outputSchema).map((p) => `${tool.name} ${p}`),
  );
  expect(found).toEqual([]);
});
