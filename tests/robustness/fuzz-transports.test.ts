// Hostile bytes at both transports: the stdio server (`bun src/main.ts --demo`, one process for
// the whole file) and the HTTP server (startHttpServer on loopback). Truncated and invalid JSON,
// JSON that is not JSON-RPC, batches, unknown methods, odd ids, oversize bodies: every request
// that can be answered gets a proper JSON-RPC answer, nothing reaches Proxmox, the server stays
// up and a real client still works afterwards.

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import fc from "fast-check";
import {
  bearer,
  configFrom,
  type Fixture,
  initialize,
  mcpPost,
  startFixture,
  streamableClient,
} from "../http/support.ts";
import { TRAVERSAL } from "./arbitraries.ts";

const RUNS = Number(process.env.FUZZ_RUNS ?? 40);

type Message = Record<string, unknown> & {
  id?: unknown;
  error?: { code: number; message: string };
  result?: unknown;
};

const request = (id: number | string, method: string, params?: unknown) =>
  JSON.stringify({ jsonrpc: "2.0", id, method, ...(params === undefined ? {} : { params }) });

/** A line a broken or hostile client might send, and what it must get back. */
type Hostile = { line: string; expect: "nothing" | "error-null" | "answer"; id?: number };

function hostileLines(nextId: () => number): fc.Arbitrary<Hostile> {
  // JSON-RPC params are structured: anything but an object makes the message invalid, except
  // null, which the server reads as absent (scripted clients send it).
  const answered = (method: string, params?: unknown) =>
    fc.constant(null).map(() => {
      const id = nextId();
      const valid =
        params === undefined || params === null || (isObject(params) && !("_meta" in params));
      return { line: request(id, method, params), expect: valid ? "answer" : "error-null", id };
    }) as fc.Arbitrary<Hostile>;
  return fc.oneof(
    // Not JSON at all, or cut short.
    fc
      .string({ unit: "binary", minLength: 1, maxLength: 200 })
      .filter((s) => !s.includes("\n") && !s.includes("\r") && !isJson(s))
      .map((line) => ({ line, expect: "error-null" as const })),
    fc
      .nat({ max: 60 })
      .map((n) => ({
        line: request(7, "tools/list").slice(0, n + 1),
        expect: "error-null" as const,
      }))
      .filter((h) => !isJson(h.line)),
    // JSON, but not a JSON-RPC message: arrays (batches), scalars, wrong version, bad ids.
    fc
      .constantFrom(
        "null",
        "42",
        '"ping"',
        "[]",
        "{}",
        '[{"jsonrpc":"2.0","id":1,"method":"ping"}]',
        '[{"jsonrpc":"2.0","id":1,"method":"ping"},{"jsonrpc":"2.0","id":2,"method":"ping"}]',
        '{"jsonrpc":"1.0","id":3,"method":"ping"}',
        '{"id":3,"method":"ping"}',
        '{"jsonrpc":"2.0","id":{"a":1},"method":"ping"}',
        '{"jsonrpc":"2.0","id":[1],"method":"ping"}',
        '{"jsonrpc":"2.0","id":3,"method":42}',
      )
      .map((line) => ({ line, expect: "error-null" as const })),
    // Requests with an id: each gets its answer, an error for what is wrong.
    fc
      .constantFrom("foo/bar", "tools/delete", "resources/destroy", "", "../../access")
      .chain((m) => answered(m)),
    fc
      .record({ name: fc.oneof(fc.string(), fc.constantFrom(...TRAVERSAL), fc.integer()) })
      .chain((params) => answered("tools/call", params)),
    fc
      .anything({ maxDepth: 2 })
      .chain((args) => answered("tools/call", { name: "get_vm_config", arguments: args })),
    fc.anything({ maxDepth: 2 }).chain((params) => answered("tools/list", params)),
    fc.anything({ maxDepth: 2 }).chain((params) => answered("ping", params)),
    // Notifications (no id): no answer, no harm.
    fc
      .constantFrom("notifications/cancelled", "notifications/unknown", "notifications/initialized")
      .map((method) => ({
        line: JSON.stringify({ jsonrpc: "2.0", method, params: { requestId: 999 } }),
        expect: "nothing" as const,
      })),
  );
}

const isObject = (v: unknown): v is object =>
  v !== null && typeof v === "object" && !Array.isArray(v);

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** A JSON-RPC error as the spec has it: integer code, text message. */
function expectRpcError(m: Message | undefined): void {
  expect(Number.isInteger(m?.error?.code)).toBe(true);
  expect(typeof m?.error?.message).toBe("string");
}

describe("stdio", () => {
  let proc: ReturnType<typeof Bun.spawn>;
  const messages: Message[] = [];
  const noise: string[] = [];
  let ids = 1000;
  const nextId = () => ++ids;

  const write = (line: string) => {
    const stdin = proc.stdin as import("bun").FileSink;
    stdin.write(`${line}\n`);
    stdin.flush();
  };
  /** Waits for the answer to `id` (the test's timeout bounds this). */
  async function answer(id: number): Promise<Message> {
    for (;;) {
      const found = messages.find((m) => m.id === id);
      if (found) return found;
      if (proc.exitCode !== null) throw new Error(`the server exited (${proc.exitCode})`);
      await Bun.sleep(5);
    }
  }

  beforeAll(async () => {
    proc = Bun.spawn([process.execPath, "src/main.ts", "--demo"], {
      stdin: "pipe",
      stdout: "pipe",
      stderr: "ignore",
    });
    void (async () => {
      const decoder = new TextDecoder();
      let buffer = "";
      for await (const chunk of proc.stdout as ReadableStream<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        const lines = buffer.split("\n");
        buffer = lines.pop() ?? "";
        for (const line of lines) {
          try {
            messages.push(JSON.parse(line));
          } catch {
            noise.push(line); // anything but JSON-RPC on stdout breaks a real client
          }
        }
      }
    })();
    write(
      request(1, "initialize", {
        protocolVersion: "2025-06-18",
        capabilities: {},
        clientInfo: { name: "fuzz", version: "1" },
      }),
    );
    await answer(1);
    write(JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }));
  });
  afterAll(async () => {
    proc.kill();
    await proc.exited;
  });

  test("every hostile line gets its JSON-RPC answer (or none for a notification)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(hostileLines(nextId), { minLength: 1, maxLength: 4 }),
        async (batch) => {
          const seen = messages.length;
          for (const h of batch) write(h.line);
          const ping = nextId();
          write(request(ping, "ping"));
          expect((await answer(ping)).result).toEqual({});
          // Lines are read in order: everything they caused is out before the ping's answer.
          const caused = messages.slice(seen).filter((m) => m.id !== ping);
          for (const h of batch) {
            if (h.expect === "answer") {
              const a = await answer(h.id as number);
              if (a.error) expectRpcError(a);
              else expect(a.result).toBeDefined();
            }
          }
          const nullErrors = caused.filter((m) => m.id === null);
          expect(nullErrors.length).toBe(batch.filter((h) => h.expect === "error-null").length);
          for (const e of nullErrors) expectRpcError(e);
          expect(noise).toEqual([]);
        },
      ),
      { numRuns: RUNS },
    );
  });

  test("a 1 MB line and a tool call with 1 MB arguments are answered; then a real call works", async () => {
    const id = nextId();
    write(
      request(id, "tools/call", {
        name: "get_vm_config",
        arguments: { vmid: "x".repeat(1 << 20) },
      }),
    );
    const a = await answer(id);
    expect(a.error ?? (a.result as { isError?: boolean }).isError).toBeTruthy();
    write(`{"junk":"${"y".repeat(1 << 20)}"}`);
    const call = nextId();
    write(request(call, "tools/call", { name: "list_nodes", arguments: {} }));
    const ok = (await answer(call)).result as { isError?: boolean; structuredContent?: unknown };
    expect(ok.isError).toBeFalsy();
    expect(ok.structuredContent).toBeDefined();
    expect(proc.exitCode).toBeNull();
  });
});

describe("HTTP", () => {
  let f: Fixture;
  let session: Record<string, string>;
  beforeAll(async () => {
    // A small body limit: oversize bodies are cheap to build.
    f = await startFixture({ maxBodyBytes: 64 * 1024 });
    const init = await mcpPost(f.url("/mcp"), initialize());
    await init.text();
    session = {
      "Mcp-Session-Id": init.headers.get("mcp-session-id") as string,
      "Mcp-Protocol-Version": "2025-06-18",
    };
    await (
      await mcpPost(
        f.url("/mcp"),
        JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }),
        session,
      )
    ).text();
  });
  afterAll(() => f.close());

  /** The JSON-RPC messages of an answer, JSON or SSE. */
  async function messagesOf(res: Response): Promise<Message[]> {
    const text = await res.text();
    if (!text) return [];
    if ((res.headers.get("content-type") ?? "").includes("text/event-stream")) {
      return text
        .split("\n")
        .filter((l) => l.startsWith("data: "))
        .map((l) => JSON.parse(l.slice(6)));
    }
    const body = JSON.parse(text);
    return Array.isArray(body) ? body : [body];
  }

  test("hostile bodies get JSON-RPC errors or answers; nothing reaches Proxmox", async () => {
    let ids = 5000;
    f.mock.requests.length = 0;
    await fc.assert(
      fc.asyncProperty(
        hostileLines(() => ++ids),
        async (h) => {
          const res = await mcpPost(f.url("/mcp"), h.line, session);
          const out = await messagesOf(res);
          if (h.expect === "answer") {
            expect(res.status).toBe(200);
            const a = out.find((m) => m.id === h.id);
            if (a?.error) expectRpcError(a);
            else expect(a?.result).toBeDefined();
          } else if (h.expect === "error-null") {
            expect(res.status).toBe(400);
            expect(out).toHaveLength(1);
            expect(out[0]?.id).toBeNull();
            expectRpcError(out[0]);
          } else {
            expect(res.status).toBe(202);
          }
        },
      ),
      { numRuns: RUNS * 2 },
    );
    // Only get_vm_config with valid arguments may have looked anything up.
    expect(
      f.mock.requests.filter((r) => r.path !== "/cluster/resources" && !r.path.endsWith("/config")),
    ).toEqual([]);
  });

  test("batches: refused for MCP 2025-06-18 with -32600; an old client's small batch works", async () => {
    const pings = (n: number) =>
      JSON.stringify(
        Array.from({ length: n }, (_, i) => ({ jsonrpc: "2.0", id: 100 + i, method: "ping" })),
      );
    const refused = await mcpPost(f.url("/mcp"), pings(2), session);
    expect(refused.status).toBe(400);
    const [e] = await messagesOf(refused);
    expect(e?.error?.code).toBe(-32600);
    expect(e?.error?.message).toContain("batches are not part of MCP 2025-06-18");

    const old = { ...session, "Mcp-Protocol-Version": "2025-03-26" };
    const answered = await messagesOf(await mcpPost(f.url("/mcp"), pings(3), old));
    expect(answered.map((m) => m.id).sort()).toEqual([100, 101, 102]);
    const huge = await mcpPost(f.url("/mcp"), pings(101), old);
    expect(huge.status).toBe(400);
    expect((await messagesOf(huge))[0]?.error?.message).toContain("must not exceed 100");
    const empty = await mcpPost(f.url("/mcp"), "[]", old);
    expect([empty.status, (await messagesOf(empty))[0]?.error?.code]).toEqual([400, -32600]);

    // The legacy SSE transport (2024-11-05) keeps batches, with the same cap.
    const stream = await fetch(f.url("/sse"), { headers: bearer() });
    const reader = stream.body?.getReader() as ReadableStreamDefaultReader<Uint8Array>;
    const first = new TextDecoder().decode((await reader.read()).value);
    const endpoint = /data: (\S+)/.exec(first)?.[1] as string;
    const legacy = await fetch(f.url(endpoint), {
      method: "POST",
      headers: { ...bearer(), "Content-Type": "application/json" },
      body: pings(101),
    });
    expect(legacy.status).toBe(400);
    expect((await messagesOf(legacy))[0]?.error?.message).toContain("must not exceed 100");
    await reader.cancel();
  });

  test("oversize, declared or streamed: 413 with a JSON-RPC error, before anything is parsed", async () => {
    const big = request(9, "tools/call", {
      name: "list_vms",
      arguments: { name: "z".repeat(100_000) },
    });
    const declared = await mcpPost(f.url("/mcp"), big, session);
    expect(declared.status).toBe(413);
    expectRpcError((await messagesOf(declared))[0]);
    const streamed = await fetch(f.url("/mcp"), {
      method: "POST",
      headers: {
        ...session,
        ...bearer(),
        "Content-Type": "application/json",
        Accept: "application/json, text/event-stream",
      },
      body: new Blob([big]).stream(),
    });
    expect(streamed.status).toBe(413);
  });

  test("after all that: the same session, a new client, and /healthz all work", async () => {
    const res = await mcpPost(
      f.url("/mcp"),
      request(1, "tools/call", { name: "list_nodes", arguments: {} }),
      session,
    );
    const [a] = await messagesOf(res);
    expect(a?.result).toBeDefined();
    expect((a?.result as { isError?: boolean } | undefined)?.isError).toBeFalsy();
    const { client } = await streamableClient(f.url("/mcp"));
    expect((await client.listTools()).tools.length).toBeGreaterThan(10);
    await client.close();
    expect((await fetch(f.url("/healthz"))).status).toBe(200);
    expect(configFrom().maxBodyBytes).toBeGreaterThan(64 * 1024); // the default is larger
  });
});
