// Bounded HTTP sessions: a limit per client and one overall, each answered 503 with Retry-After;
// idle sessions (Streamable HTTP and legacy SSE) end; a request body that stalls is cut (408).

import { afterEach, expect, test } from "bun:test";
import type { HttpConfig } from "../../src/server/http-config.ts";
import { SseReader } from "./sse-reader.ts";
import { bearer, type Fixture, initialize, mcpPost, rpcError, startFixture } from "./support.ts";

let f: Fixture | undefined;
afterEach(async () => {
  await f?.close();
  f = undefined;
});

async function open(config: Partial<HttpConfig>): Promise<Fixture> {
  f = await startFixture(config);
  return f;
}

/** Opens a Streamable HTTP session; returns its id, or the refusal. */
async function initSession(x: Fixture): Promise<{ id?: string; res: Response }> {
  const res = await mcpPost(x.url("/mcp"), initialize("2025-06-18"));
  return { id: res.headers.get("mcp-session-id") ?? undefined, res };
}

test("past the per-client limit a new session gets 503 with Retry-After; ending one frees a place", async () => {
  const x = await open({ maxSessionsPerClient: 2, maxSessions: 100 });
  const a = await initSession(x);
  const b = await initSession(x);
  expect([a.res.status, b.res.status]).toEqual([200, 200]);
  const sse = await fetch(x.url("/sse"), { headers: bearer() }); // the legacy pair counts too
  expect(sse.status).toBe(503);
  expect(sse.headers.get("retry-after")).toBe("5");
  expect((await rpcError(sse)).message).toContain("from this client (2)");
  const c = await initSession(x);
  expect(c.res.status).toBe(503);
  expect(c.id).toBeUndefined();

  const ended = await fetch(x.url("/mcp"), {
    method: "DELETE",
    headers: {
      ...bearer(),
      "Mcp-Session-Id": a.id as string,
      "Mcp-Protocol-Version": "2025-06-18",
    },
  });
  expect(ended.status).toBe(200);
  expect((await initSession(x)).res.status).toBe(200);
});

test("past the overall limit a new session gets 503 with Retry-After", async () => {
  const x = await open({ maxSessions: 1, maxSessionsPerClient: 10 });
  expect((await initSession(x)).res.status).toBe(200);
  const refused = await initSession(x);
  expect(refused.res.status).toBe(503);
  expect(refused.res.headers.get("retry-after")).toBe("5");
  expect((await rpcError(refused.res)).message).toBe("Too many open sessions (1); retry later");
  expect(x.server.sessions.count()).toBe(1);
});

test("idle sessions end, Streamable HTTP and legacy SSE alike", async () => {
  // Idle for a second: both sessions are counted well before the sweeper (every second) can
  // find them idle, on a loaded machine too.
  const x = await open({ sessionIdleMs: 1_000, keepAliveMs: 60_000 });
  const { id } = await initSession(x);
  const stream = await fetch(x.url("/sse"), { headers: bearer() });
  const reader = new SseReader(stream);
  expect((await reader.next())?.event).toBe("endpoint");
  expect(x.server.sessions.count()).toBe(2);
  // The sweeper closes both; the SSE stream then ends.
  while (await reader.next());
  while (x.server.sessions.count() > 0) await Bun.sleep(20);
  const gone = await mcpPost(x.url("/mcp"), '{"jsonrpc":"2.0","id":2,"method":"ping"}', {
    "Mcp-Session-Id": id as string,
  });
  expect(gone.status).toBe(404);
});

test("a request body that stalls is cut with 408 when its deadline passes", async () => {
  const x = await open({ bodyTimeoutMs: 300 });
  const { port } = x.server;
  const answer = await new Promise<string>((resolve, reject) => {
    let text = "";
    Bun.connect({
      hostname: "127.0.0.1",
      port,
      socket: {
        open(socket) {
          // Declares 200 bytes, sends 20, then nothing: a stuck or slowloris client.
          socket.write(
            "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
              `Authorization: Bearer ${bearer().Authorization.slice(7)}\r\n` +
              "Content-Type: application/json\r\nAccept: application/json, text/event-stream\r\n" +
              'Content-Length: 200\r\n\r\n{"jsonrpc":"2.0","i',
          );
        },
        data(_socket, data) {
          text += data.toString();
        },
        close() {
          resolve(text);
        },
        error(_socket, error) {
          reject(error);
        },
      },
    }).catch(reject);
  });
  expect(answer).toStartWith("HTTP/1.1 408");
  expect(answer).toContain("the body did not arrive within 0.3 s");
});
