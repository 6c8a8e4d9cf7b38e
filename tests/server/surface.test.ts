// The tool surface a client receives: the curated default within its budget (at most 40 tools
// and 50,000 bytes of tools/list), the `seed` preset's exact 103 names, `all`, and discovery
// that is consistent: what list_toolsets offers can be enabled and then called, nothing else.

import { afterEach, describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ToolListChangedNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import { isAppOnly } from "../../src/server/catalog.ts";
import { OPEN_POLICY, type ToolPolicy } from "../../src/server/policy.ts";
import { surfaceCost } from "../../src/server/surface.ts";
import { lazyToolSource } from "../../src/server/tool-source.ts";
import { UI_EXTENSION } from "../../src/server/ui-resources.ts";
import { ALL_TOOLS, TOOLSETS, type ToolsetInfo } from "../../src/tools/index.ts";
import { type Harness, type HarnessOptions, startHarness } from "../support/harness.ts";

const MAX_TOOLS = 40;
const MAX_BYTES = 50_000;

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const open = async (policy: Partial<ToolPolicy>, options: HarnessOptions = {}) => {
  h = await startHarness({ ...options, server: { policy: { ...OPEN_POLICY, ...policy } } });
  return h;
};
const listed = async (x: Harness) => (await x.client.listTools()).tools;
const names = async (x: Harness) => (await listed(x)).map((t) => t.name).sort();

const SEED_NAMES = readFileSync(join(import.meta.dir, "../contract/seed-tools.txt"), "utf8")
  .split("\n")
  .map((line) => line.trim().split(/\s+/)[0] ?? "")
  .filter(Boolean);

describe("the default surface", () => {
  test(`lists at most ${MAX_TOOLS} tools in at most ${MAX_BYTES} bytes, discovery included`, async () => {
    const x = await open({ toolsets: ["default"] });
    const tools = await listed(x);
    const bytes = Buffer.byteLength(JSON.stringify(tools));
    expect(tools.length).toBeLessThanOrEqual(MAX_TOOLS);
    expect(bytes).toBeLessThanOrEqual(MAX_BYTES);
    expect(tools.map((t) => t.name)).toEqual(
      expect.arrayContaining(["list_toolsets", "enable_toolset", "show_cluster", "start_vm"]),
    );
  });

  test("a host with MCP Apps also gets the view-only tools, which its model never sees", async () => {
    const x = await open(
      { toolsets: ["default"] },
      { capabilities: { extensions: UI_EXTENSION } as never },
    );
    const tools = await listed(x);
    const appOnly = tools.filter((t) => isAppOnly(t as never));
    expect(appOnly.map((t) => t.name).sort()).toEqual([
      "view_cluster",
      "view_guest",
      "view_task_log",
      "view_trends",
    ]);
    const forModel = tools.filter((t) => !isAppOnly(t as never));
    expect(forModel.length).toBeLessThanOrEqual(MAX_TOOLS);
    expect(Buffer.byteLength(JSON.stringify(forModel))).toBeLessThanOrEqual(MAX_BYTES);
  });

  test("is made of the toolsets marked default, plus the discovery tools", async () => {
    const x = await open({ toolsets: ["default"] });
    const defaults = new Set<string>(TOOLSETS.filter((t) => t.default).map((t) => t.id));
    const expected = ALL_TOOLS.filter(
      (t) => (defaults.has(t.toolset) || t.toolset === "discovery") && !t.ui?.appOnly,
    ).map((t) => t.name);
    expect(await names(x)).toEqual(expected.sort());
  });
});

describe("presets", () => {
  test("seed lists exactly the 103 tools of proxmox-mcp-rs, and no discovery tools", async () => {
    expect(SEED_NAMES).toHaveLength(103);
    const x = await open({ toolsets: ["seed"] });
    expect(await names(x)).toEqual([...SEED_NAMES].sort());
  });

  test("seed in lazy mode starts with the discovery tools, as the seed's lazy mode did", async () => {
    const x = await open({ toolsets: ["seed"], lazy: true });
    expect(await names(x)).toEqual(["enable_toolset", "list_toolsets"]);
  });

  test("all lists every tool a client without views may call", async () => {
    const x = await open({ toolsets: ["all"] });
    expect(await names(x)).toEqual(
      ALL_TOOLS.filter((t) => !t.ui?.appOnly)
        .map((t) => t.name)
        .sort(),
    );
  });
});

describe("discovery", () => {
  test("list_toolsets offers every toolset but the opt-in ones; each can be enabled and called", async () => {
    const x = await open({ toolsets: ["default"] });
    let changes = 0;
    x.client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
      changes++;
    });
    const { toolsets } = await x.ok<{
      toolsets: { toolset: string; tools: string[]; enabled: boolean }[];
    }>("list_toolsets");
    const ids = toolsets.map((t) => t.toolset);
    expect(ids).not.toContain("console");
    expect(ids).not.toContain("api");
    expect(ids).not.toContain("discovery");
    const sets: readonly ToolsetInfo[] = TOOLSETS;
    for (const t of sets.filter((t) => !t.optIn && t.id !== "discovery")) {
      expect(ids).toContain(t.id);
    }
    const lifecycle = toolsets.find((t) => t.toolset === "lifecycle");
    expect(lifecycle).toMatchObject({ enabled: false });
    expect(await names(x)).not.toContain("get_next_vmid");
    const result = await x.ok<{ added_tools: string[] }>("enable_toolset", {
      toolsets: ["lifecycle"],
    });
    expect(result.added_tools.sort()).toEqual([...(lifecycle?.tools ?? [])].sort());
    expect(await names(x)).toContain("get_next_vmid");
    expect(await x.ok("get_next_vmid")).toMatchObject({ vmid: 106, free: true });
    await x.client.ping(); // messages arrive in order: a notification sent before is in
    expect(changes).toBe(1);
  });

  test("an unknown toolset is an error naming the valid ones, and changes nothing", async () => {
    const x = await open({ toolsets: ["default"] });
    const before = await names(x);
    const text = await x.fails("enable_toolset", { toolsets: ["vms"] });
    expect(text).toContain("toolsets.0");
    expect(text).toContain('"lifecycle"');
    expect(text).toContain('"power_extra"');
    expect(await names(x)).toEqual(before);
  });

  test("an opt-in toolset is the administrator's to enable; named in the settings, it is listed", async () => {
    let x = await open({ toolsets: ["default"] });
    const text = await x.fails("enable_toolset", { toolsets: ["api"] });
    expect(text).toContain('toolset "api" is not offered by this server');
    expect(await names(x)).not.toContain("proxmox_api");
    expect(await x.fails("describe_api", { query: "nodes" })).toContain(
      'its toolset "api" is opt-in',
    );
    await x.close();
    x = await open({ toolsets: ["default", "api"] });
    expect(await names(x)).toContain("describe_api");
  });

  test("enabling a toolset that is listed already adds nothing and announces nothing", async () => {
    const x = await open({ toolsets: ["default"] });
    let changes = 0;
    x.client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
      changes++;
    });
    const r = await x.ok<{ added_tools: string[] }>("enable_toolset", { toolsets: ["power"] });
    expect(r.added_tools).toEqual([]);
    // A change that is announced, after it: its notification is the first to arrive.
    await x.ok("enable_toolset", { toolsets: ["lifecycle"] });
    await x.client.ping(); // messages arrive in order: a notification sent before is in
    expect(changes).toBe(1);
  });
});

describe("proxmox-mcp tools: what a configuration costs", () => {
  const main = join(import.meta.dir, "../../src/main.ts");
  const run = (args: string[], env: Record<string, string> = {}, cwd?: string) =>
    spawnSync(process.execPath, [main, "tools", ...args], {
      encoding: "utf8",
      cwd,
      env: { ...process.env, PROXMOX_HOST: "", PROXMOX_CONFIG: "", PROXMOX_TOOLSETS: "", ...env },
    });
  const jsonNames = (stdout: string) =>
    (JSON.parse(stdout) as { tools: { name: string }[] }).tools.map((t) => t.name).sort();

  test("the default: tools, bytes and ~tokens, and what the model can enable", () => {
    const r = run([]);
    expect(r.status).toBe(0);
    const cost = surfaceCost(lazyToolSource().listed, { ...OPEN_POLICY, toolsets: ["default"] });
    expect(r.stdout).toContain(
      `${cost.listed.length} tools listed at start: ${cost.bytes.toLocaleString("en")} bytes of tools/list, ~${cost.tokens.toLocaleString("en")} tokens`,
    );
    expect(r.stdout).toContain("The model can enable");
    expect(r.stdout).toContain("lifecycle (5)");
  });

  test("flags, env and the config file choose the tools, as for the server", () => {
    const flags = run([
      "--toolsets",
      "tasks",
      "--read-only",
      "--exclude-tools",
      "list_toolsets",
      "--json",
    ]);
    expect(jsonNames(flags.stdout)).toEqual([
      "enable_toolset",
      "get_task_status",
      "list_tasks",
      "read_task_log",
      "wait_for_task",
    ]);
    const env = run(["--json"], { PROXMOX_TOOLSETS: "seed" });
    expect(jsonNames(env.stdout)).toEqual([...SEED_NAMES].sort());
    const dir = mkdtempSync(join(tmpdir(), "tools-"));
    writeFileSync(join(dir, "config.toml"), 'lazy_mode = true\ntoolsets = ["all"]\n');
    const file = run(["--config", join(dir, "config.toml")]);
    expect(file.stdout).toContain("2 tools listed at start");
  });

  test("an unknown toolset is refused with the valid names", () => {
    const r = run(["--toolsets", "vms"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('unknown toolset "vms"');
    expect(r.stderr).toContain("default, all, seed, discovery, cluster");
  });
});
