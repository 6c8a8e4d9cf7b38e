// `proxmox-mcp tools --check-api`: the curated tools' declared endpoints held against an API
// schema. Against the official PVE 9.1.3 schema (or, in a checkout without it, the simulated
// cluster's own) every declared endpoint exists; against an older or trimmed schema the tools
// that need what it lacks are named and the exit code is 1.

import { describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkTools } from "../../src/commands/check-api.ts";
import type { SchemaNode } from "../../src/pve/api-schema.ts";
import { parseApiSchema } from "../../src/pve/api-schema.ts";
import { ApiSchema } from "../../src/pve/api-schema-index.ts";
import { schemaFromFile } from "../../src/pve/api-schema-source.ts";
import { ALL_TOOLS } from "../../src/tools/index.ts";
import { bySchema, loadEndpoints, schemaFile } from "../support/api-schema.ts";

const main = join(import.meta.dir, "../../src/main.ts");
const LEAD_TOOLS = [
  "list_nodes",
  "get_node_status",
  "get_cluster_status",
  "list_vms",
  "get_vm_config",
  "start_vm",
  "shutdown_container",
  "list_tasks",
  "wait_for_task",
  "stop_task",
];

/** The schema without one endpoint and one parameter: what an older PVE might lack. */
function trimmedSchemaFile(): string {
  const tree = parseApiSchema(readFileSync(schemaFile(), "utf8"));
  const visit = (nodes: SchemaNode[]) => {
    for (const n of nodes) {
      if (n.path === "/nodes/{node}/qemu/{vmid}/status/reboot") delete n.info?.POST;
      if (n.path === "/nodes/{node}/lxc/{vmid}/status/shutdown") {
        delete n.info?.POST?.parameters?.properties?.forceStop;
      }
      visit(n.children ?? []);
    }
  };
  visit(tree);
  const file = join(mkdtempSync(join(tmpdir(), "pmcp-check-api-")), "apidata.js");
  writeFileSync(file, `const apiSchema = ${JSON.stringify(tree)};\n`);
  return file;
}

describe("checkTools", () => {
  test("every endpoint the curated tools declare is in the schema", () => {
    const result = checkTools(schemaFromFile(schemaFile()), ALL_TOOLS);
    expect(result.problems).toEqual([]);
    for (const name of LEAD_TOOLS) expect(result.checked).toContain(name);
    // Every tool declares what it calls: none is left unchecked.
    expect(result.unchecked).toEqual([]);
    expect(result.checked).toHaveLength(ALL_TOOLS.length);
    expect(result.none).toEqual(["list_toolsets", "enable_toolset"]);
    expect(result.callerPaths).toEqual(["proxmox_api_get", "proxmox_api"]);
  });

  test("a schema lacking an endpoint or a parameter names the tools that need it", () => {
    const schema = new ApiSchema(parseApiSchema(readFileSync(trimmedSchemaFile(), "utf8")), "file");
    const { problems } = checkTools(schema, ALL_TOOLS);
    expect(problems).toContainEqual({
      tool: "reboot_vm",
      method: "POST",
      path: "/nodes/{node}/qemu/{vmid}/status/reboot",
      problem: "method is not in this API (the path has no methods)",
    });
    expect(problems).toContainEqual({
      tool: "shutdown_container",
      method: "POST",
      path: "/nodes/{node}/lxc/{vmid}/status/shutdown",
      problem: 'parameter "forceStop" is not in this API',
    });
    expect(problems.filter((p) => p.tool === "shutdown_vm")).toContainEqual(
      expect.objectContaining({ path: "/nodes/{node}/lxc/{vmid}/status/shutdown" }),
    );
  });
});

describe("proxmox-mcp tools --check-api", () => {
  const run = (...args: string[]) =>
    spawnSync(process.execPath, [main, "tools", "--check-api", ...args], {
      encoding: "utf8",
      env: { ...process.env, PROXMOX_HOST: "", PROXMOX_CONFIG: "" },
    });

  test("--api-schema FILE alone checks against that file, connecting nowhere", () => {
    const file = schemaFile();
    const r = run("--api-schema", file);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const endpoints = bySchema({ official: 649, mock: loadEndpoints().length });
    expect(r.stdout).toContain(`API schema from ${file} (${endpoints} endpoints)`);
    expect(r.stdout).toMatch(
      new RegExp(`${ALL_TOOLS.length} tools checked \\(\\d+ endpoints\\): all present`),
    );
    expect(r.stdout).toContain("2 of them call no Proxmox endpoint: list_toolsets");
    expect(r.stdout).not.toContain("declare no endpoints");
  });

  test("missing endpoints are listed per tool, with exit status 1 (and --json for machines)", () => {
    const file = trimmedSchemaFile();
    const r = run("--api-schema", file);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(
      "  reboot_vm: POST /nodes/{node}/qemu/{vmid}/status/reboot: method is not in this API",
    );
    const json = run("--api-schema", file, "--json");
    expect(json.status).toBe(1);
    const parsed = JSON.parse(json.stdout) as { problems: { tool: string }[] };
    expect(parsed.problems.map((p) => p.tool)).toContain("shutdown_container");
  });

  test("--demo checks against the simulated cluster's own schema", () => {
    const r = run("--demo");
    expect(r.stdout).toContain("API schema of PVE 9.1.3 from the demo cluster");
    expect(r.stdout).toMatch(/tools checked/);
  });
});
