// A real MCP client connected (in memory) to the real server, whose Proxmox client talks over
// real HTTP to the mock. Every request the tools send is checked against the API schema (the
// official one, or the mock's own where a checkout lacks it: support/api-schema.ts), and every
// request a tool call sends against that tool's declared endpoints (ToolDef.endpoints); the run
// fails if any request is not in the PVE API or not declared. A harness is cheap (a few ms):
// start one per test, so that no test depends on what another did.

import { afterAll } from "bun:test";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import type { CallToolResult, ClientCapabilities } from "@modelcontextprotocol/sdk/types.js";
import {
  type MockOptions,
  type MockServer,
  type RecordedRequest,
  startMock,
} from "../../src/mock/index.ts";
import type { MockGuest } from "../../src/mock/state.ts";
import { ConsoleRegistry, type ConsoleSettings } from "../../src/pve/console/registry.ts";
import { createScope, PveClient, type ScopeSettings } from "../../src/pve/index.ts";
import { buildServer } from "../../src/server/build.ts";
import type { ServerOptions } from "../../src/server/options.ts";
import { eagerToolSource } from "../../src/server/tool-source.ts";
import { ALL_TOOLS } from "../../src/tools/index.ts";
import { checkRequest } from "./api-schema.ts";
import { CallRecorder, takeEndpointMismatches } from "./endpoint-check.ts";
import { sharedValidator } from "./shared-validator.ts";

export interface Harness {
  mock: MockServer;
  pve: PveClient;
  client: Client;
  /** The server's open consoles (closed with the harness). */
  consoles: ConsoleRegistry;
  /** Calls a tool; returns the raw result (isError, content, structuredContent). */
  call(name: string, args?: Record<string, unknown>): Promise<CallToolResult>;
  /** Calls a tool that must succeed; returns its structuredContent. */
  ok<T = Record<string, unknown>>(name: string, args?: Record<string, unknown>): Promise<T>;
  /** Calls a tool that must fail; returns its error text. */
  fails(name: string, args?: Record<string, unknown>): Promise<string>;
  /** A guest of the mock's state (throws when it does not exist). */
  guest(vmid: number): MockGuest;
  /** Requests the mock received since the last reset, without the auth and lookup noise. */
  writes(): RecordedRequest[];
  close(): Promise<void>;
}

export interface HarnessOptions {
  mock?: MockOptions;
  auth?: "token" | "ticket";
  taskWaitMs?: number;
  /** Policy, confirmation, audit… (default: every tool, no confirmation). */
  server?: Partial<ServerOptions>;
  /** The Proxmox client's scope (allowed_* settings, allow_node_admin); default: everything. */
  scope?: ScopeSettings;
  /** Client side: e.g. { elicitation: {} } to answer confirmations. */
  capabilities?: ClientCapabilities;
  /** Client options beyond capabilities (e.g. listChanged handlers). */
  readOnlyClient?: boolean;
  /** Proxmox client options to override (timeoutMs, ca, verifyTls…). */
  pveOptions?: Partial<ConstructorParameters<typeof PveClient>[0]>;
  /** Console limits to change (idle time, how many…). */
  consoles?: Partial<ConsoleSettings>;
}

const violations: string[] = [];

/** Checks a request against the API schema (reported after the run). */
export function recordConformance(req: RecordedRequest): void {
  violations.push(...checkRequest(req.method, req.path, req.params));
}

afterAll(() => {
  if (violations.length > 0) {
    const unique = [...new Set(violations)];
    violations.length = 0;
    throw new Error(`requests not in the PVE API schema:\n${unique.join("\n")}`);
  }
});

// Every tool call's requests must be among the tool's declared endpoints (ToolDef.endpoints).
afterAll(() => {
  const mismatches = takeEndpointMismatches();
  if (mismatches.length > 0) {
    throw new Error(
      `requests not declared in the calling tool's endpoints:\n${mismatches.join("\n")}`,
    );
  }
});

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const recorder = new CallRecorder();
  const mock = await startMock({
    tls: false,
    taskDurationMs: 60,
    ...options.mock,
    onRequest: (req) => {
      recordConformance(req);
      recorder.request(req);
      options.mock?.onRequest?.(req);
    },
  });
  const c = mock.credentials;
  const pve = new PveClient({
    origin: mock.url,
    verifyTls: true,
    timeoutMs: 10_000,
    user: c.user,
    ...(options.auth === "ticket"
      ? { password: c.password }
      : { tokenName: c.tokenId.split("!")[1], tokenValue: c.tokenSecret }),
    readOnly: options.readOnlyClient,
    scope: options.scope ? createScope(options.scope) : undefined,
    // The audit log's request lines come from the client's hook, as in the server (run.ts).
    audit: options.server?.audit,
    ...options.pveOptions,
  });
  const consoles = new ConsoleRegistry(() => pve, options.consoles);
  const server = buildServer({
    name: "proxmox-mcp",
    version: "test",
    tools: eagerToolSource(ALL_TOOLS),
    pve: () => pve,
    taskWaitMs: options.taskWaitMs ?? 10_000,
    consoles,
    ...options.server,
  });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const client = new Client(
    { name: "harness", version: "1.0.0" },
    { capabilities: options.capabilities ?? {}, jsonSchemaValidator: sharedValidator },
  );
  await server.connect(serverSide);
  await client.connect(clientSide);
  await client.listTools(); // lets the client validate structuredContent against outputSchema

  const call = (name: string, args: Record<string, unknown> = {}) =>
    recorder.around(
      name,
      async () => (await client.callTool({ name, arguments: args })) as CallToolResult,
    );
  const text = (r: CallToolResult) =>
    r.content.map((c) => (c.type === "text" ? c.text : "")).join("\n");

  return {
    mock,
    pve,
    client,
    consoles,
    call,
    async ok(name, args) {
      const r = await call(name, args);
      if (r.isError) throw new Error(`${name} failed: ${text(r)}`);
      return r.structuredContent as never;
    },
    async fails(name, args) {
      const r = await call(name, args);
      if (!r.isError)
        throw new Error(`${name} should have failed: ${JSON.stringify(r.structuredContent)}`);
      return text(r);
    },
    guest(vmid) {
      const g = mock.state.guests.get(vmid);
      if (!g) throw new Error(`the mock has no guest ${vmid}`);
      return g;
    },
    writes: () => mock.requests.filter((r) => r.method !== "GET" && r.path !== "/access/ticket"),
    async close() {
      consoles.closeAll();
      await client.close();
      await server.close();
      await mock.stop();
    },
  };
}
