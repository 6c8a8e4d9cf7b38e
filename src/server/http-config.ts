// The HTTP server's settings, checked and resolved once at start: where it binds, who may call
// it (token, hosts, origins), and its limits. An unsafe combination stops the start here.

import { ConfigError, type Settings } from "../config/index.ts";

export interface HttpConfig {
  hostname: string;
  /** 0 picks a free port. */
  port: number;
  /** Bearer token every MCP route requires; none = no auth (loopback, or explicitly allowed). */
  authToken?: string;
  stateless: boolean;
  /** Host names a request may name (Host and any forwarded host); undefined = no check. */
  allowedHosts?: readonly string[];
  /** Origins a browser request may come from, besides same-origin ones. */
  allowedOrigins: readonly string[];
  /** Also allow browser origins on a loopback name (any port): a local inspector, say. */
  loopbackOrigins: boolean;
  maxBodyBytes: number;
  /** How long reading one request body may take; a body that stalls is cut (408). */
  bodyTimeoutMs: number;
  sessionIdleMs: number;
  /** Open sessions in all, and per client (address and token). */
  maxSessions: number;
  maxSessionsPerClient: number;
  /** The `retry:` of resumable streams: how long a client waits before it reconnects. */
  retryMs: number;
  /** Interval of the SSE comment lines that keep idle streams (and proxies) from timing out. */
  keepAliveMs: number;
  /** Bun's idle timeout for ordinary requests; MCP streams turn it off for themselves. */
  idleTimeoutSec: number;
  /** How long shutdown waits for calls in flight before closing their sessions. */
  shutdownGraceMs: number;
}

const LOOPBACK_NAMES = ["localhost", "127.0.0.1", "[::1]"];

export function httpConfig(settings: Settings): HttpConfig {
  const hostname = settings.http_host.trim();
  const loopback = isLoopback(hostname);
  const authToken = settings.http_auth_token || undefined;
  if (!loopback && !authToken && !settings.http_allow_unauthenticated) {
    throw new ConfigError(
      `http_host ${hostname} is reachable from other machines, but no http_auth_token is set: ` +
        "anyone who can reach the port could operate the cluster. Set --http-auth-token " +
        "(PROXMOX_HTTP_AUTH_TOKEN), bind to 127.0.0.1, or pass --http-allow-unauthenticated " +
        "if something in front of the server already authenticates.",
    );
  }
  const hosts = normalizeList(settings.allowed_hosts);
  return {
    hostname,
    port: settings.http_port,
    authToken,
    stateless: settings.http_stateless,
    allowedHosts:
      hosts.length > 0
        ? [...hosts, ...(loopback ? LOOPBACK_NAMES : [])]
        : loopback
          ? LOOPBACK_NAMES
          : undefined,
    allowedOrigins: normalizeList(settings.allowed_origins).map((o) => o.replace(/\/+$/, "")),
    loopbackOrigins: loopback,
    maxBodyBytes: settings.http_max_body_bytes,
    bodyTimeoutMs: settings.http_body_timeout * 1000,
    sessionIdleMs: settings.http_session_idle * 1000,
    maxSessions: settings.http_max_sessions,
    maxSessionsPerClient: settings.http_max_sessions_per_client,
    retryMs: 1000,
    keepAliveMs: 15_000,
    idleTimeoutSec: 30,
    shutdownGraceMs: 10_000,
  };
}

/** 127.0.0.0/8, ::1 and localhost; 0.0.0.0 and :: listen on every interface, so they are not. */
export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, "").toLowerCase();
  return bare === "localhost" || bare === "::1" || /^127(\.\d{1,3}){3}$/.test(bare);
}

const normalizeList = (values: readonly string[] | undefined): string[] =>
  (values ?? []).map((v) => v.trim().toLowerCase()).filter(Boolean);
