// Firewall rules at the three levels PVE keeps them: the cluster (datacenter), one node, one
// guest. No node and no vmid: cluster; node only: that node; vmid: that guest (node and
// qemu/lxc found for you).

import { z } from "zod";
import {
  CLUSTER_RESOURCES,
  CLUSTER_RULE_ADD,
  CLUSTER_RULE_DELETE,
  CLUSTER_RULES,
  GUEST_RULE_ADD,
  GUEST_RULE_DELETE,
  GUEST_RULES,
  NODE_RULE_ADD,
  NODE_RULE_DELETE,
  NODE_RULES,
  type RuleEntry,
} from "../pve/endpoints/index.ts";
import { type GuestRef, guestAt, type ParamOf, type ParamValue } from "../pve/index.ts";
import { guestType, vmid as vmidArg } from "./args.ts";
import { flag } from "./dc-args.ts";
import { DESTRUCTIVE, defineTool, READ, type ToolContext } from "./define.ts";
import { ToolError } from "./errors.ts";
import { describeGuest, onGuest } from "./guest-ref.ts";
import { page, pageArgs, pageFields } from "./paging.ts";

const where = {
  node: z
    .string()
    .optional()
    .describe("Node level (or the guest's node); omit both for cluster level"),
  vmid: vmidArg.optional().describe("Guest level: this VM's or container's rules"),
  guest_type: guestType,
};

type Where = { node?: string; vmid?: number; guest_type?: "qemu" | "lxc" };

interface Level {
  level: "cluster" | "node" | "guest";
  label: string;
  node?: string;
  vmid?: number;
  guest?: GuestRef;
}

/** The rules endpoints of every level, by what they do. */
const RULES_READ = [CLUSTER_RULES, NODE_RULES, GUEST_RULES] as const;
const RULES_ADD = [CLUSTER_RULE_ADD, NODE_RULE_ADD, GUEST_RULE_ADD] as const;
const RULES_DELETE = [CLUSTER_RULE_DELETE, NODE_RULE_DELETE, GUEST_RULE_DELETE] as const;

/** Runs `fn` on the level the arguments name. */
async function atLevel<T>(
  ctx: ToolContext<typeof CLUSTER_RESOURCES>,
  args: Where,
  fn: (l: Level) => Promise<T>,
): Promise<T> {
  if (args.vmid !== undefined) {
    return onGuest(
      ctx,
      { vmid: args.vmid, node: args.node, type: args.guest_type },
      (g: GuestRef) =>
        fn({ level: "guest", label: describeGuest(g), node: g.node, vmid: g.vmid, guest: g }),
    );
  }
  if (args.node) return fn({ level: "node", label: `node ${args.node}`, node: args.node });
  return fn({ level: "cluster", label: "the cluster" });
}

function readRules(ctx: ToolContext<(typeof RULES_READ)[number]>, l: Level): Promise<RuleEntry[]> {
  const options = { signal: ctx.signal };
  if (l.guest) return ctx.pve.call(GUEST_RULES, guestAt(l.guest), options);
  if (l.node) return ctx.pve.call(NODE_RULES, { node: l.node }, options);
  return ctx.pve.call(CLUSTER_RULES, {}, options);
}

type RuleParams = Partial<Record<ParamOf<typeof CLUSTER_RULE_ADD>, ParamValue>>;

function addRule(
  ctx: ToolContext<(typeof RULES_ADD)[number]>,
  l: Level,
  params: RuleParams,
): Promise<unknown> {
  const options = { signal: ctx.signal };
  if (l.guest) return ctx.pve.call(GUEST_RULE_ADD, { ...guestAt(l.guest), ...params }, options);
  if (l.node) return ctx.pve.call(NODE_RULE_ADD, { node: l.node, ...params }, options);
  return ctx.pve.call(CLUSTER_RULE_ADD, params, options);
}

function deleteRule(
  ctx: ToolContext<(typeof RULES_DELETE)[number]>,
  l: Level,
  pos: number,
  digest?: string,
): Promise<unknown> {
  const options = { signal: ctx.signal };
  if (l.guest) {
    return ctx.pve.call(GUEST_RULE_DELETE, { ...guestAt(l.guest), pos, digest }, options);
  }
  if (l.node) return ctx.pve.call(NODE_RULE_DELETE, { node: l.node, pos, digest }, options);
  return ctx.pve.call(CLUSTER_RULE_DELETE, { pos, digest }, options);
}

const ruleRow = z.object({
  pos: z.number().describe("position; rules are matched top (0) down"),
  type: z.string().describe("in, out, forward or group"),
  action: z.string(),
  enabled: z.boolean(),
  macro: z.string().optional(),
  iface: z.string().optional(),
  source: z.string().optional(),
  dest: z.string().optional(),
  proto: z.string().optional(),
  dport: z.string().optional(),
  sport: z.string().optional(),
  log: z.string().optional(),
  comment: z.string().optional(),
});

const toRow = ({ digest: _, enable, ...r }: RuleEntry) => ({ ...r, enabled: enable === 1 });

/** e.g. "IN ACCEPT tcp dport 22 from 10.0.0.0/24 (ssh)" */
function describeRule(r: RuleEntry): string {
  const parts = [r.type.toUpperCase(), r.macro ? `${r.macro}(${r.action})` : r.action];
  if (r.proto) parts.push(r.proto);
  if (r.dport) parts.push(`dport ${r.dport}`);
  if (r.sport) parts.push(`sport ${r.sport}`);
  if (r.source) parts.push(`from ${r.source}`);
  if (r.dest) parts.push(`to ${r.dest}`);
  if (r.iface) parts.push(`on ${r.iface}`);
  if (r.enable !== 1) parts.push("[disabled]");
  if (r.comment) parts.push(`(${r.comment.trim()})`);
  return parts.join(" ");
}

const levelFields = {
  level: z.enum(["cluster", "node", "guest"]),
  node: z.string().optional(),
  vmid: z.number().optional(),
};

export const listFirewallRules = defineTool({
  name: "list_firewall_rules",
  title: "List firewall rules",
  toolset: "firewall",
  description:
    "Firewall rules in order (position 0 is matched first) of the cluster, of a node (node), or of a guest (vmid).",
  input: z.strictObject({ ...where, ...pageArgs(100) }),
  output: z.object({ ...levelFields, rules: z.array(ruleRow), ...pageFields }),
  annotations: READ,
  endpoints: [CLUSTER_RESOURCES, ...RULES_READ],
  async handler(args, ctx) {
    return atLevel(ctx, args, async (l) => {
      const all = await readRules(ctx, l);
      const p = page(all, args, 100);
      return {
        data: {
          level: l.level,
          node: l.node,
          vmid: l.vmid,
          rules: p.rows.map(toRow),
          total: p.total,
          next_cursor: p.next_cursor,
        },
        text: [
          `firewall rules of ${l.label} (${p.total}${p.next_cursor ? `; ${p.rows.length} shown, next_cursor ${p.next_cursor}` : ""})`,
          ...p.rows.map((r) => `${r.pos}: ${describeRule(r)}`),
        ].join("\n"),
      };
    });
  },
});

export const addFirewallRule = defineTool({
  name: "add_firewall_rule",
  title: "Add a firewall rule",
  toolset: "firewall",
  description:
    "Add a rule at the top (position 0) of the cluster's, a node's (node) or a guest's (vmid) firewall: direction in/out, action ACCEPT/DROP/REJECT, optional source, dest, proto, ports, macro (e.g. SSH). Enabled unless enable is 0. dport needs proto.",
  input: z.strictObject({
    ...where,
    type: z.enum(["in", "out"]).describe("Direction: in or out"),
    action: z.enum(["ACCEPT", "DROP", "REJECT"]),
    source: z.string().max(512).optional().describe("Source address, CIDR, alias or +ipset"),
    dest: z.string().max(512).optional().describe("Destination address, CIDR, alias or +ipset"),
    proto: z.string().optional().describe("Protocol, e.g. tcp, udp, icmp"),
    dport: z
      .string()
      .optional()
      .describe("Destination port(s), e.g. 22, 80:90, 80,443 (needs proto)"),
    sport: z.string().optional().describe("Source port(s) (needs proto)"),
    macro: z.string().max(128).optional().describe("Predefined service macro, e.g. SSH, HTTP, DNS"),
    iface: z.string().optional().describe("Interface; for guests netN"),
    log: z
      .enum(["emerg", "alert", "crit", "err", "warning", "notice", "info", "debug", "nolog"])
      .optional(),
    comment: z.string().optional(),
    enable: flag.optional().describe("1/true: active (default); 0/false: added disabled"),
  }),
  output: z.object({ ...levelFields, rule: z.string(), message: z.string() }),
  annotations: DESTRUCTIVE, // a rule can cut a guest or node off, or open it up
  endpoints: [CLUSTER_RESOURCES, ...RULES_ADD],
  async handler(args, ctx) {
    if ((args.dport || args.sport) && !args.proto) {
      throw new ToolError("a port needs a protocol", "Pass proto (tcp or udp) with dport/sport.");
    }
    return atLevel(ctx, args, async (l) => {
      // PVE adds rules disabled unless told otherwise; a rule one asks for should act.
      const enable = args.enable === false ? 0 : 1;
      const params = {
        type: args.type,
        action: args.action,
        source: args.source,
        dest: args.dest,
        proto: args.proto,
        dport: args.dport,
        sport: args.sport,
        macro: args.macro,
        iface: args.iface,
        log: args.log,
        comment: args.comment,
        enable,
      };
      await addRule(ctx, l, params);
      const rule = describeRule({ pos: 0, ...params });
      return {
        data: {
          level: l.level,
          node: l.node,
          vmid: l.vmid,
          rule,
          message: `added to ${l.label} at position 0: ${rule}`,
        },
      };
    });
  },
});

export const deleteFirewallRule = defineTool({
  name: "delete_firewall_rule",
  title: "Delete a firewall rule",
  toolset: "firewall",
  description:
    "Delete the rule at a position (see list_firewall_rules) of the cluster's, a node's or a guest's firewall. Refused if the rules changed since they were read.",
  input: z.strictObject({
    ...where,
    pos: z.number().int().min(0).describe("Position of the rule, as list_firewall_rules shows"),
  }),
  output: z.object({ ...levelFields, pos: z.number(), deleted: z.string(), message: z.string() }),
  annotations: DESTRUCTIVE,
  endpoints: [CLUSTER_RESOURCES, ...RULES_READ, ...RULES_DELETE],
  async handler(args, ctx) {
    return atLevel(ctx, args, async (l) => {
      const rules = await readRules(ctx, l);
      const rule = rules.find((r) => r.pos === args.pos);
      if (!rule) {
        throw new ToolError(
          `no rule at position ${args.pos} of ${l.label} (it has ${rules.length} rules)`,
          "list_firewall_rules shows the positions.",
        );
      }
      // The digest makes PVE refuse if someone changed the rules in between (positions shift).
      await deleteRule(ctx, l, args.pos, rule.digest);
      const deleted = describeRule(rule);
      return {
        data: {
          level: l.level,
          node: l.node,
          vmid: l.vmid,
          pos: args.pos,
          deleted,
          message: `deleted rule ${args.pos} of ${l.label}: ${deleted}`,
        },
      };
    });
  },
});

export const firewallTools = [listFirewallRules, addFirewallRule, deleteFirewallRule];
