// The HTTP settings resolved at start: the refusal to expose an unauthenticated server, the
// default host lists, and the header parsing the security checks rely on.

import { describe, expect, test } from "bun:test";
import { ConfigError, settingsSchema } from "../../src/config/index.ts";
import { httpConfig, isLoopback } from "../../src/server/http-config.ts";
import {
  bearerAuth,
  forwardedHost,
  hostName,
  originAllowed,
} from "../../src/server/http-security.ts";

const configFrom = (settings: Record<string, unknown>) =>
  httpConfig(settingsSchema().parse({ http_port: 0, ...settings }));

describe("http config", () => {
  test("a non-loopback bind without a token is refused unless declared unsafe", () => {
    for (const host of ["0.0.0.0", "::", "192.0.2.10", "pve.example.com"]) {
      expect(() => configFrom({ http_host: host })).toThrow(ConfigError);
      expect(() => configFrom({ http_host: host })).toThrow("http_auth_token");
      expect(configFrom({ http_host: host, http_auth_token: "t0ken-t0ken" }).hostname).toBe(host);
      expect(configFrom({ http_host: host, http_allow_unauthenticated: true }).authToken).toBe(
        undefined,
      );
    }
  });

  test("loopback binds need no token and check loopback host names by default", () => {
    const c = configFrom({});
    expect(c.hostname).toBe("127.0.0.1");
    expect(c.allowedHosts).toEqual(["localhost", "127.0.0.1", "[::1]"]);
    expect(c.loopbackOrigins).toBe(true);
    expect(c.maxBodyBytes).toBe(4 * 1024 * 1024);
    expect(c.stateless).toBe(false);
  });

  test("settings map to the server's units", () => {
    const c = configFrom({
      http_stateless: true,
      http_session_idle: 90,
      http_max_body_bytes: 2048,
      allowed_origins: ["https://App.example/"],
    });
    expect(c).toMatchObject({ stateless: true, sessionIdleMs: 90_000, maxBodyBytes: 2048 });
    expect(c.allowedOrigins).toEqual(["https://app.example"]);
  });

  test("listed hosts add to the loopback names; a public bind checks only the list", () => {
    expect(configFrom({ allowed_hosts: ["MCP.example.com"] }).allowedHosts).toEqual([
      "mcp.example.com",
      "localhost",
      "127.0.0.1",
      "[::1]",
    ]);
    const open = configFrom({ http_host: "0.0.0.0", http_auth_token: "t0ken-t0ken" });
    expect(open.allowedHosts).toBeUndefined();
    expect(open.loopbackOrigins).toBe(false);
  });

  test("loopback addresses", () => {
    for (const h of ["127.0.0.1", "127.1.2.3", "localhost", "::1", "[::1]"]) {
      expect(isLoopback(h)).toBe(true);
    }
    for (const h of ["0.0.0.0", "::", "10.0.0.1", "128.0.0.1", "localhost.evil.example"]) {
      expect(isLoopback(h)).toBe(false);
    }
  });
});

describe("header parsing", () => {
  const req = (headers: Record<string, string>) => new Request("http://x/mcp", { headers });

  test("host names drop the port, keep IPv6 brackets", () => {
    expect(hostName("Example.com:3000")).toBe("example.com");
    expect(hostName("[::1]:3000")).toBe("[::1]");
    expect(hostName("[::1]")).toBe("[::1]");
    expect(hostName("localhost")).toBe("localhost");
  });

  test("forwarded host: X-Forwarded-Host first, then Forwarded's first element", () => {
    expect(forwardedHost(req({ "X-Forwarded-Host": "a.example, b.example" }))).toBe("a.example");
    expect(forwardedHost(req({ Forwarded: 'for=1.2.3.4;Host="A.example:8443", host=b' }))).toBe(
      "a.example:8443",
    );
    expect(forwardedHost(req({ Forwarded: "for=1.2.3.4;proto=https" }))).toBeUndefined();
    expect(forwardedHost(req({}))).toBeUndefined();
  });

  test("origins: listed, loopback (when allowed) or same-origin", () => {
    const policy = { allowedOrigins: ["https://app.example"], loopbackOrigins: false };
    expect(originAllowed("https://app.example", "mcp.example", policy)).toBe(true);
    expect(originAllowed("https://mcp.example", "mcp.example", policy)).toBe(true);
    expect(originAllowed("http://localhost:5173", "mcp.example", policy)).toBe(false);
    expect(originAllowed("http://localhost:5173", "x", { ...policy, loopbackOrigins: true })).toBe(
      true,
    );
    expect(originAllowed("null", "mcp.example", policy)).toBe(false);
    expect(originAllowed("https://evil.example", "mcp.example", policy)).toBe(false);
  });

  test("bearer check: header or query; none configured lets all in", () => {
    const check = bearerAuth("s3cret-token");
    const url = (q = "") => new URL(`http://x/mcp${q}`);
    expect(check(req({ Authorization: "Bearer s3cret-token" }), url())).toBe("header");
    expect(check(req({ Authorization: "bearer s3cret-token" }), url())).toBe("header");
    expect(check(req({}), url("?token=s3cret-token"))).toBe("query");
    expect(check(req({ Authorization: "Bearer s3cret-tokeN" }), url())).toBe(false);
    expect(check(req({ Authorization: "Basic s3cret-token" }), url())).toBe(false);
    expect(check(req({}), url())).toBe(false);
    expect(bearerAuth(undefined)(req({}), url())).toBe("none");
  });
});
