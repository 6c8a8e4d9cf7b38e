// Oversized stdio lines are dropped with an error instead of ending the server.

import { describe, expect, test } from "bun:test";
import { boundedLines } from "../../src/server/stdio-lines.ts";
import { exchange, initialize, initialized } from "../support/stdio.ts";

async function run(limit: number, chunks: string[]) {
  const dropped: number[] = [];
  const stream = boundedLines(limit, (bytes) => dropped.push(bytes));
  const out: string[] = [];
  stream.on("data", (b: Buffer) => out.push(b.toString()));
  for (const c of chunks) stream.write(Buffer.from(c));
  stream.end();
  await new Promise((r) => stream.once("end", r));
  return { out, dropped };
}

describe("boundedLines", () => {
  test("passes whole lines, however the chunks cut them", async () => {
    const { out, dropped } = await run(100, ['{"a":', '1}\n{"b"', ":2}\n"]);
    expect(out).toEqual(['{"a":1}\n', '{"b":2}\n']);
    expect(dropped).toEqual([]);
  });

  test("drops a line over the limit and keeps the ones after it", async () => {
    const { out, dropped } = await run(10, ["short\n", "x".repeat(8), "y".repeat(30), "z\nok\n"]);
    expect(out).toEqual(["short\n", "ok\n"]);
    expect(dropped).toEqual([40]);
  });
});

test("the server answers an oversized line with an error and serves the next request", async () => {
  const big = { jsonrpc: "2.0", id: 7, method: "ping", params: { pad: "x".repeat(5000) } };
  const { messages } = await exchange(
    ["bun", "src/main.ts", "--demo", "--http-max-body-bytes", "2048"],
    [initialize("2025-06-18"), initialized, big, { jsonrpc: "2.0", id: 2, method: "ping" }],
    2,
  );
  const error = messages.find((m) => m.id === null) as { error: { code: number; message: string } };
  expect(error.error.code).toBe(-32600);
  expect(error.error.message).toContain("was dropped (limit 2048)");
  expect(messages.find((m) => m.id === 2)).toMatchObject({ result: {} });
  expect(messages.find((m) => m.id === 7)).toBeUndefined();
});
