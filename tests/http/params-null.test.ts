// `"params": null` over HTTP is read as absent, on Streamable HTTP and on the legacy SSE pair:
// scripted clients (the Rust seed's test client among them) send it for methods without params.

import { afterEach, expect, test } from "bun:test";
import { SseReader } from "./sse-reader.ts";
import { bearer, type Fixture, initialize, mcpPost, startFixture } from "./support.ts";

let f: Fixture | undefined;
afterEach(async () => {
  await f?.close();
  f = undefined;
});

const request = (id: number, method: string) =>
  JSON.stringify({ jsonrpc: "2.0", id, method, params: null });

/** The JSON-RPC message in a Streamable HTTP answer (SSE or JSON). */
async function answerOf(res: Response): Promise<Record<string, unknown>> {
  const text = await res.text();
  const data = text.includes("data: ")
    ? text
        .split("\n")
        .filter((l) => l.startsWith("data: ") && l.length > 7)
        .map((l) => l.slice(6))
        .at(-1)
    : text;
  return JSON.parse(data ?? "{}");
}

test("Streamable HTTP answers tools/list with params null", async () => {
  f = await startFixture();
  const init = await mcpPost(f.url("/mcp"), initialize("2025-06-18"));
  const session = init.headers.get("mcp-session-id") as string;
  await init.text();
  const headers = { "Mcp-Session-Id": session, "Mcp-Protocol-Version": "2025-06-18" };
  const notified = await mcpPost(
    f.url("/mcp"),
    JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized", params: null }),
    headers,
  );
  expect(notified.status).toBe(202);
  const answer = await answerOf(await mcpPost(f.url("/mcp"), request(2, "tools/list"), headers));
  expect((answer.result as { tools: unknown[] }).tools.length).toBeGreaterThan(10);
});

test("legacy SSE answers tools/list with params null", async () => {
  f = await startFixture();
  const res = await fetch(f.url("/sse"), { headers: bearer() });
  const reader = new SseReader(res);
  const endpoint = (await reader.next())?.data ?? "";
  const post = (body: string) =>
    fetch(new URL(endpoint, f?.server.origin), {
      method: "POST",
      headers: { ...bearer(), "Content-Type": "application/json" },
      body,
    });
  expect((await post(initialize("2024-11-05"))).status).toBe(202);
  await reader.message(); // initialize's answer
  expect((await post(request(2, "tools/list"))).status).toBe(202);
  const answer = (await reader.message()) as { id: number; result: { tools: unknown[] } };
  expect(answer.id).toBe(2);
  expect(answer.result.tools.length).toBeGreaterThan(10);
  await reader.cancel();
});
