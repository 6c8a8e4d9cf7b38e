// The legacy SSE pair (GET /sse + POST /message) with the SDK's SSEClientTransport, and its wire
// format as the Rust seed's clients read it.

import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { SseReader } from "./sse-reader.ts";
import {
  bearer,
  type Fixture,
  initialize,
  rpcError,
  sseClient,
  startFixture,
  structured,
  TOKEN,
} from "./support.ts";

let f: Fixture;
beforeEach(async () => {
  f = await startFixture({}, { taskDurationMs: 400 });
});
afterEach(() => f.close());

const openStream = (path = "/sse", headers: Record<string, string> = bearer()) =>
  fetch(f.url(path), { headers: { Accept: "text/event-stream", ...headers } });

const post = (path: string, body: string, headers: Record<string, string> = bearer()) =>
  fetch(f.url(path), {
    method: "POST",
    headers: { "Content-Type": "application/json", ...headers },
    body,
  });

describe("legacy SSE", () => {
  test("the SDK's SSE client: initialize, tools/list, start_vm", async () => {
    const client = await sseClient(f.url("/sse"));
    const { tools } = await client.listTools();
    expect(tools.length).toBeGreaterThan(10);
    const result = structured<{ task_status: string; vmid: number }>(
      await client.callTool({ name: "start_vm", arguments: { vmid: 102 } }),
    );
    expect(result).toMatchObject({ vmid: 102, task_status: "ok" });
    expect(f.mock.state.guests.get(102)?.status).toBe("running");
    await client.close();
  });

  test("the SDK's SSE client gets progress while a task runs (wait_for_task on a migration)", async () => {
    const client = await sseClient(f.url("/sse"));
    const upid = await f.pve.post<string>("/nodes/pve1/qemu/100/migrate", {
      target: "pve2",
      online: true,
    });
    const progress: string[] = [];
    const result = structured<{ exitstatus: string }>(
      await client.callTool({ name: "wait_for_task", arguments: { upid } }, undefined, {
        onprogress: (p) => progress.push(p.message ?? ""),
      }),
    );
    expect(result.exitstatus).toBe("OK");
    expect(progress.some((m) => m.includes("migration"))).toBe(true);
    await client.close();
  });

  test("on the wire, progress events come before the answer on the stream", async () => {
    // The SDK's SSE client handles a notification a microtask after a response that arrives in
    // the same chunk, so it can drop the last progress; the wire shows what the server sends.
    const stream = new SseReader(await openStream());
    const endpoint = (await stream.next())?.data as string;
    const call = {
      jsonrpc: "2.0",
      id: 3,
      method: "tools/call",
      params: { name: "start_container", arguments: { vmid: 201 }, _meta: { progressToken: "p" } },
    };
    expect((await post(endpoint, JSON.stringify(call))).status).toBe(202);
    const methods: string[] = [];
    for (;;) {
      const m = await stream.message();
      if (m.id === 3) break;
      methods.push(`${m.method}:${(m.params as { progressToken?: string }).progressToken}`);
    }
    expect(methods).toContain("notifications/progress:p");
    await stream.cancel();
  });

  test("the stream opens with the endpoint event; answers come as message events", async () => {
    const res = await openStream();
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/event-stream");
    const stream = new SseReader(res);
    const first = await stream.next();
    expect(first?.event).toBe("endpoint");
    expect(first?.data).toMatch(/^\/message\?session_id=[0-9a-f-]{36}$/);
    const id = new URL(first?.data as string, f.url("/")).searchParams.get("session_id") as string;
    expect(f.server.sessions.get(id)?.kind).toBe("sse");

    for (const path of [`/message?session_id=${id}`, `/messages?session_id=${id}`]) {
      const accepted = await post(
        path,
        initialize("2024-11-05").replace('"id":1', `"id":"${path}"`),
      );
      expect(accepted.status).toBe(202);
      const answer = await stream.message();
      expect(answer.id).toBe(path);
      expect((answer.result as { protocolVersion: string }).protocolVersion).toBeString();
    }
    await stream.cancel();
    // The client went away: its session goes too.
    while (f.server.sessions.get(id)) await Bun.sleep(20);
  });

  test("keep-alive comments flow while the stream is idle", async () => {
    const g = await startFixture({ keepAliveMs: 50 });
    try {
      const res = await fetch(g.url("/sse"), { headers: bearer() });
      const stream = new SseReader(res);
      expect((await stream.next())?.event).toBe("endpoint");
      expect((await stream.next())?.comment).toBe("keepalive");
      await stream.cancel();
    } finally {
      await g.close();
    }
  });

  test("an idle stream outlives the server's idle timeout", async () => {
    // The first keep-alive comes well past the idle timeout (Bun checks it every few seconds):
    // until then no byte moves, and the comment arriving shows the stream was kept.
    const g = await startFixture({ idleTimeoutSec: 1, keepAliveMs: 6000 });
    try {
      const res = await fetch(g.url("/sse"), { headers: bearer() });
      const stream = new SseReader(res);
      const endpoint = (await stream.next())?.data as string;
      expect((await stream.next())?.comment).toBe("keepalive");
      const accepted = await fetch(new URL(endpoint, g.url("/")), {
        method: "POST",
        headers: { "Content-Type": "application/json", ...bearer() },
        body: '{"jsonrpc":"2.0","id":7,"method":"ping"}',
      });
      expect(accepted.status).toBe(202);
      expect((await stream.message()).id).toBe(7);
      await stream.cancel();
    } finally {
      await g.close();
    }
  });

  test("a client authenticated by ?token= gets an endpoint that carries it", async () => {
    const res = await openStream(`/sse?token=${TOKEN}`, {});
    expect(res.status).toBe(200);
    const stream = new SseReader(res);
    const endpoint = (await stream.next())?.data as string;
    expect(new URL(endpoint, f.url("/")).searchParams.get("token")).toBe(TOKEN);
    const accepted = await post(endpoint, '{"jsonrpc":"2.0","id":"q","method":"ping"}', {});
    expect(accepted.status).toBe(202);
    expect((await stream.message()).id).toBe("q");
    await stream.cancel();
  });

  test("a header-authenticated client's endpoint carries no token", async () => {
    const stream = new SseReader(await openStream());
    const endpoint = (await stream.next())?.data as string;
    expect(endpoint).not.toContain("token");
    await stream.cancel();
  });

  test("unknown session 404, bad JSON -32700, not JSON-RPC -32600, wrong type 415", async () => {
    const unknown = await post(
      "/message?session_id=nope",
      '{"jsonrpc":"2.0","id":1,"method":"ping"}',
    );
    expect(unknown.status).toBe(404);
    expect((await rpcError(unknown)).code).toBe(-32001);

    const stream = new SseReader(await openStream());
    const endpoint = (await stream.next())?.data as string;
    const bad = await post(endpoint, "{not json");
    expect(bad.status).toBe(400);
    expect((await rpcError(bad)).code).toBe(-32700);
    const notRpc = await post(endpoint, '{"hello":"world"}');
    expect(notRpc.status).toBe(400);
    expect((await rpcError(notRpc)).code).toBe(-32600);
    const text = await fetch(new URL(endpoint, f.url("/")), {
      method: "POST",
      headers: { "Content-Type": "text/plain", ...bearer() },
      body: '{"jsonrpc":"2.0","id":1,"method":"ping"}',
    });
    expect(text.status).toBe(415);
    // The session survived all of it.
    expect((await post(endpoint, '{"jsonrpc":"2.0","id":5,"method":"ping"}')).status).toBe(202);
    expect((await stream.message()).id).toBe(5);
    await stream.cancel();
  });
});
