// Who gets in: the bearer token, Host and Origin checks (with a reverse proxy's forwarded host),
// and requests that must be refused without harming the server: oversize, malformed, unknown.

import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { SSEClientTransport } from "@modelcontextprotocol/sdk/client/sse.js";
import {
  bearer,
  configFrom,
  type Fixture,
  initialize,
  mcpPost,
  rpcError,
  sseClient,
  startFixture,
  streamableClient,
  TOKEN,
} from "./support.ts";

let f: Fixture;
beforeEach(async () => {
  f = await startFixture({ maxBodyBytes: 64 * 1024 });
});
afterEach(() => f.close());

describe("bearer token", () => {
  test("missing or wrong: 401 with WWW-Authenticate: Bearer, on every MCP route", async () => {
    for (const [method, path] of [
      ["POST", "/mcp"],
      ["GET", "/mcp"],
      ["DELETE", "/mcp"],
      ["GET", "/sse"],
      ["POST", "/message?session_id=x"],
      ["POST", "/messages?session_id=x"],
    ] as const) {
      const none = await fetch(f.url(path), { method });
      expect(none.status).toBe(401);
      expect(none.headers.get("www-authenticate")).toStartWith("Bearer ");
      const wrong = await fetch(f.url(path), { method, headers: bearer("not-the-token") });
      expect(wrong.status).toBe(401);
      expect(wrong.headers.get("www-authenticate")).toContain('error="invalid_token"');
      expect(await wrong.text()).not.toContain(TOKEN);
    }
  });

  test("a token that is a prefix or an extension of the real one is refused", async () => {
    for (const token of [TOKEN.slice(0, -1), `${TOKEN}x`, "", TOKEN.toUpperCase()]) {
      expect((await mcpPost(f.url("/mcp"), initialize(), bearer(token))).status).toBe(401);
    }
  });

  test("accepted as a Bearer header and as the seed's ?token= parameter", async () => {
    expect((await mcpPost(f.url("/mcp"), initialize())).status).toBe(200);
    const query = await mcpPost(f.url(`/mcp?token=${TOKEN}`), initialize(), {
      Authorization: "",
    });
    expect(query.status).toBe(200);
  });

  test("the SDK clients fail to connect without the token and work with it", async () => {
    await expect(streamableClient(f.url("/mcp"), {})).rejects.toThrow();
    const sse = new Client({ name: "t", version: "1" });
    await expect(sse.connect(new SSEClientTransport(f.url("/sse")))).rejects.toThrow();
    const ok = await sseClient(f.url("/sse"));
    expect((await ok.listTools()).tools.length).toBeGreaterThan(0);
    await ok.close();
  });

  test("/healthz needs no token and shows no secret", async () => {
    const res = await fetch(f.url("/healthz"));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { proxmox: { state: string }; uptime_s: number };
    expect(body).toMatchObject({ status: "ok", name: "proxmox-mcp", version: "test" });
    expect(body.proxmox.state).toBe("ok");
    expect(body.uptime_s).toBeNumber();
    const text = JSON.stringify(body);
    for (const secret of [TOKEN, f.mock.credentials.tokenSecret, f.mock.url]) {
      expect(text).not.toContain(secret);
    }
  });
});

describe("Host and Origin (DNS rebinding)", () => {
  test("a foreign Host is refused on a loopback bind; loopback names pass", async () => {
    const port = f.server.port;
    const evil = await mcpPost(f.url("/mcp"), initialize(), { Host: `evil.example:${port}` });
    expect(evil.status).toBe(403);
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`]) {
      expect((await mcpPost(f.url("/mcp"), initialize(), { Host: host })).status).toBe(200);
    }
  });

  test("a foreign Origin is refused; a loopback origin passes and gets CORS headers", async () => {
    const evil = await mcpPost(f.url("/mcp"), initialize(), { Origin: "https://evil.example" });
    expect(evil.status).toBe(403);
    const local = await mcpPost(f.url("/mcp"), initialize(), { Origin: "http://localhost:6274" });
    expect(local.status).toBe(200);
    expect(local.headers.get("access-control-allow-origin")).toBe("http://localhost:6274");
    expect(local.headers.get("access-control-expose-headers")).toContain("Mcp-Session-Id");
    const preflight = await fetch(f.url("/mcp"), {
      method: "OPTIONS",
      headers: { Origin: "http://localhost:6274", "Access-Control-Request-Method": "POST" },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-headers")).toContain("Authorization");
  });

  describe("behind a reverse proxy", () => {
    let g: Fixture;
    beforeAll(async () => {
      g = await startFixture(
        configFrom({ http_auth_token: TOKEN, allowed_hosts: ["mcp.example.com"] }),
      );
    });
    afterAll(() => g.close());

    test("an allowed forwarded host passes (X-Forwarded-Host or Forwarded)", async () => {
      const cases: Record<string, string>[] = [
        { "X-Forwarded-Host": "mcp.example.com" },
        { Forwarded: 'for=10.0.0.1;host="mcp.example.com";proto=https' },
        { "X-Forwarded-Host": "mcp.example.com", Origin: "https://mcp.example.com" },
      ];
      for (const headers of cases) {
        expect((await mcpPost(g.url("/mcp"), initialize(), headers)).status).toBe(200);
      }
    });

    test("a forwarded host not listed is refused, and so is a foreign Host with a good one", async () => {
      const port = g.server.port;
      const cases: Record<string, string>[] = [
        { "X-Forwarded-Host": "evil.example" },
        { Forwarded: "host=evil.example" },
        { Host: `evil.example:${port}`, "X-Forwarded-Host": "mcp.example.com" },
        { "X-Forwarded-Host": "mcp.example.com", Origin: "https://evil.example" },
      ];
      for (const headers of cases) {
        expect((await mcpPost(g.url("/mcp"), initialize(), headers)).status).toBe(403);
      }
    });
  });
});

describe("bad requests are refused and the server carries on", () => {
  test("an oversize body gets 413, declared or streamed, on /mcp and /message", async () => {
    const big = JSON.stringify({
      jsonrpc: "2.0",
      id: 1,
      method: "ping",
      params: { pad: "x".repeat(100_000) },
    });
    const declared = await mcpPost(f.url("/mcp"), big);
    expect(declared.status).toBe(413);
    const streamed = await fetch(f.url("/mcp"), {
      method: "POST",
      headers: {
        ...bearer(),
        "Content-Type": "application/json",
        Accept: "application/json, text/event-stream",
      },
      body: new Blob([big]).stream(),
    });
    expect(streamed.status).toBe(413);

    const stream = await fetch(f.url("/sse"), { headers: bearer() });
    const reader = stream.body?.getReader() as ReadableStreamDefaultReader<Uint8Array>;
    const first = new TextDecoder().decode((await reader.read()).value);
    const endpoint = /data: (\S+)/.exec(first)?.[1] as string;
    const viaMessage = await fetch(f.url(endpoint), {
      method: "POST",
      headers: { ...bearer(), "Content-Type": "application/json" },
      body: big,
    });
    expect(viaMessage.status).toBe(413);
    expect((await rpcError(viaMessage)).message).toContain("65536");
    await reader.cancel();
  });

  test("malformed JSON gets a JSON-RPC parse error (-32700)", async () => {
    const res = await mcpPost(f.url("/mcp"), "{oops");
    expect(res.status).toBe(400);
    expect((await rpcError(res)).code).toBe(-32700);
  });

  test("unknown session ids get 404 on POST, GET and DELETE", async () => {
    for (const method of ["POST", "GET", "DELETE"]) {
      const res = await fetch(f.url("/mcp"), {
        method,
        headers: {
          ...bearer(),
          "Mcp-Session-Id": "00000000-0000-0000-0000-000000000000",
          "Content-Type": "application/json",
          Accept: "application/json, text/event-stream",
        },
        body: method === "POST" ? '{"jsonrpc":"2.0","id":1,"method":"ping"}' : undefined,
      });
      expect(res.status).toBe(404);
    }
  });

  test("a request without a session that is not initialize opens none", async () => {
    const before = f.server.sessions.count();
    const res = await mcpPost(f.url("/mcp"), '{"jsonrpc":"2.0","id":1,"method":"tools/list"}');
    expect(res.status).toBe(400);
    expect(f.server.sessions.count()).toBe(before);
    const get = await fetch(f.url("/mcp"), {
      headers: { ...bearer(), Accept: "text/event-stream" },
    });
    expect(get.status).toBe(400);
  });

  test("unknown paths get 404, wrong methods 405", async () => {
    expect((await fetch(f.url("/nope"), { headers: bearer() })).status).toBe(404);
    expect((await fetch(f.url("/sse"), { method: "POST", headers: bearer() })).status).toBe(405);
  });

  test("after all that, a client still works", async () => {
    const { client } = await streamableClient(f.url("/mcp"));
    expect((await client.listTools()).tools.length).toBeGreaterThan(0);
    await client.close();
  });
});
