// The mock's fault switches over plain HTTP: counted faults that match a method or path, a
// one-shot latency spike, a cut connection, the port going away and coming back, reason phrases
// that stay valid HTTP whatever the error text; and the scale-out cluster.

import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import type { MockServer } from "../../src/mock/index.ts";
import { raw, startTestMock } from "./helpers.ts";

let mock: MockServer;
const token = () => ({
  Authorization: `PVEAPIToken=${mock.credentials.tokenId}=${mock.credentials.tokenSecret}`,
});
const get = (path: string) => raw(mock, "GET", path, { headers: token() });

beforeEach(async () => {
  mock = await startTestMock();
});
afterEach(() => mock.stop());

describe("fault switches", () => {
  test("a counted HTTP fault applies only to matching requests", async () => {
    mock.faults.httpStatus = { status: 503, reason: "busy", count: 1, method: "POST" };
    expect((await get("/version")).status).toBe(200); // a GET does not consume it
    const post = await raw(mock, "POST", "/nodes/pve1/qemu/100/status/start", {
      headers: token(),
    });
    expect([post.status, post.reason, post.body]).toEqual([503, "busy", ""]);
    expect(mock.faults.httpStatus).toBeUndefined();
    mock.faults.httpStatus = { status: 595, reason: "No route to host", count: 1, path: "/nodes" };
    expect((await get("/version")).status).toBe(200);
    expect((await get("/nodes")).status).toBe(595);
  });

  test("a latency spike delays the next requests only, and is recorded", async () => {
    mock.faults.latencySpike = { ms: 50, count: 1 };
    mock.requests.length = 0;
    await get("/version");
    await get("/version");
    expect(mock.faults.latencySpike).toBeUndefined();
    expect(mock.requests.map((r) => r.status)).toEqual([200, 200]);
  });

  test("a dropped request gets no answer and is recorded with status 0", async () => {
    // Every try is cut (fetch retries a GET once when its pooled connection dies).
    mock.faults.drop = { count: 5 };
    mock.requests.length = 0;
    await expect(fetch(`${mock.url}/api2/json/version`, { headers: token() })).rejects.toThrow();
    mock.faults.drop = undefined;
    expect(mock.requests.length).toBeGreaterThan(0);
    for (const r of mock.requests) {
      expect(r).toEqual({ method: "GET", path: "/version", params: {}, status: 0 });
    }
    expect((await get("/version")).status).toBe(200);
  });

  test("stopListening refuses connections; listenAgain serves the same state on the port", async () => {
    const guest = mock.state.guests.get(100);
    if (guest) guest.config.description = "still me";
    await mock.stopListening();
    await expect(fetch(`${mock.url}/api2/json/version`)).rejects.toThrow();
    await mock.listenAgain();
    const config = await get("/nodes/pve1/qemu/100/config");
    expect(config.json.data.description).toBe("still me");
  });

  test("an error text with unicode or control characters still makes a valid status line", async () => {
    mock.faults.httpStatus = { status: 500, reason: "bad \u0001 ℙ💥 value", count: 1 };
    const res = await get("/version");
    expect([res.status, res.reason]).toEqual([500, "bad ? ??? value"]); // 💥 is two UTF-16 units
  });
});

describe("scale-out", () => {
  test("10,000 guests on 20 nodes: all listed, spread over every node, unique vmids", async () => {
    const big = await startTestMock({ guests: 10_000, nodes: 20 });
    try {
      const res = await raw(big, "GET", "/cluster/resources", {
        headers: {
          Authorization: `PVEAPIToken=${big.credentials.tokenId}=${big.credentials.tokenSecret}`,
        },
        query: "type=vm",
      });
      const guests = res.json.data as { vmid: number; node: string }[];
      expect(guests).toHaveLength(10_000);
      expect(new Set(guests.map((g) => g.vmid)).size).toBe(10_000);
      expect(new Set(guests.map((g) => g.node)).size).toBe(20);
    } finally {
      await big.stop();
    }
  });

  test("the mock command refuses counts that are not whole numbers", async () => {
    const run = Bun.spawnSync([process.execPath, "src/main.ts", "mock", "--guests", "abc"]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr.toString()).toContain(
      '--guests must be a whole number from 1 to 1000000, not "abc"',
    );
  });
});
