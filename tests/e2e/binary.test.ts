// The compiled standalone executable (bun build --compile, as released): it must start, answer
// initialize and tools/list, and run a tool on its demo cluster. Minified bytecode builds break
// in ways the source never shows (e.g. module loading order), so this runs on every CI.

import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compile } from "../../scripts/build.ts";
import { exchange, initialize, initialized } from "../support/stdio.ts";

const dir = mkdtempSync(join(tmpdir(), "pmcp-e2e-"));
const binary = join(dir, "proxmox-mcp");

beforeAll(() => compile("src/main.ts", "host", binary), 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("--version prints the package version", async () => {
  const pkg = await Bun.file("package.json").json();
  expect(Bun.spawnSync([binary, "--version"]).stdout.toString().trim()).toBe(pkg.version);
});

test("answers initialize, tools/list and a tool call on the demo cluster", async () => {
  const { messages, stderr } = await exchange(
    [binary, "--demo"],
    [
      initialize("2025-06-18"),
      initialized,
      { jsonrpc: "2.0", id: 2, method: "tools/list" },
      {
        jsonrpc: "2.0",
        id: 3,
        method: "tools/call",
        params: { name: "list_vms", arguments: { tag: "prod" } },
      },
      {
        jsonrpc: "2.0",
        id: 4,
        method: "tools/call",
        params: { name: "start_vm", arguments: { vmid: 102 } },
      },
    ],
    4,
  );
  const byId = (id: number) =>
    messages.find((m) => m.id === id) as { result: Record<string, unknown> };
  expect((byId(1).result.serverInfo as { name: string }).name).toBe("proxmox-mcp");
  expect((byId(2).result.tools as unknown[]).length).toBeGreaterThan(10);
  const list = byId(3).result as {
    isError?: boolean;
    structuredContent: { guests: { vmid: number }[] };
  };
  expect(list.isError).toBeFalsy();
  expect(list.structuredContent.guests.map((g) => g.vmid)).toEqual([100, 101]);
  const start = byId(4).result as { isError?: boolean; structuredContent: { task_status: string } };
  expect(start.isError, stderr).toBeFalsy();
  expect(start.structuredContent.task_status).toBe("ok");
});

test("resources, prompts, completions and the raw API tools load in the compiled binary", async () => {
  // Their modules load on first use (dynamic imports): the minified build must still find them.
  const requests: [number, string, Record<string, unknown>?][] = [
    [2, "resources/list"],
    [3, "prompts/get", { name: "cluster_health_check" }],
    [
      4,
      "completion/complete",
      {
        ref: { type: "ref/prompt", name: "plan_maintenance" },
        argument: { name: "node", value: "pve" },
      },
    ],
    [5, "tools/call", { name: "describe_api", arguments: { path: "/cluster/resources" } }],
    [6, "resources/read", { uri: "ui://proxmox/cluster" }], // the embedded MCP Apps view
  ];
  const results: Record<number, Record<string, unknown>> = {};
  for (const [id, method, params] of requests) {
    const { messages, stderr } = await exchange(
      [binary, "--demo", "--toolsets", "all"],
      [initialize("2025-06-18"), initialized, { jsonrpc: "2.0", id, method, params }],
      id,
    );
    const answer = messages.find((m) => m.id === id) as { result?: Record<string, unknown> };
    expect(answer?.result, stderr).toBeDefined();
    results[id] = answer.result ?? {};
  }
  const uris = ((results[2]?.resources ?? []) as { uri: string }[]).map((r) => r.uri);
  expect(uris).toContain("pve://guests/100/config");
  const text = ((results[3]?.messages ?? []) as { content: { text: string } }[])[0]?.content.text;
  expect(text).toContain("`get_cluster_status`");
  expect(((results[4]?.completion ?? {}) as { values: string[] }).values).toEqual([
    "pve1",
    "pve2",
    "pve3",
  ]);
  const described = results[5] as {
    isError?: boolean;
    structuredContent: { endpoints: unknown[] };
  };
  expect(described.isError).toBeFalsy();
  expect(described.structuredContent.endpoints).toHaveLength(1);
  const [view] = (results[6]?.contents ?? []) as { mimeType: string; text: string }[];
  expect(view?.mimeType).toBe("text/html;profile=mcp-app");
  expect(view?.text).toBe(await Bun.file("src/ui/generated/cluster.html").text());
}, 60_000);
