// Firewall and network tools through a real MCP client against the mock: the three rule
// levels, guests found from the vmid, safe deletion by position, node interfaces.

import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { type Harness, startHarness } from "../support/harness.ts";

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(() => h.close());

const writes = () => h.writes().map((r) => `${r.method} ${r.path}`);

interface Rules {
  level: string;
  node?: string;
  vmid?: number;
  rules: {
    pos: number;
    type: string;
    action: string;
    enabled: boolean;
    dport?: string;
    macro?: string;
  }[];
}

describe("levels", () => {
  test("no node, no vmid: the cluster's rules", async () => {
    const r = await h.ok<Rules>("list_firewall_rules");
    expect(r.level).toBe("cluster");
    expect(r.rules.map((x) => [x.pos, x.action, x.dport ?? x.macro])).toEqual([
      [0, "ACCEPT", "8006"],
      [1, "ACCEPT", "SSH"],
    ]);
  });

  test("vmid alone finds the guest's node and type", async () => {
    h.mock.requests.length = 0;
    const r = await h.ok<Rules>("list_firewall_rules", { vmid: 100 });
    expect(r).toMatchObject({ level: "guest", node: "pve1", vmid: 100 });
    expect(r.rules).toHaveLength(2);
    expect(h.mock.requests.map((q) => q.path)).toContain("/nodes/pve1/qemu/100/firewall/rules");
  });

  test("a container's rules are under lxc", async () => {
    await h.ok("add_firewall_rule", {
      vmid: 200,
      type: "in",
      action: "ACCEPT",
      proto: "udp",
      dport: "53",
    });
    expect(writes().at(-1)).toBe("POST /nodes/pve1/lxc/200/firewall/rules");
    expect(h.mock.state.dc.guestFirewall.get(200)).toEqual([
      { type: "in", action: "ACCEPT", proto: "udp", dport: "53", enable: 1 },
    ]);
  });
});

describe("add and delete", () => {
  test("add_firewall_rule on a node puts an enabled rule at the top", async () => {
    h.mock.requests.length = 0;
    const r = await h.ok<{ rule: string; level: string }>("add_firewall_rule", {
      node: "pve2",
      type: "in",
      action: "DROP",
      source: "192.0.2.0/24",
      comment: "block test net",
    });
    expect(r.level).toBe("node");
    expect(r.rule).toBe("IN DROP from 192.0.2.0/24 (block test net)");
    expect(h.writes()[0]).toMatchObject({
      path: "/nodes/pve2/firewall/rules",
      params: {
        type: "in",
        action: "DROP",
        source: "192.0.2.0/24",
        comment: "block test net",
        enable: "1",
      },
    });
    await h.ok("add_firewall_rule", {
      node: "pve2",
      type: "out",
      action: "ACCEPT",
      enable: 0,
      macro: "DNS",
    });
    const rules = h.mock.state.dc.system.get("pve2")?.firewall ?? [];
    expect(rules.map((x) => [x.type, x.action, x.enable])).toEqual([
      ["out", "ACCEPT", 0],
      ["in", "DROP", 1],
    ]);
  });

  test("PVE's own verification comes back per parameter", async () => {
    const text = await h.fails("add_firewall_rule", {
      type: "in",
      action: "ACCEPT",
      proto: "carrier-pigeon",
    });
    expect(text).toContain("proto: invalid format - unknown protocol 'carrier-pigeon'");
    const ports = await h.fails("add_firewall_rule", {
      vmid: 100,
      type: "in",
      action: "ACCEPT",
      proto: "icmp",
      dport: "22",
    });
    expect(ports).toContain("dport: protocol 'icmp' does not support ports");
  });

  test("a port without protocol is refused before sending", async () => {
    h.mock.requests.length = 0;
    expect(
      await h.fails("add_firewall_rule", { type: "in", action: "ACCEPT", dport: "22" }),
    ).toContain("a port needs a protocol");
    await h.fails("add_firewall_rule", { type: "sideways", action: "ACCEPT" });
    expect(h.mock.requests).toEqual([]);
  });

  test("delete_firewall_rule names what it deleted and guards with the digest", async () => {
    h.mock.requests.length = 0;
    const r = await h.ok<{ deleted: string }>("delete_firewall_rule", { pos: 1 });
    expect(r.deleted).toBe("IN SSH(ACCEPT) from 10.0.0.0/24");
    const del = h.writes()[0];
    expect(del?.path).toBe("/cluster/firewall/rules/1");
    expect(del?.params.digest).toMatch(/^[0-9a-f]{40}$/);
    expect(h.mock.state.dc.firewall).toHaveLength(1);
    expect(await h.fails("delete_firewall_rule", { pos: 5 })).toContain(
      "no rule at position 5 of the cluster (it has 1 rules)",
    );
  });
});

describe("list_networks", () => {
  test("one node's bridges", async () => {
    h.mock.requests.length = 0;
    const r = await h.ok<{
      interfaces: {
        node: string;
        iface: string;
        cidr?: string;
        ports?: string;
        vlan_aware?: boolean;
      }[];
    }>("list_networks", { node: "pve1", type: "bridge" });
    expect(h.mock.requests[0]).toMatchObject({
      path: "/nodes/pve1/network",
      params: { type: "bridge" },
    });
    expect(r.interfaces.map((i) => i.iface)).toEqual(["vmbr0", "vmbr1"]);
    expect(r.interfaces[0]).toMatchObject({
      cidr: "10.0.0.11/24",
      ports: "nic0",
      vlan_aware: true,
    });
  });

  test("every node; an offline one is reported", async () => {
    h.mock.faults.offlineNodes.add("pve3");
    try {
      const r = await h.ok<{
        interfaces: { node: string }[];
        unreachable: { node: string; error: string }[];
      }>("list_networks");
      expect(new Set(r.interfaces.map((i) => i.node))).toEqual(new Set(["pve1", "pve2"]));
      expect(r.unreachable).toEqual([{ node: "pve3", error: "node is offline" }]);
    } finally {
      h.mock.faults.offlineNodes.delete("pve3");
    }
  });
});
