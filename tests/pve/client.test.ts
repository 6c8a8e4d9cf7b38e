// The Proxmox client against the mock over real HTTP(S): auth modes, CSRF, renewal and re-login,
// typed errors, TLS verification and path-segment encoding.

import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { type MockServer, startMock } from "../../src/mock/index.ts";
import { originOf } from "../../src/pve/from-settings.ts";
import {
  InvalidSegmentError,
  PveClient,
  PveConnectionError,
  PveError,
  resolveGuest,
  segment,
} from "../../src/pve/index.ts";

/** A fresh cluster per test; the HTTPS one is only read (its certificate), so it is shared. */
let mock: MockServer;
let tlsMock: MockServer;

beforeAll(async () => {
  tlsMock = await startMock({ tls: true, taskDurationMs: 50 });
});
afterAll(() => tlsMock.stop());
beforeEach(async () => {
  mock = await startMock({ tls: false, taskDurationMs: 50 });
});
afterEach(() => mock.stop());

const tokenClient = (m = mock, extra: Partial<ConstructorParameters<typeof PveClient>[0]> = {}) =>
  new PveClient({
    origin: m.url,
    verifyTls: true,
    timeoutMs: 5000,
    user: m.credentials.user,
    tokenName: m.credentials.tokenId.split("!")[1],
    tokenValue: m.credentials.tokenSecret,
    ...extra,
  });

const ticketClient = (password = mock.credentials.password, user = mock.credentials.user) =>
  new PveClient({ origin: mock.url, verifyTls: true, timeoutMs: 5000, user, password });

const failure = async (p: Promise<unknown>): Promise<Error> => {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected the call to fail");
};

describe("token auth", () => {
  test("reads with the PVEAPIToken header", async () => {
    const version = await tokenClient().get<{ version: string }>("/version");
    expect(version.version).toMatch(/^\d+\.\d+/);
  });

  test("writes need no CSRF token", async () => {
    const vm = mock.state.guests.get(102);
    if (vm) vm.status = "stopped";
    const upid = await tokenClient().post<string>("/nodes/pve2/qemu/102/status/start");
    expect(upid).toMatch(
      /^UPID:pve2:[0-9A-F]{8}:[0-9A-F]{8,9}:[0-9A-F]{8}:qmstart:102:root@pam!mcp:$/,
    );
  });

  test("a wrong secret is a 401 PveError with a hint, not retried forever", async () => {
    const e = await failure(tokenClient(mock, { tokenValue: "wrong" }).get("/version"));
    expect(e).toBeInstanceOf(PveError);
    expect((e as PveError).status).toBe(401);
    expect((e as PveError).hint).toContain("token");
    expect(e.message).not.toContain("wrong");
  });
});

describe("ticket auth", () => {
  test("logs in once, sends the cookie, and the CSRF token on writes", async () => {
    const client = ticketClient();
    mock.requests.length = 0;
    await client.get("/nodes");
    await client.get("/cluster/resources");
    const logins = mock.requests.filter((r) => r.path === "/access/ticket");
    expect(logins).toHaveLength(1);
    // A write without CSRF would be refused by the mock (401 invalid csrf token).
    const upid = await client.post<string>("/nodes/pve1/qemu/100/status/start");
    expect(upid).toStartWith("UPID:pve1:");
  });

  test("concurrent first calls share one login", async () => {
    const client = ticketClient();
    mock.requests.length = 0;
    await Promise.all([client.get("/version"), client.get("/nodes"), client.get("/version")]);
    expect(mock.requests.filter((r) => r.path === "/access/ticket")).toHaveLength(1);
  });

  test("an expired ticket is renewed by one re-login and the call succeeds", async () => {
    const client = ticketClient();
    await client.get("/version");
    mock.faults.expireTickets();
    mock.requests.length = 0;
    const nodes = await client.get<unknown[]>("/nodes");
    expect(nodes.length).toBeGreaterThan(0);
    expect(mock.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      "GET /nodes 401",
      "POST /access/ticket 200",
      "GET /nodes 200",
    ]);
  });

  test("renews the ticket before its 2 h expiry", async () => {
    let now = Date.now();
    const { TicketAuth } = await import("../../src/pve/auth.ts");
    const { createTransport } = await import("../../src/pve/transport.ts");
    const send = createTransport({ origin: mock.url, verifyTls: true, timeoutMs: 5000 });
    const auth = new TicketAuth(
      mock.credentials.user,
      mock.credentials.password,
      send,
      () => {},
      () => now,
    );
    await auth.headers("GET");
    mock.requests.length = 0;
    await auth.headers("GET");
    expect(mock.requests).toHaveLength(0); // still fresh: no login
    now += 100 * 60 * 1000; // 1 h 40 min later
    const second = await auth.headers("GET");
    expect(second.Cookie).toStartWith("PVEAuthCookie=PVE");
    const renewal = mock.requests.find((r) => r.path === "/access/ticket");
    // PVE renews a ticket posted as the password: the real password is not sent again.
    expect(renewal?.params.password).toStartWith("PVE:");
  });

  test("bad password: 401 authentication failure", async () => {
    const e = await failure(ticketClient("nope").get("/version"));
    expect(e).toBeInstanceOf(PveError);
    expect((e as PveError).status).toBe(401);
    expect(e.message).not.toContain("nope");
  });
});

describe("errors", () => {
  test("a missing guest is PVE's 500 with its reason, recognised as not found", async () => {
    const e = (await failure(tokenClient().get("/nodes/pve1/qemu/999/config"))) as PveError;
    expect(e.status).toBe(500);
    expect(e.reason).toBe("Configuration file 'nodes/pve1/qemu-server/999.conf' does not exist");
    expect(e.isNotFound).toBe(true);
  });

  test("400 keeps the per-parameter errors", async () => {
    const e = (await failure(
      tokenClient().get("/cluster/resources", { type: "pool" }),
    )) as PveError;
    expect(e.status).toBe(400);
    expect(e.errors.type).toContain("does not have a value in the enumeration");
    expect(e.message).toContain("type:");
    expect(e.hint).toContain("parameters");
  });

  test("403 names the privilege and path, with a hint on token privilege separation", async () => {
    const auditor = new PveClient({
      origin: mock.url,
      verifyTls: true,
      timeoutMs: 5000,
      user: mock.credentials.auditorUser,
      password: mock.credentials.auditorPassword,
    });
    const e = (await failure(auditor.post("/nodes/pve1/qemu/100/status/stop"))) as PveError;
    expect(e.status).toBe(403);
    expect(e.reason).toBe("Permission check failed (/vms/100, VM.PowerMgmt)");
    expect(e.hint).toContain("VM.PowerMgmt on /vms/100");
  });

  test("an offline node answers 595; the read is retried once, then a typed error", async () => {
    mock.faults.offlineNodes.add("pve3");
    try {
      mock.requests.length = 0;
      const e = (await failure(tokenClient().get("/nodes/pve3/status"))) as PveError;
      expect(e.status).toBe(595);
      expect(e.hint).toContain("offline");
      expect(mock.requests.filter((r) => r.path === "/nodes/pve3/status")).toHaveLength(2);
    } finally {
      mock.faults.offlineNodes.delete("pve3");
    }
  });

  test("writes are never retried", async () => {
    mock.faults.offlineNodes.add("pve3");
    try {
      mock.requests.length = 0;
      await failure(tokenClient().post("/nodes/pve3/qemu/104/status/start"));
      expect(mock.requests.filter((r) => r.method === "POST")).toHaveLength(1);
    } finally {
      mock.faults.offlineNodes.delete("pve3");
    }
  });

  test("connection refused is a PveConnectionError with a hint", async () => {
    const c = tokenClient(mock, { origin: "http://127.0.0.1:1" });
    const e = (await failure(c.get("/version"))) as PveConnectionError;
    expect(e).toBeInstanceOf(PveConnectionError);
    expect(e.hint).toContain("port");
  });

  test("read-only mode refuses writes before they leave", async () => {
    mock.requests.length = 0;
    const e = await failure(
      tokenClient(mock, { readOnly: true }).post("/nodes/pve1/qemu/100/status/stop"),
    );
    expect(e.message).toContain("read-only");
    expect(mock.requests).toHaveLength(0);
  });
});

describe("TLS", () => {
  test("the self-signed certificate is refused by default", async () => {
    const e = await failure(tokenClient(tlsMock).get("/version"));
    expect(e).toBeInstanceOf(PveConnectionError);
    expect((e as PveConnectionError).hint).toContain("--no-verify-ssl");
  });

  test("trusted through its CA (pinning) or with verification off", async () => {
    const pinned = tokenClient(tlsMock, { ca: tlsMock.certificate?.pem });
    expect((await pinned.get<{ version: string }>("/version")).version).toBeTruthy();
    const insecure = tokenClient(tlsMock, { verifyTls: false });
    expect((await insecure.get<{ version: string }>("/version")).version).toBeTruthy();
  });
});

describe("paths", () => {
  test("segments are validated and encoded: ../access cannot reach another endpoint", () => {
    expect(() => segment("node", "../access")).toThrow(InvalidSegmentError);
    expect(() => segment("node", "pve1/../../access")).toThrow("invalid node");
    expect(() => segment("vmid", "100/../101")).toThrow("invalid vmid");
    expect(() => segment("vmid", 99)).toThrow();
    expect(() => segment("storage", "local%2F..")).toThrow();
    expect(() => segment("id", "a/b")).toThrow();
    expect(segment("node", "pve-1")).toBe("pve-1");
    expect(segment("id", "user@pve")).toBe("user%40pve");
  });

  test("resolveGuest finds node and type from the vmid, and names nearby vmids when absent", async () => {
    const g = await resolveGuest(tokenClient(), 200);
    expect(g).toMatchObject({ vmid: 200, node: "pve1", type: "lxc" });
    const e = await failure(resolveGuest(tokenClient(), 999));
    expect(e.message).toContain("VM 999 does not exist");
    expect(e.message).toMatch(/existing nearby: .*202/);
  });

  test("host settings become an https origin; pasted URLs and IPv6 work", () => {
    expect(originOf("pve.example.com", 8006)).toBe("https://pve.example.com:8006");
    expect(originOf("https://pve:8443/", 8006)).toBe("https://pve:8443");
    expect(originOf("fd00::1", 8006)).toBe("https://[fd00::1]:8006");
    expect(originOf("http://127.0.0.1:1234", 8006)).toBe("http://127.0.0.1:1234");
  });
});
