// /healthz's view of Proxmox: one GET /version through the shared client, classified without
// any detail, cached so that a busy load balancer does not become load on the cluster.

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type MockServer, startMock } from "../../src/mock/index.ts";
import { PveClient } from "../../src/pve/index.ts";
import { proxmoxProbe } from "../../src/server/health.ts";

let mock: MockServer;
beforeAll(async () => {
  mock = await startMock({ tls: false });
});
afterAll(() => mock.stop());

const client = (origin: string, tokenValue: string) =>
  new PveClient({
    origin,
    verifyTls: true,
    timeoutMs: 5000,
    user: "root@pam",
    tokenName: "mcp",
    tokenValue,
  });

describe("Proxmox reachability", () => {
  test("ok, and cached: a second look within the TTL sends nothing", async () => {
    const pve = client(mock.url, mock.credentials.tokenSecret);
    const probe = proxmoxProbe(() => pve, { ttlMs: 60_000 });
    mock.requests.length = 0;
    const [a, b] = await Promise.all([probe(), probe()]);
    expect(a.state).toBe("ok");
    expect(b).toBe(a);
    expect(await probe()).toBe(a);
    expect(mock.requests.filter((r) => r.path === "/version")).toHaveLength(1);
  });

  test("a refused token is auth_failed; a closed port is unreachable", async () => {
    const refused = proxmoxProbe(() => client(mock.url, "00000000-0000-0000-0000-000000000000"));
    expect((await refused()).state).toBe("auth_failed");
    const closed = Bun.serve({ port: 0, fetch: () => new Response() });
    const origin = `http://127.0.0.1:${closed.port}`;
    await closed.stop(true);
    const down = proxmoxProbe(() => client(origin, "x"));
    expect((await down()).state).toBe("unreachable");
  });

  test("past the TTL it looks again", async () => {
    const pve = client(mock.url, mock.credentials.tokenSecret);
    const probe = proxmoxProbe(() => pve, { ttlMs: 0 });
    mock.requests.length = 0;
    await probe();
    await probe();
    expect(mock.requests.filter((r) => r.path === "/version")).toHaveLength(2);
  });
});
