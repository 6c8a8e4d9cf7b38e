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
}, 30_000);
