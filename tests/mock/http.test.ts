// Envelope, headers, reason phrases, 501s, param validation and faults, over real HTTP.
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import type { MockServer } from "../../src/mock/index.ts";
import { form, login, raw, type Session, startTestMock } from "./helpers.ts";

let mock: MockServer;
let s: Session;
beforeEach(async () => {
  mock = await startTestMock();
  s = await login(mock);
});
afterEach(() => mock.stop());

describe("envelope", () => {
  test("success: data envelope and PVE headers", async () => {
    const res = await s.call("GET", "/version");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json;charset=UTF-8");
    expect(res.headers.get("server")).toBe("pve-api-daemon/3.0");
    expect(res.json).toEqual({
      data: { version: "9.1.3", release: "9.1", repoid: expect.stringMatching(/^[0-9a-f]{16}$/) },
    });
  });

  test("missing guest: 500 with the message in the reason phrase", async () => {
    const res = await s.call("GET", "/nodes/pve1/qemu/999/config");
    expect(res.status).toBe(500);
    expect(res.reason).toBe("Configuration file 'nodes/pve1/qemu-server/999.conf' does not exist");
    expect(res.json).toEqual({
      data: null,
      message: "Configuration file 'nodes/pve1/qemu-server/999.conf' does not exist\n",
    });
  });

  test("a guest on another node is missing on this one", async () => {
    const res = await s.call("GET", "/nodes/pve2/lxc/200/config");
    expect(res.reason).toBe("Configuration file 'nodes/pve2/lxc/200.conf' does not exist");
  });

  test("unknown path and unknown method: 501", async () => {
    const res = await s.call("GET", "/nodes/pve1/foo");
    expect(res.status).toBe(501);
    expect(res.reason).toBe("Method 'GET /nodes/pve1/foo' not implemented");
    const del = await s.call("DELETE", "/version");
    expect(del.reason).toBe("Method 'DELETE /version' not implemented");
  });

  test("unknown node: hostname lookup failure", async () => {
    const res = await s.call("GET", "/nodes/foo/qemu");
    expect(res.status).toBe(500);
    expect(res.reason).toBe(
      "hostname lookup 'foo' failed - failed to get address info for: foo: Name or service not known",
    );
  });

  test("a cluster node in the wrong case or as FQDN: 596 from the proxied call, no body", async () => {
    for (const name of ["PVE1", "pve2.example.com"]) {
      const res = await s.call("GET", `/nodes/${name}/qemu`);
      expect([res.status, res.reason, res.body]).toEqual([
        596,
        "Errors during TLS negotiation, request sending and header processing: error:0A000086:SSL routines::certificate verify failed",
        "",
      ]);
    }
  });

  test("an encoded ../ in a path segment stays one segment and never reaches another route", async () => {
    const res = await s.call("GET", `/nodes/${encodeURIComponent("../access")}/qemu`);
    expect(res.status).toBe(500);
    expect(res.reason).toStartWith("hostname lookup '../access' failed");
  });
});

describe("parameter verification", () => {
  const errorsOf = async (method: string, path: string, params: Record<string, string>) => {
    const res = await s.call(method, path, params);
    expect(res.status).toBe(400);
    expect(res.reason).toBe("Parameter verification failed.");
    expect(res.json.message).toBe("Parameter verification failed.\n");
    return res.json.errors;
  };

  test("unknown parameter", async () => {
    expect(await errorsOf("GET", "/cluster/resources", { foo: "1" })).toEqual({
      foo: "property is not defined in schema and the schema does not allow additional properties",
    });
  });

  test("enum", async () => {
    expect(await errorsOf("GET", "/cluster/resources", { type: "pool" })).toEqual({
      type: "value 'pool' does not have a value in the enumeration 'vm, storage, node, sdn'",
    });
  });

  test("missing required", async () => {
    expect(await errorsOf("POST", "/nodes/pve1/qemu/100/migrate", {})).toEqual({
      target: "property is missing and it is not optional",
    });
  });

  test("integer, boolean, minimum, vmid format", async () => {
    expect(
      await errorsOf("GET", "/nodes/pve1/tasks", { limit: "abc", errors: "true", start: "-1" }),
    ).toEqual({
      limit: "type check ('integer') failed - got 'abc'",
      errors: "type check ('boolean') failed - got 'true'",
      start: "value must have a minimum value of 0",
    });
    expect(await errorsOf("GET", "/cluster/nextid", { vmid: "42" })).toEqual({
      vmid: "invalid format - value does not look like a valid VM ID\n",
    });
  });

  test("path parameters are validated too", async () => {
    expect(await errorsOf("GET", "/nodes/pve1/qemu/abc/config", {})).toEqual({
      vmid: "type check ('integer') failed - got 'abc'",
    });
  });

  test("a repeated key is an array", async () => {
    expect(
      await errorsOf("GET", "/cluster/resources", { type: ["vm", "node"] as unknown as string }),
    ).toEqual({
      type: "type check ('string') failed - got ARRAY",
    });
  });

  test("JSON bodies: true/false pass as booleans", async () => {
    const res = await raw(mock, "POST", "/nodes/pve1/qemu/100/config", {
      headers: {
        Cookie: `PVEAuthCookie=${s.ticket}`,
        CSRFPreventionToken: s.csrf,
        "Content-Type": "application/json",
      },
      body: JSON.stringify({ onboot: false, background_delay: 5 }),
    });
    expect(res.status).toBe(200);
    expect(mock.state.guests.get(100)?.config.onboot).toBe(0);
  });

  test("query wins over the body; conflicting path parameter is refused", async () => {
    const res = await raw(mock, "GET", "/nodes/pve1/qemu/100/config", {
      headers: { Cookie: `PVEAuthCookie=${s.ticket}` },
      query: form({ vmid: "101" }),
    });
    expect(res.status).toBe(400);
    expect(res.json.errors).toEqual({
      vmid: "duplicate parameter (already defined in URI) with conflicting values!",
    });
  });
});

describe("recording and faults", () => {
  test("requests are recorded with path and params", async () => {
    mock.requests.length = 0;
    await s.call("GET", "/cluster/resources", { type: "vm" });
    expect(mock.requests).toEqual([
      { method: "GET", path: "/cluster/resources", params: { type: "vm" }, status: 200 },
    ]);
  });

  test("httpStatus answers the next N requests with an empty body", async () => {
    mock.faults.httpStatus = { status: 596, reason: "Connection timed out", count: 2 };
    for (let i = 0; i < 2; i++) {
      const res = await s.call("GET", "/version");
      expect([res.status, res.reason, res.body]).toEqual([596, "Connection timed out", ""]);
    }
    expect((await s.call("GET", "/version")).status).toBe(200);
  });

  test("latency holds every request: a client that waits less gets no answer", async () => {
    // Held far longer than the client waits, so the client's give-up is the signal, not a clock.
    mock.faults.latencyMs = 10_000;
    for (const path of ["/version", "/nodes"]) {
      const held = fetch(`${mock.url}/api2/json${path}`, { signal: AbortSignal.timeout(100) });
      await expect(held).rejects.toMatchObject({ name: "TimeoutError" });
    }
    mock.faults.latencyMs = 0;
    expect((await s.call("GET", "/version")).status).toBe(200);
  });

  test("HEAD: 501 without body", async () => {
    const res = await raw(mock, "HEAD", "/version");
    expect([res.status, res.reason]).toEqual([501, "method 'HEAD' not available"]);
  });
});
