// The firewall beyond rules: options of every level, aliases and IP sets (cluster and guests),
// security groups, macros, the references a rule may use, SDN vnet rules, and the firewall log.
import { createHash } from "node:crypto";
import type { Section } from "../datacenter-objects.ts";
import { fail } from "../errors.ts";
import { node, type ParamSpec, type Params, vmid } from "../params.ts";
import type { MockContext, PermCheck, Route } from "../router.ts";
import { MACROS } from "./firewall.ts";

const sysAudit: PermCheck[] = [{ path: "/", privs: ["Sys.Audit"] }];
const nodeAudit: PermCheck[] = [{ path: "/nodes/{node}", privs: ["Sys.Audit"] }];
const vmAudit: PermCheck[] = [{ path: "/vms/{vmid}", privs: ["VM.Audit"] }];
const vnetAudit: PermCheck[] = [{ path: "/sdn/zones/localnetwork/{vnet}", privs: ["SDN.Audit"] }];

const digest = (value: unknown): string =>
  createHash("sha1").update(JSON.stringify(value)).digest("hex");

const name = (description: string): ParamSpec => ({
  type: "string",
  minLength: 2,
  maxLength: 64,
  pattern: "[A-Za-z][A-Za-z0-9\\-_]+",
  description,
});
const cidr: ParamSpec = {
  type: "string",
  format: "IPorCIDRorAlias",
  description: "Network/IP specification in CIDR format.",
};

/** A level of the firewall: where it lives in the API and which scope of the state it reads. */
interface Level {
  base: string;
  params: Record<string, ParamSpec>;
  audit: PermCheck[];
  scope: (params: Params) => string;
  proxyto?: "node";
}

const CLUSTER: Level = {
  base: "/cluster/firewall",
  params: {},
  audit: sysAudit,
  scope: () => "cluster",
};
const GUESTS: Level[] = (["qemu", "lxc"] as const).map((kind) => ({
  base: `/nodes/{node}/${kind}/{vmid}/firewall`,
  params: { node, vmid },
  audit: vmAudit,
  scope: (p: Params) => `vm/${p.vmid}`,
  proxyto: "node",
}));

const PREDEFINED_OPTIONS: Record<string, Section> = {
  // A guest's firewall is off until enabled; the node's is on.
  vm: {},
  node: { enable: 1 },
  vnet: {},
};

function options(mock: MockContext, scope: string): Section {
  return (
    mock.state.dc.objects.firewall.options.get(scope) ??
    PREDEFINED_OPTIONS[scope.split("/")[0] ?? ""] ??
    {}
  );
}

function aliasesOf(mock: MockContext, scope: string) {
  return (
    mock.state.dc.objects.firewall.aliases.get(scope) ??
    new Map<string, { cidr: string; comment?: string }>()
  );
}

function ipsetsOf(mock: MockContext, scope: string) {
  return mock.state.dc.objects.firewall.ipsets.get(scope) ?? new Map();
}

function optionRoute(level: Level): Route {
  return {
    method: "GET",
    path: `${level.base}/options`,
    description: "Get Firewall options.",
    permission: level.audit,
    ...(level.proxyto ? { proxyto: level.proxyto } : {}),
    parameters: level.params,
    handler: ({ mock, params }) => {
      const opts = options(mock, level.scope(params));
      return { ...opts, digest: digest(opts) };
    },
  };
}

function aliasRoutes(level: Level): Route[] {
  return [
    {
      method: "GET",
      path: `${level.base}/aliases`,
      description: "List aliases",
      permission: level.audit,
      parameters: level.params,
      handler: ({ mock, params }) => {
        const all = aliasesOf(mock, level.scope(params));
        const d = digest([...all]);
        return [...all].map(([id, a]) => ({
          name: id,
          cidr: a.cidr,
          ...(a.comment ? { comment: a.comment } : {}),
          digest: d,
        }));
      },
    },
    {
      method: "GET",
      path: `${level.base}/aliases/{name}`,
      description: "Read alias.",
      permission: level.audit,
      parameters: { ...level.params, name: name("Alias name.") },
      handler: ({ mock, params }) => {
        const all = aliasesOf(mock, level.scope(params));
        const a = all.get(String(params.name));
        if (!a) throw fail(`no such alias '${params.name}'`);
        return {
          name: params.name,
          cidr: a.cidr,
          ...(a.comment ? { comment: a.comment } : {}),
          digest: digest([...all]),
        };
      },
    },
  ];
}

function ipsetRoutes(level: Level): Route[] {
  const find = (mock: MockContext, params: Params) => {
    const set = ipsetsOf(mock, level.scope(params)).get(String(params.name));
    if (!set) throw fail(`no such IPSet '${params.name}'`);
    return set;
  };
  return [
    {
      method: "GET",
      path: `${level.base}/ipset`,
      description: "List IPSets",
      permission: level.audit,
      parameters: level.params,
      handler: ({ mock, params }) =>
        [...ipsetsOf(mock, level.scope(params))].map(([id, set]) => ({
          name: id,
          ...(set.comment ? { comment: set.comment } : {}),
          digest: digest(set),
        })),
    },
    {
      method: "GET",
      path: `${level.base}/ipset/{name}`,
      description: "List IPSet content",
      permission: level.audit,
      parameters: { ...level.params, name: name("IP set name.") },
      handler: ({ mock, params }) => {
        const set = find(mock, params);
        return set.entries.map((e: { cidr: string; comment?: string; nomatch?: number }) => ({
          ...e,
          digest: digest(set),
        }));
      },
    },
    {
      method: "GET",
      path: `${level.base}/ipset/{name}/{cidr}`,
      description: "Read IP or Network settings from IPSet.",
      permission: level.audit,
      parameters: { ...level.params, name: name("IP set name."), cidr },
      handler: ({ mock, params }) => {
        const set = find(mock, params);
        const entry = set.entries.find((e: { cidr: string }) => e.cidr === params.cidr);
        if (!entry) throw fail("no such IP/Network");
        return { ...entry, digest: digest(set) };
      },
    },
  ];
}

function refsRoute(level: Level): Route {
  return {
    method: "GET",
    path: `${level.base}/refs`,
    description:
      "Lists possible IPSet/Alias reference which are allowed in source/dest properties.",
    permission: level.audit,
    parameters: {
      ...level.params,
      type: {
        type: "string",
        optional: true,
        enum: ["alias", "ipset"],
        description: "Only list references of specified type.",
      },
    },
    handler: ({ mock, params }) => {
      const scopes = level === CLUSTER ? ["cluster"] : ["cluster", level.scope(params)];
      const out: Record<string, unknown>[] = [];
      for (const scope of scopes) {
        const tag = scope === "cluster" ? "dc" : "guest";
        if (params.type !== "ipset") {
          for (const [id, a] of aliasesOf(mock, scope)) {
            out.push({
              type: "alias",
              name: id,
              ref: `${tag}/${id}`,
              scope: tag,
              ...(a.comment ? { comment: a.comment } : {}),
            });
          }
        }
        if (params.type !== "alias") {
          for (const [id, set] of ipsetsOf(mock, scope)) {
            out.push({
              type: "ipset",
              name: id,
              ref: `+${tag}/${id}`,
              scope: tag,
              ...(set.comment ? { comment: set.comment } : {}),
            });
          }
        }
      }
      return out;
    },
  };
}

/** The firewall log of a node or guest: what pvefw-logger wrote (lines `n`, `t`). */
function logRoute(base: string, params: Record<string, ParamSpec>, audit: PermCheck[]): Route {
  return {
    method: "GET",
    path: `${base}/log`,
    description: "Read firewall log",
    permission: audit,
    proxyto: "node",
    parameters: {
      ...params,
      limit: { type: "integer", optional: true, minimum: 0 },
      start: { type: "integer", optional: true, minimum: 0 },
      since: {
        type: "integer",
        optional: true,
        minimum: 0,
        description: "Display log since this UNIX epoch.",
      },
      until: {
        type: "integer",
        optional: true,
        minimum: 0,
        description: "Display log until this UNIX epoch.",
      },
    },
    handler: ({ params }) => {
      const id = params.vmid ?? 0;
      const lines = [0, 1, 2].map(
        (i) =>
          `${id} 6 ${params.vmid ? `tap${id}i0-IN` : "PVEFW-HOST-IN"} ${new Date(Date.now() - (3 - i) * 60_000).toUTCString()}: policy DROP: IN=vmbr0 SRC=203.0.113.${10 + i} DST=10.0.0.11 PROTO=TCP SPT=5${i}123 DPT=22 SYN`,
      );
      const start = typeof params.start === "number" ? params.start : 0;
      const limit = typeof params.limit === "number" ? params.limit : 50;
      return lines.slice(start, start + limit).map((t, i) => ({ n: start + i + 1, t }));
    },
  };
}

function groupRoutes(): Route[] {
  const group = name("Security Group name.");
  const find = (mock: MockContext, id: string) => {
    const g = mock.state.dc.objects.firewall.groups.get(id);
    if (!g) throw fail(`no such security group '${id}'`);
    return g;
  };
  return [
    {
      method: "GET",
      path: "/cluster/firewall/groups",
      description: "List security groups.",
      permission: "all",
      parameters: {},
      handler: ({ mock }) =>
        [...mock.state.dc.objects.firewall.groups].map(([id, g]) => ({
          group: id,
          ...(g.comment ? { comment: g.comment } : {}),
          digest: digest(g),
        })),
    },
    {
      method: "GET",
      path: "/cluster/firewall/groups/{group}",
      description: "List rules.",
      permission: "all",
      parameters: { group },
      handler: ({ mock, params }) => {
        const g = find(mock, String(params.group));
        return g.rules.map((r, pos) => ({ ...r, pos, digest: digest(g.rules) }));
      },
    },
    {
      method: "GET",
      path: "/cluster/firewall/groups/{group}/{pos}",
      description: "Get single rule data.",
      permission: "all",
      parameters: {
        group,
        pos: { type: "integer", minimum: 0, description: "Update rule at position <pos>." },
      },
      handler: ({ mock, params }) => {
        const rule = find(mock, String(params.group)).rules[Number(params.pos)];
        if (!rule) throw fail(`no rule at position ${params.pos}`);
        return { ...rule, pos: Number(params.pos) };
      },
    },
  ];
}

function vnetRoutes(): Route[] {
  const vnet: ParamSpec = { type: "string", description: "The SDN vnet object identifier." };
  const rules = (mock: MockContext, id: string): Section[] => {
    if (!mock.state.dc.objects.sdn.vnets.has(id)) throw fail(`sdn '${id}' does not exist`);
    return mock.state.dc.objects.firewall.rules.get(`vnet/${id}`) ?? [];
  };
  return [
    {
      method: "GET",
      path: "/cluster/sdn/vnets/{vnet}/firewall/rules",
      description: "List rules.",
      permission: vnetAudit,
      parameters: { vnet },
      handler: ({ mock, params }) => {
        const list = rules(mock, String(params.vnet));
        return list.map((r, pos) => ({ ...r, pos, digest: digest(list) }));
      },
    },
    {
      method: "GET",
      path: "/cluster/sdn/vnets/{vnet}/firewall/rules/{pos}",
      description: "Get single rule data.",
      permission: vnetAudit,
      parameters: {
        vnet,
        pos: { type: "integer", minimum: 0, description: "Update rule at position <pos>." },
      },
      handler: ({ mock, params }) => {
        const rule = rules(mock, String(params.vnet))[Number(params.pos)];
        if (!rule) throw fail(`no rule at position ${params.pos}`);
        return { ...rule, pos: Number(params.pos) };
      },
    },
    {
      ...optionRoute({
        base: "/cluster/sdn/vnets/{vnet}/firewall",
        params: { vnet },
        audit: vnetAudit,
        scope: (p) => `vnet/${p.vnet}`,
      }),
    },
  ];
}

const HOST: Level = {
  base: "/nodes/{node}/firewall",
  params: { node },
  audit: nodeAudit,
  scope: (p) => `node/${p.node}`,
  proxyto: "node",
};

export const firewallObjectRoutes: Route[] = [
  optionRoute(CLUSTER),
  optionRoute(HOST),
  ...GUESTS.map(optionRoute),
  ...aliasRoutes(CLUSTER),
  ...GUESTS.flatMap(aliasRoutes),
  ...ipsetRoutes(CLUSTER),
  ...GUESTS.flatMap(ipsetRoutes),
  refsRoute(CLUSTER),
  ...GUESTS.map(refsRoute),
  logRoute(HOST.base, HOST.params, nodeAudit),
  ...GUESTS.map((g) => logRoute(g.base, g.params, vmAudit)),
  ...groupRoutes(),
  ...vnetRoutes(),
  {
    method: "GET",
    path: "/cluster/firewall/macros",
    description: "List available macros",
    permission: "all",
    parameters: {},
    handler: () => MACROS.map((macro) => ({ macro, descr: `${macro} traffic` })),
  },
];
