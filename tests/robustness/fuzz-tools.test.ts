// Property-based: every tool of the registry gets random and hostile arguments derived from its
// own JSON input schema, through a real MCP client, against a throwaway mock per tool (no
// confirmation, so destructive tools really act on it). Whatever comes in, the answer is a
// result or an isError result (never a JSON-RPC failure or a crash); input the tool's schema
// refuses sends nothing to Proxmox; no request reaches an endpoint the input picked.
// FUZZ_RUNS=200 FUZZ_SEED=random bun test tests/robustness/fuzz-tools.test.ts explores deeper.

import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import {
  CallToolRequestSchema,
  type CallToolResult,
  type ClientCapabilities,
} from "@modelcontextprotocol/sdk/types.js";
import fc from "fast-check";
import { type MockServer, startMock } from "../../src/mock/index.ts";
import { PveClient } from "../../src/pve/index.ts";
import { listedTool } from "../../src/server/catalog.ts";
import { UI_EXTENSION } from "../../src/server/ui-resources.ts";
import type { ToolDef } from "../../src/tools/define.ts";
import { ALL_TOOLS } from "../../src/tools/index.ts";
import { type Harness, recordConformance, startHarness } from "../support/harness.ts";
import { argumentsOf, type JsonSchema, type Known } from "./arbitraries.ts";

const RUNS = Number(process.env.FUZZ_RUNS ?? 20);
/** A number replays a run; "random" explores (the failing seed is printed). */
const SEED = process.env.FUZZ_SEED;

function knownOf(mock: MockServer): Known {
  return {
    nodes: [...mock.state.nodes.keys(), "nope"],
    vmids: [...mock.state.guests.keys(), 999],
    storages: [...mock.state.storages.keys()],
    upids: mock.state.tasks.slice(0, 3).map((t) => t.upid),
    volids: mock.state.volumes.slice(0, 3).map((v) => v.volid),
  };
}

const preview = (args: unknown) => {
  const json = JSON.stringify(args) ?? String(args);
  return json.length > 300 ? `${json.slice(0, 300)}… (${json.length} chars)` : json;
};

/** One call and the invariants every answer must keep. */
async function callAndCheck(
  client: Client,
  mock: MockServer,
  tool: ToolDef,
  args: Record<string, unknown>,
) {
  // What the tool will see: JSON drops undefined and turns NaN into null; the SDK's request
  // schema then copies the arguments (a "__proto__" key sets the copy's prototype).
  const wire = JSON.parse(JSON.stringify(args)) as Record<string, unknown>;
  const request = CallToolRequestSchema.parse({
    method: "tools/call",
    params: { name: tool.name, arguments: wire },
  });
  const accepted = tool.input.safeParse(request.params.arguments).success;
  mock.requests.length = 0;
  let result: CallToolResult;
  try {
    result = (await client.callTool({ name: tool.name, arguments: args })) as CallToolResult;
  } catch (error) {
    throw new Error(`${tool.name}(${preview(args)}) failed as a call: ${(error as Error).message}`);
  }
  const text = result.content.map((c) => (c.type === "text" ? c.text : "")).join("\n");
  expect(result.content.length).toBeGreaterThan(0);
  if (result.isError) expect(text.length).toBeGreaterThan(0);
  else expect(result.structuredContent).toBeDefined();
  if (!accepted) {
    if (!result.isError || mock.requests.length > 0) {
      throw new Error(
        `${tool.name}(${preview(args)}): invalid input, yet isError=${result.isError} and ` +
          `${mock.requests.length} request(s) sent: ${text.slice(0, 200)}`,
      );
    }
    expect(text).toStartWith(`Invalid arguments for ${tool.name}; nothing was sent to Proxmox.`);
  }
  expect(text).not.toContain("failed unexpectedly");
  for (const r of mock.requests) {
    // 501: a path the API does not have; /access/ticket: never used with token auth.
    if (r.status === 501 || r.path === "/access/ticket") {
      throw new Error(`${tool.name}(${preview(args)}) reached ${r.method} ${r.path} (${r.status})`);
    }
  }
  expect(Object.keys(Object.prototype)).toEqual([]); // no prototype pollution
}

/** fc.assert, with the report cut short: a counterexample may hold a 1 MB string. */
async function holds<T>(property: fc.IAsyncProperty<T>, options: fc.Parameters<T>) {
  try {
    await fc.assert(property, options);
  } catch (error) {
    const cause = (error as Error).cause;
    const message = `${(error as Error).message}\n${cause instanceof Error ? cause.message : ""}`;
    throw new Error(message.length > 4000 ? `${message.slice(0, 4000)}… (cut)` : message);
  }
}

/** A fresh cluster for one tool: whatever its destructive calls do stays there. */
async function freshCluster(): Promise<{ mock: MockServer; pve: PveClient }> {
  const mock = await startMock({ tls: false, taskDurationMs: 60, onRequest: recordConformance });
  const pve = new PveClient({
    origin: mock.url,
    verifyTls: true,
    timeoutMs: 10_000,
    user: mock.credentials.user,
    tokenName: "mcp",
    tokenValue: mock.credentials.tokenSecret,
  });
  return { mock, pve };
}

/** Seeds per tool: runs are reproducible, and each tool gets its own stream of inputs. */
function seedFor(name: string): number {
  if (SEED === "random") return Date.now() ^ (Math.random() * 2 ** 31);
  let hash = Number(SEED ?? 0x5eed);
  for (const c of name) hash = (Math.imul(hash, 31) + c.charCodeAt(0)) | 0;
  return hash;
}

describe("every tool survives random and hostile arguments", () => {
  // A new server, client and cluster per tool.
  let cluster: { mock: MockServer; pve: PveClient } | undefined;
  let h: Harness;
  beforeEach(async () => {
    const pve = () => cluster?.pve as PveClient;
    // A host with MCP Apps: it lists (and so may call) the tools only views call, too.
    h = await startHarness({
      taskWaitMs: 0,
      server: { pve },
      capabilities: { extensions: UI_EXTENSION } as ClientCapabilities,
    });
  });
  afterEach(async () => {
    await h.close();
  });

  for (const tool of ALL_TOOLS) {
    test(tool.name, async () => {
      const client = h.client;
      cluster = await freshCluster();
      const { mock } = cluster;
      try {
        const schema = listedTool(tool).inputSchema as JsonSchema;
        const known = knownOf(mock);
        const check = (args: Record<string, unknown>) => callAndCheck(client, mock, tool, args);
        const options = { numRuns: RUNS, seed: seedFor(tool.name), endOnFailure: true };
        // Hostile: wrong types, 1 MB strings, traversal, missing and unknown keys.
        await holds(fc.asyncProperty(argumentsOf(schema, known, 2), check), options);
        // Fitting: values the schema allows, so the handlers run and reach the mock.
        await holds(fc.asyncProperty(argumentsOf(schema, known, 0), check), {
          ...options,
          numRuns: Math.ceil(RUNS / 2),
        });
        await client.ping(); // still up
      } finally {
        await mock.stop();
      }
    });
  }
});
