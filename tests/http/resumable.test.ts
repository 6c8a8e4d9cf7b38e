// Resumable Streamable HTTP: every event on a POST stream has an id and the first says `retry:`;
// a client whose connection drops mid-call comes back with Last-Event-ID and gets every message
// it missed, through to the call's answer. The legacy SSE stream is unchanged (no ids).

import { afterEach, expect, test } from "bun:test";
import { type SseEvent, SseReader } from "./sse-reader.ts";
import { bearer, type Fixture, initialize, mcpPost, startFixture } from "./support.ts";

let f: Fixture | undefined;
afterEach(async () => {
  await f?.close();
  f = undefined;
});

const VERSION = "2025-11-25";

async function session(x: Fixture): Promise<Record<string, string>> {
  const init = await mcpPost(x.url("/mcp"), initialize(VERSION));
  const id = init.headers.get("mcp-session-id") as string;
  await init.text();
  const headers = { "Mcp-Session-Id": id, "Mcp-Protocol-Version": VERSION };
  await mcpPost(x.url("/mcp"), '{"jsonrpc":"2.0","method":"notifications/initialized"}', headers);
  return headers;
}

const cloneCall = JSON.stringify({
  jsonrpc: "2.0",
  id: 7,
  method: "tools/call",
  params: { name: "clone_vm", arguments: { vmid: 100, newid: 170 }, _meta: { progressToken: 1 } },
});

const messageOf = (e: SseEvent) =>
  e.data ? (JSON.parse(e.data) as { id?: number; method?: string; result?: unknown }) : undefined;

test("a POST stream opens with an id and retry:, and every message has an id", async () => {
  f = await startFixture();
  const headers = await session(f);
  const res = await mcpPost(f.url("/mcp"), '{"jsonrpc":"2.0","id":2,"method":"ping"}', headers);
  const reader = new SseReader(res);
  const priming = (await reader.next()) as SseEvent;
  expect(priming.id).toMatch(/^\d+$/);
  expect(priming.retry).toBe(1000);
  expect(priming.data ?? "").toBe("");
  const answer = (await reader.next()) as SseEvent;
  expect(Number(answer.id)).toBeGreaterThan(Number(priming.id));
  expect(messageOf(answer)).toMatchObject({ id: 2, result: {} });
});

test("a stream resumed after a dropped connection loses no message", async () => {
  f = await startFixture({}, { taskDurationMs: 1500 });
  const headers = await session(f);
  const dropped = new AbortController();
  const res = await fetch(f.url("/mcp"), {
    method: "POST",
    headers: {
      ...bearer(),
      ...headers,
      "Content-Type": "application/json",
      Accept: "application/json, text/event-stream",
    },
    body: cloneCall,
    signal: dropped.signal,
  });
  const first = new SseReader(res);
  const before: SseEvent[] = [];
  // Read the priming event and two progress notifications, then the connection drops.
  while (before.filter((e) => messageOf(e)?.method === "notifications/progress").length < 2) {
    const e = await first.next();
    if (e?.id) before.push(e);
  }
  dropped.abort();
  await first.cancel().catch(() => {});

  const last = before.at(-1)?.id as string;
  const resumed = await fetch(f.url("/mcp"), {
    headers: { ...bearer(), ...headers, Accept: "text/event-stream", "Last-Event-ID": last },
  });
  expect(resumed.status).toBe(200);
  const second = new SseReader(resumed);
  const after: SseEvent[] = [];
  for (let e = await second.next(); e; e = await second.next()) {
    if (!e.id) continue;
    after.push(e);
    if (messageOf(e)?.id === 7) break; // the answer ends the call's stream
  }
  await second.cancel().catch(() => {});

  // Ids run on without a gap from the priming event to the answer: nothing was lost or repeated.
  const ids = [...before, ...after].map((e) => Number(e.id));
  expect(ids).toEqual(ids.map((_, i) => (ids[0] as number) + i));
  const answer = messageOf(after.at(-1) as SseEvent) as {
    result: { structuredContent: Record<string, unknown> };
  };
  expect(answer.result.structuredContent).toMatchObject({ vmid: 170, task_status: "ok" });
  const progress = [...before, ...after]
    .map(messageOf)
    .filter((m) => m?.method === "notifications/progress")
    .map((m) => (m as unknown as { params: { progress: number } }).params.progress);
  expect(progress).toEqual([...progress].sort((a, b) => a - b));
});

test("the legacy SSE stream carries no event ids", async () => {
  f = await startFixture();
  const res = await fetch(f.url("/sse"), { headers: bearer() });
  const reader = new SseReader(res);
  const endpoint = (await reader.next()) as SseEvent;
  expect(endpoint.event).toBe("endpoint");
  expect(endpoint.id).toBeUndefined();
  const post = await fetch(new URL(endpoint.data ?? "", f.server.origin), {
    method: "POST",
    headers: { ...bearer(), "Content-Type": "application/json" },
    body: initialize("2024-11-05"),
  });
  expect(post.status).toBe(202);
  let answer = await reader.next();
  while (answer?.comment !== undefined) answer = await reader.next();
  expect(answer?.event).toBe("message");
  expect(answer?.id).toBeUndefined();
  expect(answer?.retry).toBeUndefined();
  await reader.cancel();
});
