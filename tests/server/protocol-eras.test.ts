// Revision 2026-07-28 (stateless, server/discover) is not served: the v1.x SDK implements up to
// 2025-11-25. A client that speaks both eras must see a legacy server and fall back to
// initialize: on stdio server/discover gets a non-modern error (-32601), over HTTP a modern
// request gets 400 without a modern error body (the spec's fallback rules).

import { afterEach, expect, test } from "bun:test";
import { McpError } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { type Fixture, mcpPost, startFixture } from "../http/support.ts";
import { type Harness, startHarness } from "../support/harness.ts";

let h: Harness | undefined;
let f: Fixture | undefined;
afterEach(async () => {
  await h?.close();
  await f?.close();
  h = undefined;
  f = undefined;
});

const MODERN_META = {
  "io.modelcontextprotocol/protocolVersion": "2026-07-28",
  "io.modelcontextprotocol/clientCapabilities": {},
};
/** The modern era's own error codes (header mismatch, missing capability, unsupported version). */
const MODERN_CODES = [-32020, -32021, -32022];

test("server/discover is not a method here: -32601, so a dual-era client falls back", async () => {
  h = await startHarness();
  const error = await h.client
    .request({ method: "server/discover", params: { _meta: MODERN_META } } as never, z.object({}))
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  expect(error).toBeInstanceOf(McpError);
  expect((error as McpError).code).toBe(-32601);
});

test("a modern request over HTTP gets 400 without a modern error body", async () => {
  f = await startFixture();
  const res = await mcpPost(
    f.url("/mcp"),
    JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list", params: { _meta: MODERN_META } }),
    { "MCP-Protocol-Version": "2026-07-28" },
  );
  expect(res.status).toBe(400);
  const body = (await res.json()) as { error?: { code: number } };
  expect(MODERN_CODES).not.toContain(body.error?.code);
});
