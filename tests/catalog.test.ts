// Meta tests over the whole registry: every tool is complete data, the shipped catalogue is
// fresh, and every tool is exercised by a test (the seed's names and arguments: contract/).

import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { listedTool } from "../src/server/catalog.ts";
import catalog from "../src/tools/catalog.json" with { type: "json" };
import { ALL_TOOLS, TOOLSETS } from "../src/tools/index.ts";
import { checkCall } from "./support/endpoint-check.ts";

describe("every tool is complete data", () => {
  test("names are unique snake_case", () => {
    const names = ALL_TOOLS.map((t) => t.name);
    expect(new Set(names).size).toBe(names.length);
    for (const n of names) expect(n).toMatch(/^[a-z][a-z0-9_]*$/);
  });

  for (const tool of ALL_TOOLS) {
    test(tool.name, () => {
      const listed = listedTool(tool);
      expect(TOOLSETS.map((t) => t.id)).toContain(tool.toolset);
      expect(tool.title.length).toBeGreaterThan(3);
      expect(tool.title).not.toContain("\n");
      expect(tool.description.length).toBeGreaterThan(30);
      for (const hint of ["readOnlyHint", "destructiveHint", "idempotentHint"] as const) {
        expect(typeof tool.annotations[hint]).toBe("boolean");
      }
      if (tool.annotations.readOnlyHint) expect(tool.annotations.destructiveHint).toBe(false);
      // Flat object input: some clients drop tools whose root is a union.
      expect(listed.inputSchema.type).toBe("object");
      for (const key of ["anyOf", "oneOf", "allOf", "$ref"])
        expect(listed.inputSchema).not.toHaveProperty(key);
      // Unknown arguments are refused by name (a strict object), unsaid in the listing.
      expect(tool.input.safeParse({ surely_not_an_argument: 1 }).success).toBe(false);
      expect(listed.outputSchema.type).toBe("object");
      expect(JSON.stringify(listed)).not.toContain("9007199254740991");
      expect(JSON.stringify(listed)).not.toContain("$schema");
    });
  }
});

describe("every tool declares the endpoints it calls (ToolDef.endpoints)", () => {
  test("every tool but the discovery tools declares at least one; those declare none", () => {
    const undeclared = ALL_TOOLS.filter(
      (t) => t.toolset !== "discovery" && (t.endpoints ?? []).length === 0,
    ).map((t) => t.name);
    expect(undeclared).toEqual([]);
    const discovery = ALL_TOOLS.filter((t) => t.toolset === "discovery");
    for (const t of discovery) expect(t.endpoints).toEqual([]);
  });

  test("templates are the API schema's: absolute, {name} placeholders, no concrete ids", () => {
    for (const t of ALL_TOOLS) {
      for (const e of t.endpoints ?? []) {
        expect(e.path).toMatch(/^(\/([a-z0-9_.-]+|\{[a-z0-9_-]+\}))+$/i);
        expect(e.path).not.toMatch(/\/(pve\d|\d+)(\/|$)/);
      }
    }
  });

  // The harness holds every tool call's requests to these declarations (tests/support/
  // endpoint-check.ts, reported after the run); this keeps the checker itself honest.
  test("the harness's check names a request the tool does not declare, or an extra parameter", () => {
    const req = (method: string, path: string, params: Record<string, string> = {}) => ({
      method,
      path,
      params,
      status: 200,
    });
    expect(checkCall("start_vm", [req("POST", "/nodes/pve1/qemu/100/status/start")])).toEqual([]);
    expect(
      checkCall("add_network", [req("POST", "/nodes/pve1/qemu/100/config", { net1: "x" })]),
    ).toEqual([]);
    const [wrongPath] = checkCall("start_vm", [req("POST", "/nodes/pve1/qemu/100/status/stop")]);
    expect(wrongPath).toContain("start_vm: POST /nodes/pve1/qemu/100/status/stop (params: none)");
    expect(wrongPath).toContain("POST /nodes/{node}/qemu/{vmid}/status/start");
    const [extra] = checkCall("list_nodes", [req("GET", "/nodes", { full: "1" })]);
    expect(extra).toContain("list_nodes: GET /nodes (params: full)");
    expect(checkCall("proxmox_api_get", [req("GET", "/cluster/sdn/zones")])).toEqual([]);
    expect(
      checkCall("list_nodes", [req("POST", "/access/ticket", { username: "root@pam" })]),
    ).toEqual([]);
  });
});

test("the shipped catalogue (src/tools/catalog.json) matches the registry", () => {
  expect(catalog).toEqual(JSON.parse(JSON.stringify(ALL_TOOLS.map(listedTool))));
});

test("every tool is called by some test", () => {
  const dir = join(import.meta.dir);
  const files = readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith(".test.ts") && !f.endsWith("catalog.test.ts"));
  const text = files.map((f) => readFileSync(join(dir, f), "utf8")).join("\n");
  const untested = ALL_TOOLS.map((t) => t.name).filter((n) => !text.includes(`"${n}"`));
  expect(untested).toEqual([]);
});
