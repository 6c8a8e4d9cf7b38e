// Tickets, CSRF, API tokens, expiry, and the auditor's 403s.
import { afterEach, beforeEach, describe, expect, setSystemTime, test } from "bun:test";
import type { MockServer } from "../../src/mock/index.ts";
import { form, login, raw, startTestMock } from "./helpers.ts";

let mock: MockServer;
beforeEach(async () => {
  mock = await startTestMock();
});
afterEach(() => mock.stop());

const tokenHeader = () => ({
  Authorization: `PVEAPIToken=${mock.credentials.tokenId}=${mock.credentials.tokenSecret}`,
});

describe("tickets", () => {
  test("login answers ticket, CSRF token, clustername and cap", async () => {
    const res = await raw(mock, "POST", "/access/ticket", {
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: form({ username: "root@pam", password: mock.credentials.password }),
    });
    expect(res.status).toBe(200);
    const d = res.json.data;
    expect(d.username).toBe("root@pam");
    expect(d.ticket).toMatch(/^PVE:root@pam:[0-9A-F]{8}::[A-Za-z0-9+/=]+$/);
    expect(d.CSRFPreventionToken).toMatch(/^[0-9A-F]{8}:[A-Za-z0-9+/]+$/);
    expect(d.clustername).toBe("demo");
    expect(d.cap.vms["VM.PowerMgmt"]).toBe(1);
  });

  test("realm as a separate parameter", async () => {
    const res = await raw(mock, "POST", "/access/ticket", {
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: form({ username: "root", realm: "pam", password: mock.credentials.password }),
    });
    expect(res.json.data.username).toBe("root@pam");
  });

  test("bad password: 401 authentication failure", async () => {
    const res = await raw(mock, "POST", "/access/ticket", {
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: form({ username: "root@pam", password: "nope" }),
    });
    expect([res.status, res.reason]).toEqual([401, "authentication failure"]);
    expect(res.json.message).toBe("authentication failure\n");
  });

  test("with a delay, a 401 is held back while later calls are answered", async () => {
    const slow = await startTestMock({ unauthorizedDelayMs: 60_000 });
    const order: string[] = [];
    const bad = raw(slow, "GET", "/nodes").then((r) => order.push(`401 ${r.reason}`));
    const s = await login(slow);
    for (let i = 0; i < 10; i++) await s.call("GET", "/version");
    order.push("good calls answered");
    await slow.stop();
    await bad.catch(() => order.push("401 cut off by the stop"));
    expect(order).toEqual(["good calls answered", "401 cut off by the stop"]);
  });

  test("no credentials: 401 No ticket, empty body", async () => {
    const res = await raw(mock, "GET", "/nodes");
    expect([res.status, res.reason, res.body]).toEqual([401, "No ticket", ""]);
  });

  // PVE 9.1.3's texts (9.1.5 answers every one of these "Authentication failed!").
  test("bad ticket: 401 permission denied - invalid PVE ticket", async () => {
    const res = await raw(mock, "GET", "/nodes", {
      headers: { Cookie: "PVEAuthCookie=PVE:root@pam:65F1A2B3::garbage" },
    });
    expect([res.status, res.reason, res.body]).toEqual([
      401,
      "permission denied - invalid PVE ticket",
      "",
    ]);
  });

  test("ticket in the Authorization header works too", async () => {
    const s = await login(mock);
    const res = await raw(mock, "GET", "/nodes", {
      headers: { Authorization: `PVEAuthCookie=${s.ticket}` },
    });
    expect(res.status).toBe(200);
  });

  test("writes need the CSRF token", async () => {
    const s = await login(mock);
    const res = await raw(mock, "POST", "/nodes/pve1/qemu/100/status/suspend", {
      headers: { Cookie: `PVEAuthCookie=${s.ticket}` },
    });
    expect([res.status, res.reason, res.body]).toEqual([
      401,
      "Permission denied - invalid csrf token",
      "",
    ]);
    const bad = await raw(mock, "POST", "/nodes/pve1/qemu/100/status/suspend", {
      headers: { Cookie: `PVEAuthCookie=${s.ticket}`, CSRFPreventionToken: "65F1A2B3:nope" },
    });
    expect(bad.reason).toBe("Permission denied - invalid csrf token");
  });

  test("renewal: the current ticket as password gives a new ticket", async () => {
    const s = await login(mock);
    const res = await raw(mock, "POST", "/access/ticket", {
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: form({ username: "root@pam", password: s.ticket }),
    });
    expect(res.status).toBe(200);
    expect(res.json.data.ticket).toStartWith("PVE:root@pam:");
  });

  test("expireTickets invalidates every ticket issued so far", async () => {
    const s = await login(mock);
    expect((await s.call("GET", "/nodes")).status).toBe(200);
    mock.faults.expireTickets();
    const res = await s.call("GET", "/nodes");
    expect([res.status, res.reason]).toEqual([401, "permission denied - invalid PVE ticket"]);
    expect((await (await login(mock)).call("GET", "/nodes")).status).toBe(200);
  });

  test("tickets expire after ticketLifetimeSec", async () => {
    const short = await startTestMock({ ticketLifetimeSec: 60 });
    try {
      const s = await login(short);
      expect((await s.call("GET", "/version")).status).toBe(200);
      setSystemTime(new Date(Date.now() + 61_000)); // the clock moves past the ticket's lifetime
      const res = await s.call("GET", "/version");
      expect([res.status, res.reason]).toEqual([401, "permission denied - invalid PVE ticket"]);
    } finally {
      setSystemTime(); // back to the real clock
      await short.stop();
    }
  });
});

describe("API tokens", () => {
  test("token works without CSRF, and its tasks carry the token", async () => {
    const res = await raw(mock, "POST", "/nodes/pve2/qemu/102/status/start", {
      headers: tokenHeader(),
    });
    expect(res.status).toBe(200);
    expect(res.json.data).toMatch(
      /^UPID:pve2:[0-9A-F]{8}:[0-9A-F]{8}:[0-9A-F]{8}:qmstart:102:root@pam!mcp:$/,
    );
    const st = await raw(
      mock,
      "GET",
      `/nodes/pve2/tasks/${encodeURIComponent(res.json.data)}/status`,
      { headers: tokenHeader() },
    );
    expect(st.json.data.user).toBe("root@pam");
    expect(st.json.data.tokenid).toBe("mcp");
  });

  test("bad token secret, unknown token, unknown user: verify_token's texts", async () => {
    const reason = async (header: string) =>
      (await raw(mock, "GET", "/nodes", { headers: { Authorization: header } })).reason;
    expect(await reason("PVEAPIToken=root@pam!mcp=wrong")).toBe("invalid token value!");
    expect(await reason("PVEAPIToken=root@pam!nope=x")).toBe(
      "no such token 'nope' for user 'root@pam'",
    );
    expect(await reason("PVEAPIToken=ghost@pve!mcp=x")).toBe("no such user ('ghost@pve')");
  });

  test("tokens are refused on /access/ticket", async () => {
    const res = await raw(mock, "POST", "/access/ticket", {
      headers: { ...tokenHeader(), "Content-Type": "application/x-www-form-urlencoded" },
      body: form({ username: "root@pam", password: "x" }),
    });
    expect([res.status, res.reason]).toEqual([
      403,
      "URI '/access/ticket' not available with API token, need proper ticket.",
    ]);
  });
});

describe("auditor", () => {
  test("reads work, writes get 403 with the exact reason", async () => {
    const a = await login(mock, mock.credentials.auditorUser, mock.credentials.auditorPassword);
    expect((await a.call("GET", "/nodes/pve1/qemu/100/status/current")).status).toBe(200);
    const res = await a.call("POST", "/nodes/pve1/qemu/100/status/stop");
    expect([res.status, res.reason]).toEqual([
      403,
      "Permission check failed (/vms/100, VM.PowerMgmt)",
    ]);
    expect(res.json.message).toBe("Permission check failed (/vms/100, VM.PowerMgmt)\n");
    const cfg = await a.call("PUT", "/nodes/pve1/qemu/100/config", { name: "x" });
    expect(cfg.reason).toBe(
      "Permission check failed (/vms/100, VM.Config.Disk|VM.Config.CDROM|VM.Config.CPU|VM.Config.Memory|VM.Config.Network|VM.Config.HWType|VM.Config.Options|VM.Config.Cloudinit)",
    );
  });

  test("list calls never 403: a user without ACL sees nodes but no guests", async () => {
    mock.state.users.set("nobody@pve", {
      userid: "nobody@pve",
      password: "nobody-pw",
      enable: true,
    });
    const n = await login(mock, "nobody@pve", "nobody-pw");
    const res = await n.call("GET", "/cluster/resources");
    expect(res.status).toBe(200);
    const types = new Set(res.json.data.map((r: { type: string }) => r.type));
    expect([...types]).toEqual(["node"]);
    expect(res.json.data[0].maxcpu).toBeUndefined();
    expect((await n.call("GET", "/nodes/pve1/qemu")).json.data).toEqual([]);
    const status = await n.call("GET", "/cluster/status");
    expect(status.reason).toBe("Permission check failed (/, Sys.Audit)");
  });

  test("an ACL on a pool covers its guests", async () => {
    mock.state.users.set("dev@pve", { userid: "dev@pve", password: "dev-pw", enable: true });
    mock.state.acl.push({
      path: "/pool/lab",
      ugid: "dev@pve",
      roleid: "PVEVMUser",
      propagate: true,
    });
    const d = await login(mock, "dev@pve", "dev-pw");
    const rows = (await d.call("GET", "/cluster/resources", { type: "vm" })).json.data;
    expect(rows.map((r: { vmid: number }) => r.vmid).sort()).toEqual([102, 105]);
    expect((await d.call("POST", "/nodes/pve1/qemu/100/status/stop")).status).toBe(403);
  });
});
