// The body of a POST to /mcp, read here once (within the size limit) and handed to the SDK's
// transport already parsed, so that JSON-RPC batches can be refused to clients of MCP 2025-06-18
// or later: that revision removed batching. Older clients may still batch (the SDK caps a batch
// at 100 messages); an empty batch is an invalid request in any revision.

import { readBody } from "./http-body.ts";
import { bodyTimeout, jsonRpcError, tooLarge } from "./http-respond.ts";
import { withoutNullParams } from "./jsonrpc-in.ts";
import { RPC } from "./rpc-errors.ts";

/** The first protocol revision without JSON-RPC batches (dates compare as text). */
const NO_BATCHES_SINCE = "2025-06-18";

export type McpBody = { parsedBody?: unknown; refused?: undefined } | { refused: Response };

export async function mcpPostBody(
  req: Request,
  maxBytes: number,
  deadlineMs: number,
): Promise<McpBody> {
  // Anything else (GET, DELETE, a wrong content type) the SDK's transport answers itself.
  if (req.method !== "POST" || !isJson(req.headers.get("content-type"))) return {};
  const body = await readBody(req, maxBytes, deadlineMs);
  if (!body.ok) {
    return { refused: body.why === "timeout" ? bodyTimeout(deadlineMs) : tooLarge(maxBytes) };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.text);
  } catch {
    return { refused: jsonRpcError(400, RPC.parseError, "Parse error: Invalid JSON") };
  }
  if (!Array.isArray(parsed)) return { parsedBody: withoutNullParams(parsed) };
  if (parsed.length === 0) {
    return { refused: jsonRpcError(400, RPC.invalidRequest, "Invalid Request: empty batch") };
  }
  if (speaksWithoutBatches(req, parsed)) {
    return {
      refused: jsonRpcError(
        400,
        RPC.invalidRequest,
        `Invalid Request: JSON-RPC batches are not part of MCP ${NO_BATCHES_SINCE} and later; send one message per request`,
      ),
    };
  }
  return { parsedBody: parsed.map(withoutNullParams) };
}

/** The header names the session's revision; an initialize in the batch names the client's. */
function speaksWithoutBatches(req: Request, batch: unknown[]): boolean {
  const header = req.headers.get("mcp-protocol-version");
  if (header) return header >= NO_BATCHES_SINCE;
  return batch.some((m) => {
    const version = (m as { params?: { protocolVersion?: unknown } } | null)?.params
      ?.protocolVersion;
    return typeof version === "string" && version >= NO_BATCHES_SINCE;
  });
}

function isJson(contentType: string | null): boolean {
  return /^application\/json\s*(;|$)/i.test((contentType ?? "").trim());
}
