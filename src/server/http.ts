// `--server-type http`: MCP over HTTP on Bun.serve, for several clients of one long-lived server.
// Routes: /mcp (Streamable HTTP), /sse + /message(s) (legacy SSE), /healthz (no auth). Every MCP
// request passes the Host/Origin check, then the bearer token, before it reaches a session.
// Sessions are bounded (in all and per client), end when idle, and bodies have a deadline.

import { createHash } from "node:crypto";
import type { Server as BunServer } from "bun";
import type { Settings } from "../config/index.ts";
import { healthResponse, proxmoxProbe } from "./health.ts";
import { type HttpConfig, httpConfig } from "./http-config.ts";
import { preflight, withCors } from "./http-cors.ts";
import { jsonRpcError, notFound } from "./http-respond.ts";
import { bearerAuth, forbidden, refusedHostOrOrigin, unauthorized } from "./http-security.ts";
import { LegacySseEndpoint } from "./http-sse.ts";
import { StreamableEndpoint } from "./http-streamable.ts";
import { log } from "./log.ts";
import type { ServerOptions } from "./options.ts";
import { RPC } from "./rpc-errors.ts";
import { Sessions } from "./sessions.ts";
import { within } from "./within.ts";

export interface HttpServer {
  /** e.g. http://127.0.0.1:3000 (no trailing slash) */
  readonly origin: string;
  readonly port: number;
  readonly sessions: Sessions;
  /** Stops taking requests, lets calls in flight finish (bounded), closes sessions, frees the port. */
  shutdown(): Promise<void>;
}

type Route = "mcp" | "sse" | "message";
const ROUTES: Record<string, Route> = {
  "/mcp": "mcp",
  "/sse": "sse",
  "/message": "message",
  "/messages": "message",
};
const METHODS: Record<Route, readonly string[]> = {
  mcp: ["GET", "POST", "DELETE"],
  sse: ["GET"],
  message: ["POST"],
};

export async function startHttpServer(
  options: ServerOptions,
  config: HttpConfig,
): Promise<HttpServer> {
  const sessions = new Sessions({
    max: config.maxSessions,
    perClient: config.maxSessionsPerClient,
  });
  const streamable = new StreamableEndpoint(options, config, sessions);
  const legacy = new LegacySseEndpoint(options, config, sessions);
  const authorized = bearerAuth(config.authToken);
  const proxmox = proxmoxProbe(options.pve);
  const startedAt = Date.now();
  let stopping = false;

  const route = async (req: Request, server: BunServer<undefined>): Promise<Response> => {
    const url = new URL(req.url);
    if (url.pathname === "/healthz" && (req.method === "GET" || req.method === "HEAD")) {
      return healthResponse({
        name: options.name,
        version: options.version,
        startedAt,
        shuttingDown: stopping,
        sessions: {
          streamable: sessions.count("streamable"),
          sse: sessions.count("sse"),
          stateless_in_flight: sessions.count("stateless"),
        },
        proxmox,
      });
    }
    const name = ROUTES[url.pathname];
    if (!name) return notFound();
    const refused = refusedHostOrOrigin(req, config);
    if (refused) {
      log.debug(`refused ${req.method} ${url.pathname}: ${refused}`);
      return forbidden(refused);
    }
    const origin = req.headers.get("origin");
    if (req.method === "OPTIONS" && origin) return preflight(origin);
    if (stopping) return jsonRpcError(503, RPC.serverError, "Server is shutting down");
    const auth = authorized(req, url);
    if (!auth) return withCors(unauthorized(req, url), origin);
    if (!METHODS[name].includes(req.method)) {
      return jsonRpcError(405, RPC.serverError, "Method not allowed", {
        Allow: METHODS[name].join(", "),
      });
    }
    // MCP streams stay open with only keep-alive comments between events: no idle cut-off
    // (a body that stalls is cut by its own deadline).
    server.timeout(req, 0);
    const client = clientOf(req, server, auth === "none" ? undefined : config.authToken);
    let res: Response;
    if (name === "mcp") res = await streamable.handle(req, client);
    else if (name === "sse") {
      const queryToken = auth === "query" ? (url.searchParams.get("token") ?? "") : "";
      res = await legacy.open(client, queryToken);
    } else res = await legacy.post(req, url);
    return withCors(res, origin);
  };

  const server = Bun.serve({
    hostname: config.hostname,
    port: config.port,
    idleTimeout: config.idleTimeoutSec,
    // A backstop only: the routes apply the real limit with a JSON-RPC answer.
    maxRequestBodySize: config.maxBodyBytes * 2 + 65_536,
    async fetch(req, server) {
      const res = await route(req, server);
      // Path only: the query may hold the token.
      log.debug(`${req.method} ${new URL(req.url).pathname} → ${res.status}`);
      return res;
    },
    error(error) {
      log.error(`HTTP request failed: ${error.message}`);
      return jsonRpcError(500, RPC.internalError, "Internal error");
    },
  });
  const sweeper = setInterval(
    () => {
      const closed = sessions.closeIdle(config.sessionIdleMs);
      if (closed > 0) log.debug(`closed ${closed} idle MCP session(s)`);
    },
    Math.max(1000, Math.min(config.sessionIdleMs / 2, 60_000)),
  );
  sweeper.unref?.();
  const host = server.hostname?.includes(":") ? `[${server.hostname}]` : server.hostname;
  const origin = `http://${host}:${server.port}`;

  let stopped: Promise<void> | undefined;
  const shutdown = async () => {
    stopping = true;
    clearInterval(sweeper);
    void server.stop(); // no new connections; open ones keep streaming
    const inflight = sessions.inflight();
    if (inflight > 0) {
      log.info(`waiting for ${inflight} call(s) in flight (at most ${config.shutdownGraceMs} ms)`);
      await within(sessions.settled(), config.shutdownGraceMs);
    }
    await sessions.closeAll();
    options.consoles.closeAll();
    // Closed sessions end their streams; give the last bytes a moment, then cut what is left.
    await within(server.stop(), 500);
    await server.stop(true);
  };

  return {
    origin,
    port: server.port ?? config.port,
    sessions,
    shutdown: () => {
      stopped ??= shutdown();
      return stopped;
    },
  };
}

/**
 * Who is asking, for the per-client session limit: the connecting address and a digest of the
 * token it proved (never the token itself; without auth, a made-up token must not make a client
 * new).
 */
function clientOf(req: Request, server: BunServer<undefined>, token: string | undefined): string {
  const address = server.requestIP(req)?.address ?? "unknown";
  if (!token) return address;
  return `${address} ${createHash("sha256").update(token).digest("hex").slice(0, 12)}`;
}

/** Runs the HTTP server until SIGINT or SIGTERM, then shuts it down gracefully. */
export async function serveHttp(options: ServerOptions, settings: Settings): Promise<void> {
  const config = httpConfig(settings);
  const server = await startHttpServer(options, config);
  log.info(
    `listening on ${server.origin}/mcp (Streamable HTTP); legacy SSE at ${server.origin}/sse`,
  );
  if (!config.authToken) {
    log.warn(
      config.loopbackOrigins
        ? "without --http-auth-token, any process on this machine can use this server"
        : "without --http-auth-token on a non-loopback address, anyone who reaches the port can use this server",
    );
  }
  const signal = await new Promise<string>((resolve) => {
    process.once("SIGINT", () => resolve("SIGINT"));
    process.once("SIGTERM", () => resolve("SIGTERM"));
  });
  log.info(`${signal}: shutting down`);
  const force = () => {
    log.warn("second signal: exiting now");
    process.exit(1);
  };
  process.once("SIGINT", force);
  process.once("SIGTERM", force);
  await server.shutdown();
  log.info("stopped");
  // The demo's in-process cluster and pooled client sockets would keep the process alive.
  process.exit(0);
}
