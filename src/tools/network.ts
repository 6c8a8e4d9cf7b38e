// Node network interfaces: NICs, bonds, VLANs and the bridges guests attach to.

import { z } from "zod";
import { CLUSTER_RESOURCES, NODE_NETWORK } from "../pve/endpoints/index.ts";
import { segment } from "../pve/index.ts";
import { defineTool, READ } from "./define.ts";
import { nodeTargets, onEach, unreachableField } from "./fanout.ts";
import { page, pageArgs, pageFields } from "./paging.ts";

const row = z.object({
  node: z.string(),
  iface: z.string(),
  type: z.string().describe("eth, bridge, bond, vlan, OVS…"),
  active: z.boolean(),
  autostart: z.boolean(),
  method: z.string().optional().describe("static, manual, dhcp"),
  cidr: z.string().optional(),
  gateway: z.string().optional(),
  cidr6: z.string().optional(),
  gateway6: z.string().optional(),
  ports: z.string().optional().describe("bridge ports or bond slaves"),
  vlan_aware: z.boolean().optional(),
  comments: z.string().optional(),
});

const text = (v: unknown): string | undefined =>
  v === undefined || v === null || v === "" ? undefined : String(v).trim();

export const listNetworks = defineTool({
  name: "list_networks",
  title: "List network interfaces",
  toolset: "network",
  description:
    "Network interfaces of a node, or of every node that answers: NICs, bonds, VLANs and bridges (vmbr…) with addresses, gateway, ports and whether they are active. Bridges are what guest NICs attach to.",
  input: z.strictObject({
    node: z.string().optional().describe("Only this node (default: every node that answers)"),
    type: z
      .enum([
        "bridge",
        "bond",
        "eth",
        "alias",
        "vlan",
        "OVSBridge",
        "OVSBond",
        "OVSPort",
        "OVSIntPort",
        "any_bridge",
      ])
      .optional()
      .describe("Only this interface type; any_bridge: Linux and OVS bridges"),
    ...pageArgs(100),
  }),
  output: z.object({ interfaces: z.array(row), ...pageFields, unreachable: unreachableField }),
  annotations: READ,
  endpoints: [CLUSTER_RESOURCES, NODE_NETWORK],
  async handler(args, ctx) {
    if (args.node) segment("node", args.node);
    const targets = await nodeTargets(ctx, args.node);
    const { results, unreachable } = await onEach(ctx, targets, (t) =>
      ctx.pve.call(NODE_NETWORK, { node: t.node, type: args.type }, { signal: ctx.signal }),
    );
    const interfaces = results
      .flatMap(({ target, value }) =>
        value.map((i) => ({
          node: target.node,
          iface: i.iface,
          type: i.type,
          active: i.active === 1,
          autostart: i.autostart === 1,
          method: text(i.method),
          cidr: text(i.cidr),
          gateway: text(i.gateway),
          cidr6: text(i.cidr6),
          gateway6: text(i.gateway6),
          ports: text(i.bridge_ports ?? i.slaves ?? i.ovs_ports),
          vlan_aware:
            i["bridge-vlan-aware"] === undefined ? undefined : i["bridge-vlan-aware"] === 1,
          comments: text(i.comments),
        })),
      )
      .sort((a, b) => a.node.localeCompare(b.node) || a.iface.localeCompare(b.iface));
    const p = page(interfaces, args, 100);
    return {
      data: { interfaces: p.rows, total: p.total, next_cursor: p.next_cursor, unreachable },
    };
  },
});

export const networkTools = [listNetworks];
