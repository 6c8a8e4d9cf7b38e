// Streamable HTTP at /mcp, on the SDK's web-standard transport. With sessions: a POST without
// Mcp-Session-Id opens one (the SDK accepts only initialize there), later requests find theirs
// by id, DELETE or idle expiry ends it. Its streams are resumable: every event has an id, the
// first one says `retry:`, and a client that lost its connection comes back with Last-Event-ID
// (event-store.ts). Stateless: every POST gets its own server and transport.

import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import { BoundedEventStore } from "./event-store.ts";
import type { HttpConfig } from "./http-config.ts";
import { mcpPostBody } from "./http-mcp-body.ts";
import { jsonRpcError, tooManySessions } from "./http-respond.ts";
import type { ServerOptions } from "./options.ts";
import { OPEN_POLICY, withoutSessions } from "./policy.ts";
import { RPC } from "./rpc-errors.ts";
import { openSession, type Session, type Sessions } from "./sessions.ts";

type StreamableSession = Session<WebStandardStreamableHTTPServerTransport>;
/** The body, read and parsed once before the SDK sees the request. */
type Parsed = { parsedBody?: unknown };

export class StreamableEndpoint {
  /** The options of a stateless request's server: its tool list cannot grow. */
  #fixed?: ServerOptions;

  constructor(
    private readonly options: ServerOptions,
    private readonly config: HttpConfig,
    private readonly sessions: Sessions,
  ) {}

  /** `client` identifies the caller for the per-client session limit. */
  async handle(req: Request, client: string): Promise<Response> {
    const body = await mcpPostBody(req, this.config.maxBodyBytes, this.config.bodyTimeoutMs);
    if (body.refused) return body.refused;
    const options = { parsedBody: body.parsedBody };
    return this.config.stateless
      ? this.#stateless(req, options, client)
      : this.#stateful(req, options, client);
  }

  async #stateful(req: Request, options: Parsed, client: string): Promise<Response> {
    const id = req.headers.get("mcp-session-id");
    if (id !== null) {
      const session = this.sessions.get(id);
      if (session?.kind !== "streamable") {
        return jsonRpcError(404, RPC.sessionNotFound, "Session not found; initialize a new one");
      }
      session.transport.touch();
      return (session as StreamableSession).transport.inner.handleRequest(req, options);
    }
    if (req.method !== "POST") {
      return jsonRpcError(400, RPC.serverError, "Bad Request: Mcp-Session-Id header is required");
    }
    const refused = this.sessions.refusal(client);
    if (refused) return tooManySessions(refused);
    let session: StreamableSession | undefined;
    const inner = this.#transport({
      sessionIdGenerator: () => crypto.randomUUID(),
      onsessioninitialized: (sessionId) => {
        if (session) this.sessions.add(sessionId, session, client);
      },
      eventStore: new BoundedEventStore(),
      retryInterval: this.config.retryMs,
    });
    session = await openSession("streamable", this.options, inner, () => {
      if (inner.sessionId) this.sessions.delete(inner.sessionId);
    });
    const res = await inner.handleRequest(req, options);
    // Anything but a successful initialize leaves no session behind.
    if (inner.sessionId === undefined) void session.server.close().catch(() => {});
    return res;
  }

  async #stateless(req: Request, options: Parsed, client: string): Promise<Response> {
    if (req.method !== "POST") {
      // No session means no stream to push to later; the SDK client takes 405 as "no GET stream".
      return jsonRpcError(405, RPC.serverError, "Method not allowed: this server is stateless", {
        Allow: "POST",
      });
    }
    const refused = this.sessions.refusal(client);
    if (refused) return tooManySessions(refused);
    const key = `stateless:${crypto.randomUUID()}`;
    const inner = this.#transport({ sessionIdGenerator: undefined });
    this.#fixed ??= {
      ...this.options,
      policy: withoutSessions(this.options.policy ?? OPEN_POLICY),
    };
    const session = await openSession("stateless", this.#fixed, inner, () =>
      this.sessions.delete(key),
    );
    this.sessions.add(key, session, client);
    const close = () => void session.server.close().catch(() => {});
    try {
      const res = await inner.handleRequest(req, options);
      void session.transport.settled().then(close);
      return res;
    } catch (error) {
      close();
      throw error;
    }
  }

  #transport(
    options: ConstructorParameters<typeof WebStandardStreamableHTTPServerTransport>[0],
  ): WebStandardStreamableHTTPServerTransport {
    return new WebStandardStreamableHTTPServerTransport({
      ...options,
      maxRequestBodySize: this.config.maxBodyBytes,
      keepAliveMs: this.config.keepAliveMs,
    });
  }
}
