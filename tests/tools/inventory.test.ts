// Read tools through a real MCP client against the mock: nodes, cluster, guest listings, config.

import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { type Harness, startHarness } from "../support/harness.ts";

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(() => h.close());

interface GuestList {
  guests: {
    vmid: number;
    node: string;
    type: string;
    status: string;
    tags?: string[];
    name?: string;
  }[];
  total: number;
  next_cursor?: string;
  offline_nodes: string[];
}

describe("list_nodes", () => {
  test("lists every node, sorted, with stats", async () => {
    const r = await h.ok<{
      nodes: { node: string; status: string; maxmem?: number }[];
      offline: string[];
    }>("list_nodes");
    expect(r.nodes.map((n) => n.node)).toEqual(["pve1", "pve2", "pve3"]);
    expect(r.nodes.every((n) => n.status === "online" && (n.maxmem ?? 0) > 0)).toBe(true);
    expect(r.offline).toEqual([]);
  });

  test("an offline node is listed as offline, not fatal", async () => {
    h.mock.faults.offlineNodes.add("pve2");
    try {
      const r = await h.ok<{ nodes: { node: string; status: string }[]; offline: string[] }>(
        "list_nodes",
      );
      expect(r.offline).toEqual(["pve2"]);
      expect(r.nodes.find((n) => n.node === "pve1")?.status).toBe("online");
    } finally {
      h.mock.faults.offlineNodes.delete("pve2");
    }
  });
});

describe("get_node_status", () => {
  test("returns the node's status with units and percentages beside the raw numbers", async () => {
    const r = await h.call("get_node_status", { node: "pve1" });
    const s = r.structuredContent as Record<string, number | string>;
    const node = h.mock.state.nodes.get("pve1");
    expect(s).toMatchObject({ node: "pve1", maxmem: node?.maxmem, mem: node?.mem });
    expect(s.mem_pct).toBe(Math.round(((node?.mem ?? 0) / (node?.maxmem ?? 1)) * 1000) / 10);
    expect(s.cpu_model).toBe(node?.cpuModel);
    expect(typeof s.uptime).toBe("number");
    const text = (r.content[0] as { text: string }).text;
    expect(text).toContain(`mem_pct: ${s.mem_pct}%`);
    expect(text).toMatch(/maxmem: \d+\.\d (GiB|TiB)/);
    expect(text).toMatch(/uptime: \d+[dhms]/);
  });

  test("an unknown node is PVE's error, explained", async () => {
    const text = await h.fails("get_node_status", { node: "nosuch" });
    expect(text).toContain("hostname lookup 'nosuch' failed");
  });

  test("a node name that is a path is refused before any request", async () => {
    h.mock.requests.length = 0;
    const text = await h.fails("get_node_status", { node: "../access" });
    expect(text).toContain("invalid node");
    expect(h.mock.requests).toHaveLength(0);
  });
});

describe("get_cluster_status", () => {
  test("cluster name, quorum and members", async () => {
    const r = await h.ok<{
      cluster: { name: string; nodes: number; quorate: boolean };
      nodes: { name: string; online: boolean }[];
    }>("get_cluster_status");
    expect(r.cluster).toMatchObject({ name: "demo", nodes: 3, quorate: true });
    expect(r.nodes.map((n) => n.name)).toEqual(["pve1", "pve2", "pve3"]);
    expect(r.nodes.every((n) => n.online)).toBe(true);
  });
});

describe("list_vms / list_containers", () => {
  test("one /cluster/resources call lists VMs only, sorted by vmid", async () => {
    h.mock.requests.length = 0;
    const r = await h.ok<GuestList>("list_vms");
    expect(r.guests.map((g) => g.vmid)).toEqual([100, 101, 102, 103, 104, 105]);
    expect(r.guests.every((g) => g.type === "qemu")).toBe(true);
    expect(h.mock.requests.map((q) => q.path)).toEqual(["/cluster/resources"]);
  });

  test("containers", async () => {
    const r = await h.ok<GuestList>("list_containers");
    expect(r.guests.map((g) => g.vmid)).toEqual([200, 201, 202]);
    expect(r.guests.find((g) => g.vmid === 200)).toMatchObject({ node: "pve1", status: "running" });
  });

  test("filters: tag, node, status, name pattern, pool", async () => {
    const byTag = await h.ok<GuestList>("list_vms", { tag: "prod" });
    expect(byTag.guests.map((g) => g.vmid)).toEqual([100, 101]);
    const byNode = await h.ok<GuestList>("list_vms", { node: "pve2", status: "stopped" });
    expect(byNode.guests.map((g) => g.vmid)).toEqual([102]);
    const byName = await h.ok<GuestList>("list_vms", { name: "WEB*" });
    expect(byName.guests.map((g) => g.name)).toEqual(["web-01"]);
    const byPool = await h.ok<GuestList>("list_vms", { pool: "prod" });
    expect(byPool.guests.map((g) => g.vmid)).toContain(100);
  });

  test("paging with a cursor walks every guest exactly once", async () => {
    const seen: number[] = [];
    let cursor: string | undefined;
    do {
      const page: GuestList = await h.ok<GuestList>("list_vms", {
        limit: 4,
        ...(cursor ? { cursor } : {}),
      });
      expect(page.total).toBe(6);
      seen.push(...page.guests.map((g) => g.vmid));
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen).toEqual([100, 101, 102, 103, 104, 105]);
  });

  test("guests of an offline node show status unknown and the node is reported", async () => {
    h.mock.faults.offlineNodes.add("pve3");
    try {
      const r = await h.ok<GuestList>("list_vms");
      expect(r.offline_nodes).toEqual(["pve3"]);
      expect(r.guests.length).toBe(6);
    } finally {
      h.mock.faults.offlineNodes.delete("pve3");
    }
  });

  test("bad arguments are refused with the argument named; nothing is sent", async () => {
    h.mock.requests.length = 0;
    const text = await h.fails("list_vms", { limit: 0, sort: "size" });
    expect(text).toContain("nothing was sent");
    expect(text).toContain("limit");
    expect(text).toContain("sort");
    expect(h.mock.requests).toHaveLength(0);
  });
});

describe("get_vm_config", () => {
  test("by vmid alone: node and type are found", async () => {
    const r = await h.ok<{ node: string; type: string; config: Record<string, unknown> }>(
      "get_vm_config",
      {
        vmid: 100,
      },
    );
    expect(r).toMatchObject({ node: "pve1", type: "qemu" });
    expect(r.config.name).toBe("web-01");
    expect(r.config.digest).toBeUndefined(); // it guards writes no tool passes it back to
  });

  test("a container's config", async () => {
    const r = await h.ok<{ type: string; config: Record<string, unknown> }>("get_vm_config", {
      vmid: 200,
    });
    expect(r.type).toBe("lxc");
    expect(r.config.hostname).toBe("dns-01");
  });

  test("a wrong node hint is corrected, not obeyed", async () => {
    const r = await h.ok<{ node: string }>("get_vm_config", {
      vmid: 102,
      node: "pve1",
      type: "qemu",
    });
    expect(r.node).toBe("pve2");
  });

  test("a missing vmid says so and names the vmids nearby", async () => {
    const text = await h.fails("get_vm_config", { vmid: 999 });
    expect(text).toContain("VM 999 does not exist");
    expect(text).toContain("existing nearby");
  });

  test("a vmid of the wrong type is refused before any request", async () => {
    h.mock.requests.length = 0;
    const text = await h.fails("get_vm_config", { vmid: "abc" });
    expect(text).toContain("vmid");
    expect(h.mock.requests).toHaveLength(0);
  });
});
