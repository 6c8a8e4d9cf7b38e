// An HTTP server of ours in this process, on a free loopback port, whose Proxmox client talks to
// the mock over real HTTP; and real SDK clients connected to it over real sockets.

import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { SSEClientTransport } from "@modelcontextprotocol/sdk/client/sse.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { settingsSchema } from "../../src/config/index.ts";
import { type MockOptions, type MockServer, startMock } from "../../src/mock/index.ts";
import { ConsoleRegistry } from "../../src/pve/console/registry.ts";
import { PveClient } from "../../src/pve/index.ts";
import { type HttpServer, startHttpServer } from "../../src/server/http.ts";
import { type HttpConfig, httpConfig } from "../../src/server/http-config.ts";
import type { ServerOptions } from "../../src/server/options.ts";
import { eagerToolSource } from "../../src/server/tool-source.ts";
import { ALL_TOOLS } from "../../src/tools/index.ts";

export const TOKEN = "test-token-0123456789abcdef";

export interface Fixture {
  mock: MockServer;
  /** A Proxmox client of the mock, to arrange things the tools cannot. */
  pve: PveClient;
  server: HttpServer;
  /** http://127.0.0.1:PORT + path */
  url(path: string): URL;
  close(): Promise<void>;
}

/** Settings as a user would give them (http_port 0 = any free port), then resolved. */
export function configFrom(settings: Record<string, unknown> = {}): HttpConfig {
  return httpConfig(settingsSchema().parse({ http_port: 0, ...settings }));
}

export async function startFixture(
  config: Partial<HttpConfig> = {},
  mockOptions: MockOptions = {},
  serverOptions: Partial<ServerOptions> = {},
): Promise<Fixture> {
  const mock = await startMock({ tls: false, taskDurationMs: 60, ...mockOptions });
  const c = mock.credentials;
  const pve = new PveClient({
    origin: mock.url,
    verifyTls: true,
    timeoutMs: 10_000,
    user: c.user,
    tokenName: c.tokenId.split("!")[1],
    tokenValue: c.tokenSecret,
  });
  const server = await startHttpServer(
    {
      name: "proxmox-mcp",
      version: "test",
      tools: eagerToolSource(ALL_TOOLS),
      pve: () => pve,
      taskWaitMs: 10_000,
      consoles: new ConsoleRegistry(() => pve),
      ...serverOptions,
    },
    { ...configFrom({ http_auth_token: TOKEN }), ...config },
  );
  return {
    mock,
    pve,
    server,
    url: (path) => new URL(path, server.origin),
    async close() {
      await server.shutdown();
      await mock.stop();
    },
  };
}

export const bearer = (token = TOKEN) => ({ Authorization: `Bearer ${token}` });

export async function streamableClient(
  url: URL,
  headers: Record<string, string> = bearer(),
): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  const transport = new StreamableHTTPClientTransport(url, { requestInit: { headers } });
  const client = new Client({ name: "http-test", version: "1.0.0" });
  await client.connect(transport);
  return { client, transport };
}

export async function sseClient(
  url: URL,
  headers: Record<string, string> = bearer(),
): Promise<Client> {
  // requestInit's headers go on the GET stream and on every POST alike.
  const transport = new SSEClientTransport(url, { requestInit: { headers } });
  const client = new Client({ name: "sse-test", version: "1.0.0" });
  await client.connect(transport);
  return client;
}

export function structured<T = Record<string, unknown>>(result: unknown): T {
  const r = result as CallToolResult;
  if (r.isError) {
    throw new Error(r.content.map((c) => (c.type === "text" ? c.text : "")).join("\n"));
  }
  return r.structuredContent as T;
}

/** A raw MCP POST with the headers a Streamable HTTP client sends. */
export function mcpPost(
  url: URL,
  body: string,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(url, {
    method: "POST",
    headers: {
      ...bearer(),
      "Content-Type": "application/json",
      Accept: "application/json, text/event-stream",
      ...headers,
    },
    body,
  });
}

export const initialize = (protocolVersion = "2025-06-18") =>
  JSON.stringify({
    jsonrpc: "2.0",
    id: 1,
    method: "initialize",
    params: { protocolVersion, capabilities: {}, clientInfo: { name: "raw", version: "1" } },
  });

/** The JSON-RPC error of a refused HTTP request. */
export async function rpcError(res: Response): Promise<{ code: number; message: string }> {
  return ((await res.json()) as { error: { code: number; message: string } }).error;
}
