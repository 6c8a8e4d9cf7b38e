// The HTTP server's own answers (refusals, limits, parse errors) as JSON-RPC error bodies, the
// shape MCP clients already parse from the SDK's transport.

import { RPC } from "./rpc-errors.ts";

export function jsonRpcError(
  status: number,
  code: number,
  message: string,
  headers: Record<string, string> = {},
): Response {
  return Response.json({ jsonrpc: "2.0", error: { code, message }, id: null }, { status, headers });
}

export const tooLarge = (maxBytes: number): Response =>
  jsonRpcError(
    413,
    RPC.serverError,
    `Payload Too Large: request body must not exceed ${maxBytes} bytes`,
  );

export const notFound = (): Response =>
  Response.json(
    { error: "not found; MCP is served at /mcp (and legacy SSE at /sse)" },
    { status: 404 },
  );

/** Past a session limit: 503, and when to try again. */
export const tooManySessions = (message: string): Response =>
  jsonRpcError(503, RPC.serverError, message, { "Retry-After": "5" });

/** A request body that did not arrive within the deadline is cut. */
export const bodyTimeout = (ms: number): Response =>
  jsonRpcError(
    408,
    RPC.serverError,
    `Request Timeout: the body did not arrive within ${ms / 1000} s`,
    { Connection: "close" },
  );
