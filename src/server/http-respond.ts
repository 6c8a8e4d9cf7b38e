// The HTTP server's own answers (refusals, limits, parse errors) as JSON-RPC error bodies, the
// shape MCP clients already parse from the SDK's transport.

export function jsonRpcError(
  status: number,
  code: number,
  message: string,
  headers: Record<string, string> = {},
): Response {
  return Response.json({ jsonrpc: "2.0", error: { code, message }, id: null }, { status, headers });
}

/** JSON-RPC codes used here: the spec's parse and request errors, the SDK's server errors. */
export const RPC = {
  parseError: -32700,
  invalidRequest: -32600,
  serverError: -32000,
  sessionNotFound: -32001,
} as const;

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
