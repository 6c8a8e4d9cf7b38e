// The Rust seed's interface (proxmox-mcp-rs), as we describe it in seed-tools.txt beside this
// file: one line per tool, `name arg:type opt?:type enum?:a|b`. Every seed tool must exist and
// take a seed call as it was written: each argument by name and type, and no required argument
// the seed did not send.

import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { listedTool } from "../../src/server/catalog.ts";
import { ALL_TOOLS } from "../../src/tools/index.ts";

interface SeedArg {
  name: string;
  optional: boolean;
  /** integer, string, boolean, number, array, or an enumeration such as `qemu|lxc`. */
  type: string;
}

interface Property {
  type?: string | string[];
  enum?: unknown[];
  anyOf?: Property[];
}

const seed = readFileSync(join(import.meta.dir, "seed-tools.txt"), "utf8")
  .split("\n")
  .filter((line) => line.trim())
  .map((line) => {
    const [name, ...args] = line.trim().split(/\s+/);
    return {
      name: name as string,
      args: args.map((a): SeedArg => {
        const [key = "", type = ""] = a.split(":");
        return { name: key.replace("?", ""), optional: key.endsWith("?"), type };
      }),
    };
  });

const ours = new Map(ALL_TOOLS.map((t) => [t.name, t]));

/** The JSON types a property accepts, through anyOf. */
const typesOf = (p: Property): string[] => [
  ...(Array.isArray(p.type) ? p.type : p.type ? [p.type] : []),
  ...(p.anyOf ?? []).flatMap(typesOf),
];

/** Whether a value the seed sends for `type` passes the property's schema (by type and enum). */
function accepts(p: Property, type: string): boolean {
  const types = typesOf(p);
  if (type.includes("|")) {
    const values = type.split("|");
    if (p.enum) return values.every((v) => p.enum?.includes(v));
    // 0|1 flags: a number or a boolean
    if (values.every((v) => /^\d+$/.test(v)))
      return types.some((t) => ["integer", "number", "boolean"].includes(t));
    return types.includes("string");
  }
  if (type === "integer") return types.includes("integer") || types.includes("number");
  return types.includes(type);
}

test("the contract lists the seed's 103 tools once each", () => {
  const names = seed.map((s) => s.name);
  expect(names).toHaveLength(103);
  expect(new Set(names).size).toBe(103);
});

describe("each seed tool keeps its name and arguments", () => {
  for (const s of seed) {
    test(`${s.name}(${s.args.map((a) => a.name).join(", ")})`, () => {
      const tool = ours.get(s.name);
      expect(tool, `${s.name} is missing`).toBeDefined();
      const schema = listedTool(tool as (typeof ALL_TOOLS)[number]).inputSchema as {
        properties?: Record<string, Property>;
        required?: string[];
      };
      const props = schema.properties ?? {};
      for (const arg of s.args) {
        expect(Object.keys(props)).toContain(arg.name);
        expect(
          accepts(props[arg.name] as Property, arg.type),
          `${s.name}: ${arg.name} should accept the seed's ${arg.type}`,
        ).toBe(true);
      }
      const sent = s.args.map((a) => a.name);
      expect((schema.required ?? []).filter((r) => !sent.includes(r))).toEqual([]);
    });
  }
});
