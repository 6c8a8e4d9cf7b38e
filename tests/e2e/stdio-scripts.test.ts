// Scripted clients over stdio, as the Rust seed's documented test client and shell pipes talk:
// `"params": null` for methods without params, and every request written before stdin closes
// answered before the process exits.

import { expect, test } from "bun:test";
import { exchange, initialize, initialized } from "../support/stdio.ts";

const demo = ["bun", "src/main.ts", "--demo"];

test('"params": null is read as absent (the seed template\'s rpc() helper sends it)', async () => {
  const { messages } = await exchange(
    demo,
    [
      initialize("2024-11-05"),
      { ...initialized, params: null },
      { jsonrpc: "2.0", id: 2, method: "tools/list", params: null },
      { jsonrpc: "2.0", id: 3, method: "ping", params: null },
      { jsonrpc: "2.0", id: 4, method: "prompts/list", params: null },
    ],
    4,
  );
  const answer = (id: number) =>
    messages.find((m) => m.id === id) as { result?: unknown; error?: unknown };
  expect((answer(2).result as { tools: unknown[] }).tools.length).toBeGreaterThan(10);
  expect(answer(3).result).toEqual({});
  expect(answer(4).error).toBeUndefined();
  expect(messages.some((m) => m.id === null)).toBe(false);
});

test("requests written just before stdin closes are all answered before the exit", async () => {
  const proc = Bun.spawn(demo, { stdin: "pipe", stdout: "pipe", stderr: "ignore" });
  const lines = [
    initialize("2025-11-25"),
    initialized,
    { jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "list_nodes" } },
    {
      jsonrpc: "2.0",
      id: 3,
      method: "tools/call",
      params: { name: "clone_vm", arguments: { vmid: 100 } },
    },
  ];
  // The last line without its newline, as `printf` writes it.
  proc.stdin.write(lines.map((l) => JSON.stringify(l)).join("\n"));
  proc.stdin.end();
  const [code, out] = await Promise.all([proc.exited, new Response(proc.stdout).text()]);
  const messages = out
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as { id?: number; result?: Record<string, unknown> });
  expect(code).toBe(0);
  expect(messages.map((m) => m.id)).toEqual(expect.arrayContaining([1, 2, 3]));
  const clone = messages.find((m) => m.id === 3)?.result;
  expect(clone?.isError).toBeFalsy();
  expect(clone?.structuredContent).toMatchObject({ task_status: "ok" });
});
