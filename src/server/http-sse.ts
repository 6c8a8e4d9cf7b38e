// The legacy SSE pair of the Rust seed and MCP 2024-11-05: GET /sse opens a session's stream,
// POST /message?session_id=… (or /messages, or the SDK's ?sessionId=) delivers one message or a
// batch to it and is answered 202; the answers travel on the stream.

import { type JSONRPCMessage, JSONRPCMessageSchema } from "@modelcontextprotocol/sdk/types.js";
import { readBody } from "./http-body.ts";
import type { HttpConfig } from "./http-config.ts";
import { bodyTimeout, jsonRpcError, tooLarge, tooManySessions } from "./http-respond.ts";
import { withoutNullParams } from "./jsonrpc-in.ts";
import type { ServerOptions } from "./options.ts";
import { RPC } from "./rpc-errors.ts";
import { openSession, type Session, type Sessions } from "./sessions.ts";
import { SseServerTransport } from "./sse.ts";

const SSE_HEADERS = {
  "Content-Type": "text/event-stream",
  "Cache-Control": "no-cache, no-transform",
  Connection: "keep-alive",
  "X-Accel-Buffering": "no", // nginx: do not buffer the stream
};

export class LegacySseEndpoint {
  constructor(
    private readonly options: ServerOptions,
    private readonly config: HttpConfig,
    private readonly sessions: Sessions,
  ) {}

  /**
   * GET /sse. `client` identifies the caller for the per-client session limit. `queryToken` is
   * the token when the client authenticated with ?token=: such a client (a URL is all it can
   * configure) needs it in the endpoint it POSTs to as well.
   */
  async open(client: string, queryToken?: string): Promise<Response> {
    const refused = this.sessions.refusal(client);
    if (refused) return tooManySessions(refused);
    const transport = new SseServerTransport((id) => {
      const query = new URLSearchParams({ session_id: id });
      if (queryToken) query.set("token", queryToken);
      return `/message?${query}`;
    }, this.config.keepAliveMs);
    const key = transport.sessionId;
    const session = await openSession("sse", this.options, transport, () =>
      this.sessions.delete(key),
    );
    this.sessions.add(key, session, client);
    return new Response(transport.stream, { headers: SSE_HEADERS });
  }

  /** POST /message and /messages. */
  async post(req: Request, url: URL): Promise<Response> {
    const id = url.searchParams.get("session_id") ?? url.searchParams.get("sessionId");
    const session = id ? this.sessions.get(id) : undefined;
    if (session?.kind !== "sse") {
      return jsonRpcError(
        404,
        RPC.sessionNotFound,
        "Session not found; open a new one at GET /sse",
      );
    }
    const type = req.headers.get("content-type") ?? "";
    if (!/^application\/json\s*(;|$)/i.test(type)) {
      return jsonRpcError(415, RPC.serverError, "Unsupported Media Type: send application/json");
    }
    const body = await readBody(req, this.config.maxBodyBytes, this.config.bodyTimeoutMs);
    if (!body.ok) {
      return body.why === "timeout"
        ? bodyTimeout(this.config.bodyTimeoutMs)
        : tooLarge(this.config.maxBodyBytes);
    }
    const messages = parseMessages(body.text);
    if (messages instanceof Response) return messages;
    const sse = session as Session<SseServerTransport>;
    const requestInfo = { headers: Object.fromEntries(req.headers) };
    for (const message of messages) sse.transport.inner.receive(message, { requestInfo });
    return new Response("Accepted", { status: 202 });
  }
}

const MAX_BATCH = 100;

function parseMessages(text: string): JSONRPCMessage[] | Response {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return jsonRpcError(400, RPC.parseError, "Parse error: body is not valid JSON");
  }
  const list = Array.isArray(raw) ? raw : [raw];
  // As the SDK's Streamable HTTP transport: one body must not fan out into unbounded work.
  if (list.length > MAX_BATCH) {
    return jsonRpcError(
      400,
      RPC.invalidRequest,
      `Invalid Request: Batch must not exceed ${MAX_BATCH} messages`,
    );
  }
  const messages: JSONRPCMessage[] = [];
  for (const item of list) {
    const parsed = JSONRPCMessageSchema.safeParse(withoutNullParams(item));
    if (!parsed.success) {
      return jsonRpcError(400, RPC.invalidRequest, "Invalid Request: not a JSON-RPC 2.0 message");
    }
    messages.push(parsed.data);
  }
  return messages.length > 0
    ? messages
    : jsonRpcError(400, RPC.invalidRequest, "Invalid Request: empty batch");
}
