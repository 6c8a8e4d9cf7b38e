// Who may call the MCP routes: the bearer token (header, or the seed's ?token= parameter),
// compared in constant time, and Host/Origin checks against DNS rebinding. A reverse proxy's
// forwarded host must be allowed as well as the Host it sends, so a page that adds its own
// X-Forwarded-Host cannot pass a foreign Host.

import { createHash, timingSafeEqual } from "node:crypto";
import { isLoopback } from "./http-config.ts";
import { jsonRpcError } from "./http-respond.ts";
import { RPC } from "./rpc-errors.ts";

/** How the request proved the token: "none" when no token is configured. */
export type AuthResult = "header" | "query" | "none" | false;

export function bearerAuth(token: string | undefined): (req: Request, url: URL) => AuthResult {
  if (!token) return () => "none";
  const expected = digest(token);
  const matches = (given: string | null | undefined) =>
    typeof given === "string" && timingSafeEqual(digest(given), expected);
  return (req, url) => {
    const header = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.get("authorization") ?? "")?.[1];
    if (matches(header)) return "header";
    if (matches(url.searchParams.get("token"))) return "query";
    return false;
  };
}

// Digests have equal length whatever was sent, so timingSafeEqual never sees a length mismatch.
const digest = (value: string): Buffer => createHash("sha256").update(value).digest();

export function unauthorized(req: Request, url: URL): Response {
  const tried = req.headers.has("authorization") || url.searchParams.has("token");
  return jsonRpcError(
    401,
    RPC.sessionNotFound,
    "Unauthorized: send Authorization: Bearer <token>",
    {
      "WWW-Authenticate": `Bearer realm="proxmox-mcp"${tried ? ', error="invalid_token"' : ""}`,
    },
  );
}

/** The host part of a Host value: `example.com:3000` → `example.com`, `[::1]:80` → `[::1]`. */
export function hostName(host: string): string {
  const value = host.trim().toLowerCase();
  if (value.startsWith("[")) return value.slice(0, value.indexOf("]") + 1);
  const colon = value.lastIndexOf(":");
  return colon >= 0 ? value.slice(0, colon) : value;
}

/** The first proxy's forwarded host: X-Forwarded-Host, else the `host=` of Forwarded. */
export function forwardedHost(req: Request): string | undefined {
  const x = req.headers.get("x-forwarded-host")?.split(",")[0]?.trim();
  if (x) return x.toLowerCase();
  const first = req.headers.get("forwarded")?.split(",")[0] ?? "";
  const m = /(?:^|;)\s*host\s*=\s*("([^"]*)"|[^;,\s]+)/i.exec(first);
  const value = m?.[2] ?? m?.[1];
  return value ? value.toLowerCase() : undefined;
}

/** A listed name allows any port; a listed `name:port` only that port. */
function hostListed(host: string, allowed: readonly string[]): boolean {
  const value = host.trim().toLowerCase();
  return allowed.some((entry) => entry === value || entry === hostName(value));
}

export interface OriginPolicy {
  allowedHosts?: readonly string[];
  allowedOrigins: readonly string[];
  loopbackOrigins: boolean;
}

/** undefined when the request may go on; otherwise why not. */
export function refusedHostOrOrigin(req: Request, policy: OriginPolicy): string | undefined {
  const host = req.headers.get("host") ?? "";
  const forwarded = forwardedHost(req);
  if (policy.allowedHosts) {
    if (!hostListed(host, policy.allowedHosts))
      return `Host ${JSON.stringify(host)} is not allowed`;
    if (forwarded !== undefined && !hostListed(forwarded, policy.allowedHosts)) {
      return `forwarded host ${JSON.stringify(forwarded)} is not allowed`;
    }
  }
  const origin = req.headers.get("origin");
  if (origin === null || originAllowed(origin, forwarded ?? host, policy)) return undefined;
  return `Origin ${JSON.stringify(origin)} is not allowed`;
}

export function originAllowed(origin: string, host: string, policy: OriginPolicy): boolean {
  const normalized = origin.trim().toLowerCase().replace(/\/+$/, "");
  if (policy.allowedOrigins.includes(normalized) || policy.allowedOrigins.includes("*"))
    return true;
  let url: URL;
  try {
    url = new URL(normalized);
  } catch {
    return false; // "null" (sandboxed or file pages) and garbage
  }
  if (policy.loopbackOrigins && isLoopback(url.hostname)) return true;
  return url.host === host.trim().toLowerCase(); // same origin as the host it was sent to
}

export const forbidden = (reason: string): Response =>
  jsonRpcError(403, RPC.serverError, `Forbidden: ${reason}`);
