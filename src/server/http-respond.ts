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

export const tooManySessions = (): Response =>
  jsonRpcError(503, RPC.serverError, "Too many open sessions; retry later", { "Retry-After": "5" });
