// CORS for browser-based MCP clients (an inspector, a web app) whose origin is allowed: the
// preflight answer, and the headers that let such a client read the session id.

const ALLOW_HEADERS =
  "Authorization, Content-Type, Accept, Mcp-Session-Id, Mcp-Protocol-Version, Last-Event-ID";
const EXPOSE_HEADERS = "Mcp-Session-Id, Mcp-Protocol-Version, WWW-Authenticate";

export function preflight(origin: string): Response {
  return new Response(null, {
    status: 204,
    headers: {
      "Access-Control-Allow-Origin": origin,
      "Access-Control-Allow-Methods": "GET, POST, DELETE, OPTIONS",
      "Access-Control-Allow-Headers": ALLOW_HEADERS,
      "Access-Control-Max-Age": "600",
      Vary: "Origin",
    },
  });
}

/** Adds the CORS headers to an answer for an allowed origin (in place; returns it). */
export function withCors(res: Response, origin: string | null): Response {
  if (!origin) return res;
  try {
    res.headers.set("Access-Control-Allow-Origin", origin);
    res.headers.set("Access-Control-Expose-Headers", EXPOSE_HEADERS);
    res.headers.append("Vary", "Origin");
  } catch {
    // Immutable headers (a fetched Response): the answer still goes out, without CORS.
  }
  return res;
}
