// Firewall rules at cluster, node and guest level: list, read one, add (always at the top), delete.
import { createHash } from "node:crypto";
import type { FirewallRule } from "../datacenter.ts";
import { fail, paramError } from "../errors.ts";
import { node, type ParamTable, vmid } from "../params.ts";
import type { MockContext, PermCheck, Route } from "../router.ts";

type Level = "cluster" | "host" | "vm" | "ct";

/** Fields a rule may carry, as in PVE::Firewall's rule properties. */
const FIELDS = [
  "type",
  "action",
  "enable",
  "macro",
  "iface",
  "source",
  "dest",
  "proto",
  "dport",
  "sport",
  "icmp-type",
  "log",
  "comment",
];

const PROTOCOLS = new Set([
  "tcp",
  "udp",
  "icmp",
  "icmpv6",
  "ipv6-icmp",
  "sctp",
  "udplite",
  "esp",
  "ah",
  "gre",
  "igmp",
  "ospf",
  "vrrp",
]);
const WITH_PORTS = new Set(["tcp", "udp", "sctp", "udplite"]);
export const MACROS = [
  "SSH",
  "HTTP",
  "HTTPS",
  "DNS",
  "Ping",
  "SMB",
  "NFS",
  "Ceph",
  "SMTP",
  "NTP",
  "RDP",
  "VNC",
  "MySQL",
  "PostgreSQL",
];

const optStr = (description: string, extra = {}) => ({
  type: "string" as const,
  optional: true,
  description,
  ...extra,
});

const RULE_PARAMS: ParamTable = {
  action: {
    type: "string",
    minLength: 2,
    maxLength: 20,
    pattern: "[A-Za-z][A-Za-z0-9\\-\\_]+",
    description: "Rule action ('ACCEPT', 'DROP', 'REJECT') or security group name.",
  },
  type: { type: "string", enum: ["in", "out", "forward", "group"], description: "Rule type." },
  comment: optStr("Descriptive comment."),
  dest: optStr("Restrict packet destination address.", {
    format: "pve-fw-addr-spec",
    maxLength: 512,
  }),
  digest: optStr("Prevent changes if current configuration file has a different digest.", {
    maxLength: 64,
  }),
  dport: optStr("Restrict TCP/UDP destination port.", { format: "pve-fw-dport-spec" }),
  enable: {
    type: "integer",
    optional: true,
    minimum: 0,
    description: "Flag to enable/disable a rule.",
  },
  "icmp-type": optStr("Specify icmp-type.", { format: "pve-fw-icmp-type-spec" }),
  iface: optStr("Network interface name.", { format: "pve-iface", minLength: 2, maxLength: 20 }),
  log: optStr("Log level for firewall rule.", {
    enum: ["emerg", "alert", "crit", "err", "warning", "notice", "info", "debug", "nolog"],
  }),
  macro: optStr("Use predefined standard macro.", { maxLength: 128 }),
  pos: {
    type: "integer",
    optional: true,
    minimum: 0,
    description: "Update rule at position <pos>.",
  },
  proto: optStr("IP protocol.", { format: "pve-fw-protocol-spec" }),
  source: optStr("Restrict packet source address.", { format: "pve-fw-addr-spec", maxLength: 512 }),
  sport: optStr("Restrict TCP/UDP source port.", { format: "pve-fw-sport-spec" }),
};

function rulesOf(mock: MockContext, level: Level, params: Record<string, unknown>): FirewallRule[] {
  const dc = mock.state.dc;
  if (level === "cluster") return dc.firewall;
  if (level === "host") {
    const sys = dc.system.get(String(params.node));
    if (!sys) return [];
    return sys.firewall;
  }
  const id = Number(params.vmid);
  // Guest rules live in <vmid>.fw; PVE reads it whether or not the guest is on this node.
  if (!dc.guestFirewall.has(id)) dc.guestFirewall.set(id, []);
  return dc.guestFirewall.get(id) as FirewallRule[];
}

/** copy_list_with_digest: one sha1 over all rules' sorted key:value lines. */
function digestOf(rules: FirewallRule[]): string {
  const sha = createHash("sha1");
  for (const r of rules) {
    for (const k of Object.keys(r).sort()) if (r[k] !== undefined) sha.update(`${k}:${r[k]}\n`);
  }
  return sha.digest("hex");
}

/** verify_rule: the checks PVE makes before saving, each a 400 on its parameter. */
function verify(rule: FirewallRule, level: Level): void {
  const errors: Record<string, string> = {};
  const types =
    level === "vm" || level === "ct" ? ["in", "out", "group"] : ["in", "out", "forward", "group"];
  if (!types.includes(rule.type)) {
    errors.type = `invalid rule type '${rule.type}' for rule_env '${level}'`;
  } else if (rule.type !== "group") {
    if (rule.type === "forward" && rule.action === "REJECT") {
      errors.action = "cannot define REJECT rules on forward chain";
    } else if (!/^(ACCEPT|DROP|REJECT)$/.test(rule.action)) {
      errors.action = `unknown action '${rule.action}'`;
    }
  }
  if (rule.iface && (level === "vm" || level === "ct") && !/^net\d+$/.test(String(rule.iface))) {
    errors.iface = "value does not match the regex pattern 'net\\d+'";
  }
  if (rule.macro) {
    const known = MACROS.find((m) => m.toLowerCase() === String(rule.macro).toLowerCase());
    if (known) rule.macro = known;
    else errors.macro = `unknown macro '${rule.macro}'`;
  }
  const proto = rule.proto === undefined ? undefined : String(rule.proto);
  if (proto !== undefined && !PROTOCOLS.has(proto) && !/^\d+$/.test(proto)) {
    errors.proto = `unknown protocol '${proto}'`;
  }
  for (const key of ["dport", "sport"] as const) {
    if (rule[key] === undefined) continue;
    if (!proto) errors.proto = `missing property - '${key}' requires this property`;
    else if (!WITH_PORTS.has(proto)) errors[key] = `protocol '${proto}' does not support ports`;
  }
  if (Object.keys(errors).length > 0) throw paramError(errors);
}

function ruleRoutes(
  level: Level,
  base: string,
  audit: PermCheck[],
  modify: PermCheck[],
  scope: ParamTable,
): Route[] {
  const proxyto = level === "host" ? ("node" as const) : undefined;
  return [
    {
      method: "GET",
      path: base,
      description: "List rules.",
      permission: audit,
      ...(proxyto ? { proxyto } : {}),
      parameters: scope,
      handler: ({ mock, params }) => {
        const rules = rulesOf(mock, level, params);
        const digest = digestOf(rules);
        return rules.map((r, pos) => ({ ...r, pos, digest }));
      },
    },
    {
      method: "POST",
      path: base,
      description: "Create new rule.",
      permission: modify,
      ...(proxyto ? { proxyto } : {}),
      parameters: { ...scope, ...RULE_PARAMS },
      handler: ({ mock, params }) => {
        const rules = rulesOf(mock, level, params);
        const rule: FirewallRule = { type: String(params.type), action: String(params.action) };
        for (const k of FIELDS) {
          const v = params[k];
          if (v === undefined || v === "" || v === "-") continue;
          rule[k] = typeof v === "number" ? v : String(v);
        }
        verify(rule, level);
        if (params.enable === undefined) rule.enable = 0;
        // create_rule ignores pos: a new rule always goes to the top.
        rules.unshift(rule);
        return null;
      },
    },
    {
      method: "GET",
      path: `${base}/{pos}`,
      description: "Get single rule data.",
      permission: audit,
      ...(proxyto ? { proxyto } : {}),
      parameters: { ...scope, pos: RULE_PARAMS.pos as ParamTable[string] },
      handler: ({ mock, params }) => {
        const rules = rulesOf(mock, level, params);
        const pos = Number(params.pos);
        const rule = rules[pos];
        if (!rule) throw fail(`no rule at position ${pos}`);
        return { ...rule, pos };
      },
    },
    {
      method: "DELETE",
      path: `${base}/{pos}`,
      description: "Delete rule.",
      permission: modify,
      ...(proxyto ? { proxyto } : {}),
      parameters: {
        ...scope,
        pos: RULE_PARAMS.pos as ParamTable[string],
        digest: RULE_PARAMS.digest as ParamTable[string],
      },
      handler: ({ mock, params }) => {
        const rules = rulesOf(mock, level, params);
        if (typeof params.digest === "string" && params.digest !== digestOf(rules)) {
          throw fail("detected modified configuration - file changed by other user? Try again.");
        }
        const pos = Number(params.pos);
        if (pos >= rules.length) throw fail(`no rule at position ${pos}`);
        rules.splice(pos, 1);
        return null;
      },
    },
  ];
}

const vmAudit = [{ path: "/vms/{vmid}", privs: ["VM.Audit"] }];
const vmNetwork = [{ path: "/vms/{vmid}", privs: ["VM.Config.Network"] }];

export const firewallRoutes: Route[] = [
  ...ruleRoutes(
    "cluster",
    "/cluster/firewall/rules",
    [{ path: "/", privs: ["Sys.Audit"] }],
    [{ path: "/", privs: ["Sys.Modify"] }],
    {},
  ),
  ...ruleRoutes(
    "host",
    "/nodes/{node}/firewall/rules",
    [{ path: "/nodes/{node}", privs: ["Sys.Audit"] }],
    [{ path: "/nodes/{node}", privs: ["Sys.Modify"] }],
    { node },
  ),
  ...ruleRoutes("vm", "/nodes/{node}/qemu/{vmid}/firewall/rules", vmAudit, vmNetwork, {
    node,
    vmid,
  }),
  ...ruleRoutes("ct", "/nodes/{node}/lxc/{vmid}/firewall/rules", vmAudit, vmNetwork, {
    node,
    vmid,
  }),
];
