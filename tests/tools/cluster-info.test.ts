// Cluster and node reads through a real MCP client against the mock: inventory, cluster log,
// version, RRD statistics and the system journal.

import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { type Harness, startHarness } from "../support/harness.ts";

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(() => h.close());

interface Resources {
  resources: {
    id: string;
    type: string;
    node?: string;
    status?: string;
    shared?: boolean;
    template?: boolean;
  }[];
  total: number;
  next_cursor?: string;
}

describe("get_cluster_resources", () => {
  test("unfiltered: pools, guests, nodes, storages and sdn in one call", async () => {
    const r = await h.ok<Resources>("get_cluster_resources");
    expect(new Set(r.resources.map((x) => x.type))).toEqual(
      new Set(["pool", "qemu", "lxc", "node", "storage", "sdn"]),
    );
    expect(r.total).toBe(r.resources.length);
    expect(r.next_cursor).toBeUndefined();
    expect(r.resources.find((x) => x.id === "storage/pve1/backups")?.shared).toBe(true);
    expect(r.resources.find((x) => x.id === "qemu/104")?.template).toBe(true);
  });

  test("type filter is passed as PVE names it; other types never reach PVE", async () => {
    h.mock.requests.length = 0;
    const r = await h.ok<Resources>("get_cluster_resources", { type: "node" });
    expect(r.resources.map((x) => x.id)).toEqual(["node/pve1", "node/pve2", "node/pve3"]);
    expect(h.mock.requests.map((q) => q.params)).toEqual([{ type: "node" }]);
    h.mock.requests.length = 0;
    const text = await h.fails("get_cluster_resources", { type: "pool" });
    expect(text).toContain("nothing was sent");
    expect(h.mock.requests).toEqual([]);
  });
});

test("get_cluster_log reads PVE's recent window, newest first, paged with ISO times", async () => {
  h.mock.requests.length = 0;
  const r = await h.ok<{
    entries: { time: string; age: number; msg: string; node?: string }[];
    total: number;
    next_cursor?: string;
  }>("get_cluster_log", { limit: 3 });
  expect(h.mock.requests.find((q) => q.path === "/cluster/log")?.params).toEqual({ max: "1000" });
  expect(r.entries).toHaveLength(3);
  expect(r.total).toBeGreaterThan(3);
  expect(r.next_cursor).toBe("3");
  expect(r.entries[0]?.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  expect(Date.parse(r.entries[0]?.time ?? "")).toBeGreaterThanOrEqual(
    Date.parse(r.entries[2]?.time ?? ""),
  );
  expect(r.entries[0]?.msg).toMatch(/task UPID:/);
  const next = await h.ok<{ entries: { msg: string }[] }>("get_cluster_log", {
    limit: 3,
    cursor: r.next_cursor,
  });
  expect(next.entries[0]?.msg).not.toBe(r.entries[0]?.msg);
  const pve2 = await h.ok<{ entries: { node?: string }[] }>("get_cluster_log", { node: "pve2" });
  expect(pve2.entries.every((e) => e.node === "pve2")).toBe(true);
});

test("get_version reads /version, or one node's version", async () => {
  const v = await h.ok<{ version: string; release: string }>("get_version");
  expect(v).toMatchObject({ version: "9.1.3", release: "9.1" });
  h.mock.requests.length = 0;
  await h.ok("get_version", { node: "pve2" });
  expect(h.mock.requests.map((q) => q.path)).toEqual(["/nodes/pve2/version"]);
});

describe("get_node_stats", () => {
  test("summarises the RRD series of the time frame", async () => {
    h.mock.requests.length = 0;
    const r = await h.ok<{
      points: number;
      maxmem: number;
      summary: Record<string, { min: number; avg: number; max: number; last: number }>;
      samples?: unknown[];
    }>("get_node_stats", { node: "pve1", timeframe: "day", cf: "MAX" });
    expect(h.mock.requests[0]).toMatchObject({
      path: "/nodes/pve1/rrddata",
      params: { timeframe: "day", cf: "MAX" },
    });
    expect(r.points).toBe(70);
    const cpu = r.summary.cpu_pct;
    expect(cpu && cpu.min <= cpu.avg && cpu.avg <= cpu.max).toBe(true);
    expect(r.maxmem).toBe(h.mock.state.nodes.get("pve1")?.maxmem ?? -1);
    expect(r.samples).toBeUndefined();
    const withSamples = await h.ok<{ samples: { time: string }[] }>("get_node_stats", {
      node: "pve1",
      samples: true,
    });
    expect(withSamples.samples).toHaveLength(70);
  });

  test("an unknown timeframe is refused before any request", async () => {
    h.mock.requests.length = 0;
    await h.fails("get_node_stats", { node: "pve1", timeframe: "minute" });
    expect(h.mock.requests).toEqual([]);
  });
});

describe("get_node_syslog", () => {
  test("by default the newest lines, from the journal's tail", async () => {
    h.mock.requests.length = 0;
    const r = await h.ok<{ lines: string[] }>("get_node_syslog", { node: "pve2", limit: 5 });
    expect(h.mock.requests[0]).toMatchObject({
      path: "/nodes/pve2/journal",
      params: { lastentries: "5" },
    });
    expect(r.lines).toHaveLength(5);
    expect(r.lines.every((l) => / pve2 /.test(l))).toBe(true);
    expect(r.lines.at(-1)).toContain("pve-ha-lrm");
  });

  test("a service filter reads syslog pages and keeps the newest", async () => {
    h.mock.requests.length = 0;
    const r = await h.ok<{ lines: string[] }>("get_node_syslog", {
      node: "pve1",
      service: "pveproxy",
      limit: 4,
    });
    expect(h.mock.requests[0]).toMatchObject({
      path: "/nodes/pve1/syslog",
      params: { service: "pveproxy", start: "0", limit: "5000" },
    });
    expect(r.lines).toHaveLength(4);
    expect(r.lines.every((l) => l.includes("pveproxy["))).toBe(true);
  });

  test("start pages from the oldest line", async () => {
    const r = await h.ok<{ lines: string[] }>("get_node_syslog", {
      node: "pve1",
      start: 0,
      limit: 2,
    });
    expect(r.lines).toHaveLength(2);
    expect(r.lines[0]).toContain("starting task UPID:pve1:"); // the vzdump of two days ago
  });
});
