// The real entry point over stdio, as an MCP client launches it: `bun src/main.ts --demo`.

import { describe, expect, test } from "bun:test";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { exchange, initialize, initialized } from "../support/stdio.ts";

const entry = ["bun", "src/main.ts"];

describe("stdio server on the demo cluster", () => {
  test("an SDK client lists tools and calls one; logs stay off stdout", async () => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: ["src/main.ts", "--demo", "--log-level", "debug"],
      stderr: "pipe",
    });
    let stderr = "";
    transport.stderr?.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    const client = new Client({ name: "e2e", version: "1" });
    await client.connect(transport);
    try {
      expect(client.getServerCapabilities()?.logging).toBeDefined();
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toContain("list_vms");
      const r = await client.callTool({ name: "list_vms", arguments: { tag: "prod" } });
      expect(r.isError).toBeFalsy();
      const guests = (r.structuredContent as { guests: { vmid: number }[] }).guests;
      expect(guests.map((g) => g.vmid)).toEqual([100, 101]);
    } finally {
      await client.close();
    }
    expect(stderr).toContain("demo cluster running");
  });

  test("old clients (protocolVersion 0.1.0, 2024-11-05) get a supported version, not an error", async () => {
    for (const version of ["0.1.0", "2024-11-05"]) {
      const { messages } = await exchange(
        [...entry, "--demo"],
        [initialize(version), initialized, { jsonrpc: "2.0", id: 2, method: "tools/list" }],
        2,
      );
      const init = messages.find((m) => m.id === 1) as { result?: { protocolVersion: string } };
      expect(init.result?.protocolVersion).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      const list = messages.find((m) => m.id === 2) as { result?: { tools: unknown[] } };
      expect(list.result?.tools.length).toBeGreaterThan(10);
    }
  });

  test("a bad request does not crash the server; the next call still works", async () => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: ["src/main.ts", "--demo"],
    });
    const client = new Client({ name: "e2e", version: "1" });
    await client.connect(transport);
    try {
      await client.setLoggingLevel("warning");
      // A bad tool call must not crash the server; the next call still works. An unknown tool
      // is a protocol error (the spec's -32602), not a tool result.
      await expect(client.callTool({ name: "no_such_tool", arguments: {} })).rejects.toMatchObject({
        code: -32602,
      });
      const ok = await client.callTool({ name: "list_nodes", arguments: {} });
      expect(ok.isError).toBeFalsy();
    } finally {
      await client.close();
    }
  });

  test("missing host without --demo is a clear start-up error naming the setting", async () => {
    const proc = Bun.spawn([...entry], {
      stdin: "pipe",
      stdout: "pipe",
      stderr: "pipe",
      env: { PATH: process.env.PATH ?? "" },
    });
    proc.stdin.end();
    const [code, out, err] = await Promise.all([
      proc.exited,
      new Response(proc.stdout).text(),
      new Response(proc.stderr).text(),
    ]);
    expect(code).not.toBe(0);
    expect(out).toBe("");
    expect(err).toContain("--host");
  });

  test("settings reach the server: --read-only, --toolsets, and a typo in a toolset is refused", async () => {
    const { messages } = await exchange(
      [...entry, "--demo", "--read-only", "--toolsets", "guests,tasks"],
      [initialize("2025-06-18"), initialized, { jsonrpc: "2.0", id: 2, method: "tools/list" }],
      2,
    );
    const tools = (
      messages.find((m) => m.id === 2) as {
        result: { tools: { name: string; annotations: { readOnlyHint: boolean } }[] };
      }
    ).result.tools;
    expect(tools.map((t) => t.name)).toContain("list_vms");
    expect(tools.map((t) => t.name)).not.toContain("list_nodes");
    expect(tools.every((t) => t.annotations.readOnlyHint)).toBe(true);
    const bad = Bun.spawnSync([...entry, "--demo", "--toolsets", "gusts"], { stdin: "ignore" });
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr.toString()).toContain('unknown toolset "gusts"');
  });

  test("a malformed tools/call (name not a string, arguments not an object) gets -32602", async () => {
    const { messages } = await exchange(
      [...entry, "--demo"],
      [
        initialize("2025-06-18"),
        initialized,
        { jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: 123, arguments: {} } },
        {
          jsonrpc: "2.0",
          id: 3,
          method: "tools/call",
          params: { name: "list_nodes", arguments: "x" },
        },
      ],
      3,
    );
    for (const id of [2, 3]) {
      const answer = messages.find((m) => m.id === id) as { error?: { code: number } };
      expect(answer.error?.code).toBe(-32602);
    }
  });

  test("--version and --help", async () => {
    const version = Bun.spawnSync([...entry, "--version"])
      .stdout.toString()
      .trim();
    const pkg = await Bun.file("package.json").json();
    expect(version).toBe(pkg.version);
    const help = Bun.spawnSync([...entry, "--help"]).stdout.toString();
    for (const flag of ["--host", "--token-value", "--no-verify-ssl", "--demo", "--log-rotate"]) {
      expect(help).toContain(flag);
    }
  });
});
