// Cluster create/join through a real MCP client against the mock: tokens refused as PVE does,
// root@pam with a password on a standalone node, passwords never echoed.

import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { type Harness, startHarness } from "../support/harness.ts";

const FP = Array.from({ length: 32 }, (_, i) =>
  (i * 7).toString(16).padStart(2, "0").toUpperCase(),
).join(":");
const PASSWORD = "peer-root-Secret-42";

describe("with an API token", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ auth: "token" });
  });
  afterEach(() => h.close());

  test("create_cluster: PVE refuses the token; the tool says to use root@pam with a password", async () => {
    h.mock.state.dc.clustered = false;
    const text = await h.fails("create_cluster", { clustername: "lab" });
    expect(text).toContain("needs root@pam with password authentication");
    expect(text).toContain("root@pam!mcp (an API token");
    expect(h.mock.requests.find((r) => r.path === "/cluster/config")?.status).toBe(403);
    expect(h.mock.state.dc.clustered).toBe(false);
  });

  test("join_cluster: same refusal, and the password appears nowhere", async () => {
    const r = await h.call("join_cluster", {
      hostname: "10.0.0.50",
      password: PASSWORD,
      fingerprint: FP,
    });
    expect(r.isError).toBe(true);
    expect(JSON.stringify(r)).not.toContain(PASSWORD);
  });

  test("get_cluster_join_info works with a token", async () => {
    h.mock.state.dc.clustered = true;
    const r = await h.ok<{
      hostname: string;
      fingerprint: string;
      cluster_name: string;
      nodes: { name: string }[];
    }>("get_cluster_join_info");
    expect(r).toMatchObject({
      cluster_name: "demo",
      hostname: "10.0.0.11",
      fingerprint: h.mock.state.nodes.get("pve1")?.sslFingerprint,
    });
    expect(r.nodes.map((n) => n.name)).toEqual(["pve1", "pve2", "pve3"]);
  });
});

describe("as root@pam with a password", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ auth: "ticket", mock: { nodes: 1 } });
  });
  afterEach(() => h.close());

  test("a node already in a cluster cannot create one", async () => {
    expect(await h.fails("create_cluster", { clustername: "lab" })).toContain(
      "cluster config '/etc/pve/corosync.conf' already exists",
    );
  });

  test("a node with guests cannot join; the task says why", async () => {
    h.mock.state.dc.clustered = false; // a standalone node
    const r = await h.call("join_cluster", {
      hostname: "10.0.0.50",
      password: PASSWORD,
      fingerprint: FP,
    });
    expect(r.isError).toBe(true);
    const text = JSON.stringify(r);
    expect(text).toContain("Check if node may join a cluster failed!");
    expect(text).toContain("this host already contains virtual guests");
    expect(text).not.toContain(PASSWORD);
  });

  test("a standalone node without guests joins; the password went to PVE only", async () => {
    h.mock.state.dc.clustered = false;
    h.mock.state.guests.clear();
    h.mock.requests.length = 0;
    const r = await h.call("join_cluster", {
      hostname: "10.0.0.50",
      password: PASSWORD,
      fingerprint: FP,
    });
    expect(r.isError).toBeFalsy();
    expect(JSON.stringify(r)).not.toContain(PASSWORD);
    expect(r.structuredContent).toMatchObject({ task_status: "ok" });
    expect(h.writes()[0]).toMatchObject({
      path: "/cluster/config/join",
      params: { hostname: "10.0.0.50", password: PASSWORD, fingerprint: FP },
    });
    expect(h.mock.state.dc.clustered).toBe(true);
  });

  test("create_cluster on a standalone node", async () => {
    h.mock.state.dc.clustered = false;
    const r = await h.ok<{ task_status: string; upid: string }>("create_cluster", {
      clustername: "lab",
    });
    expect(r.upid).toContain(":clustercreate:lab:root@pam:");
    expect(h.mock.state.clusterName).toBe("lab");
    const status = await h.ok<{ cluster?: { name: string } }>("get_cluster_status");
    expect(status.cluster?.name).toBe("lab");
  });

  test("bad names and fingerprints never leave", async () => {
    h.mock.requests.length = 0;
    await h.fails("create_cluster", { clustername: "a-name-that-is-far-too-long" });
    await h.fails("join_cluster", { hostname: "x", password: PASSWORD, fingerprint: "AB:CD" });
    expect(h.mock.requests).toEqual([]);
  });
});
