// /cluster/ha: groups (until PVE 9 migrates them), rules, and the manager status.
import type { MockHaRule } from "../datacenter.ts";
import { fail } from "../errors.ts";
import { sectionDigest } from "../format.ts";
import type { MockContext, Route } from "../router.ts";
import { LOCAL_NODE } from "../seed.ts";
import { nodeOnline } from "./cluster.ts";
import { migrated } from "./ha.ts";

const audit = [{ path: "/", privs: ["Sys.Audit"] }];

/** What `ha-manager status` shows: quorum, master, fencing, one LRM per node, each service. */
function status(mock: MockContext): Record<string, unknown>[] {
  const ha = mock.state.dc.ha;
  const now = Math.floor(Date.now() / 1000);
  const nodes = [...mock.state.nodes.keys()];
  const quorate = nodes.filter((n) => nodeOnline(mock, n)).length * 2 > nodes.length;
  const active = ha.resources.size > 0;
  const when = new Date(now * 1000).toUTCString().replace(" GMT", "");
  const rows: Record<string, unknown>[] = [
    {
      id: "quorum",
      type: "quorum",
      node: LOCAL_NODE,
      status: quorate ? "OK" : `No quorum on node '${LOCAL_NODE}'!`,
      quorate: quorate ? 1 : 0,
    },
    {
      id: "master",
      type: "master",
      node: ha.master,
      status: `${ha.master} (${active ? "active" : "idle"}, ${when})`,
      timestamp: now,
    },
    {
      id: "fencing",
      type: "fencing",
      node: ha.master,
      status: active ? "armed (CRM watchdog active)" : "standby (CRM watchdog standby)",
      "armed-state": active ? "armed" : "standby",
    },
  ];
  for (const n of [...nodes].sort()) {
    const online = nodeOnline(mock, n);
    const services = [...mock.state.guests.values()].filter((g) => g.hastate && g.node === n);
    const lrm = !online ? "old timestamp - dead?" : services.length > 0 ? "active" : "idle";
    rows.push({
      id: `lrm:${n}`,
      type: "lrm",
      node: n,
      status: `${n} (${lrm}, ${lrm === "active" ? "watchdog active" : "watchdog standby"}, ${when})`,
      timestamp: online ? now : now - 600,
    });
  }
  for (const [sid, r] of [...ha.resources].sort(([a], [b]) => a.localeCompare(b))) {
    const guest = mock.state.guests.get(Number(sid.split(":")[1]));
    const req = r.state ?? "started";
    const cur = req === "ignored" ? undefined : guest?.status === "running" ? "started" : "stopped";
    const state =
      req === "ignored"
        ? "ignored"
        : cur === "stopped" && req === "started"
          ? "starting"
          : cur === "started" && (req === "stopped" || req === "disabled")
            ? "stopping"
            : (cur ?? "queued");
    rows.push({
      id: `service:${sid}`,
      type: "service",
      sid,
      node: guest?.node,
      ...(cur ? { crm_state: cur } : {}),
      state,
      status: `${sid} (${guest?.node ?? "---"}, ${state})`,
      request_state: req,
      ...(r.max_restart !== undefined ? { max_restart: r.max_restart } : {}),
      ...(r.max_relocate !== undefined ? { max_relocate: r.max_relocate } : {}),
      ...(r.failback !== undefined ? { failback: r.failback ? 1 : 0 } : {}),
      ...(r.comment !== undefined ? { comment: r.comment } : {}),
    });
  }
  return rows;
}

/** A rule as rules.cfg holds it: booleans 0/1, optional keys only when set. */
function ruleRow(r: MockHaRule): Record<string, unknown> {
  return {
    rule: r.rule,
    type: r.type,
    resources: r.resources,
    ...(r.nodes ? { nodes: r.nodes } : {}),
    ...(r.type === "node-affinity" ? { strict: r.strict ? 1 : 0 } : {}),
    ...(r.affinity ? { affinity: r.affinity } : {}),
    ...(r.disable ? { disable: 1 } : {}),
    ...(r.comment ? { comment: r.comment } : {}),
  };
}

export const haStatusRoutes: Route[] = [
  {
    method: "GET",
    path: "/cluster/ha/groups",
    description: "Get HA groups. (deprecated in favor of HA rules)",
    permission: audit,
    parameters: {},
    handler: ({ mock }) => {
      if (migrated(mock)) throw fail("cannot index groups: ha groups have been migrated to rules");
      const digest = sectionDigest(mock.state.dc.ha.groups);
      return [...mock.state.dc.ha.groups.values()].map((g) => ({
        group: g.group,
        type: "group",
        nodes: g.nodes,
        ...(g.restricted ? { restricted: 1 } : {}),
        ...(g.nofailback ? { nofailback: 1 } : {}),
        ...(g.comment ? { comment: g.comment } : {}),
        digest,
      }));
    },
  },
  {
    method: "GET",
    path: "/cluster/ha/rules",
    description: "Get HA rules.",
    permission: audit,
    parameters: {
      type: { type: "string", optional: true, enum: ["node-affinity", "resource-affinity"] },
      resource: { type: "string", optional: true },
    },
    handler: ({ mock, params }) => {
      const rules = [...mock.state.dc.ha.rules.values()];
      const digest = sectionDigest(mock.state.dc.ha.rules);
      return rules
        .map((r, i) => ({ r, order: i + 1 }))
        .filter(({ r }) => params.type === undefined || r.type === params.type)
        .filter(
          ({ r }) =>
            params.resource === undefined ||
            r.resources.split(",").includes(String(params.resource)),
        )
        .sort((a, b) => a.r.rule.localeCompare(b.r.rule))
        .map(({ r, order }) => ({ ...ruleRow(r), digest, order }));
    },
  },
  {
    method: "GET",
    path: "/cluster/ha/groups/{group}",
    description: "Read ha group configuration. (deprecated in favor of HA rules)",
    permission: audit,
    parameters: {
      group: { type: "string", format: "pve-configid", description: "The HA group identifier." },
    },
    handler: ({ mock, params }) => {
      if (migrated(mock)) throw fail("cannot read group: ha groups have been migrated to rules");
      const g = mock.state.dc.ha.groups.get(String(params.group));
      if (!g) throw fail(`no such ha group '${params.group}'`);
      return { ...g, type: "group", digest: sectionDigest(mock.state.dc.ha.groups) };
    },
  },
  {
    method: "GET",
    path: "/cluster/ha/rules/{rule}",
    description: "Read HA rule.",
    permission: audit,
    parameters: {
      rule: { type: "string", format: "pve-configid", description: "HA rule identifier." },
    },
    handler: ({ mock, params }) => {
      const r = mock.state.dc.ha.rules.get(String(params.rule));
      if (!r) throw fail(`no such ha rule '${params.rule}'`);
      return { ...ruleRow(r), digest: sectionDigest(mock.state.dc.ha.rules) };
    },
  },
  {
    method: "GET",
    path: "/cluster/ha/status/manager_status",
    description: "Get full HA manager status, including LRM status.",
    permission: audit,
    parameters: {},
    handler: ({ mock }) => {
      const ha = mock.state.dc.ha;
      const now = Math.floor(Date.now() / 1000);
      const nodes = [...mock.state.nodes.keys()].sort();
      const online = (n: string) => nodeOnline(mock, n);
      const services = Object.fromEntries(
        [...ha.resources.keys()].map((sid) => {
          const guest = mock.state.guests.get(Number(sid.split(":")[1]));
          return [
            sid,
            {
              node: guest?.node ?? "",
              state: guest?.status === "running" ? "started" : "stopped",
              uid: sid.replace(":", ""),
            },
          ];
        }),
      );
      return {
        manager_status: {
          master_node: ha.master || nodes[0],
          node_status: Object.fromEntries(nodes.map((n) => [n, online(n) ? "online" : "unknown"])),
          service_status: services,
          timestamp: now,
        },
        quorum: { node: "pve1", quorate: "1" },
        lrm_status: Object.fromEntries(
          nodes.map((n) => [
            n,
            {
              mode: "active",
              state: online(n) ? "active" : "lost_agent_lock",
              timestamp: now,
              results: {},
            },
          ]),
        ),
      };
    },
  },
  {
    method: "GET",
    path: "/cluster/ha/status/current",
    description: "Get HA manager status.",
    permission: audit,
    parameters: {},
    handler: ({ mock }) => status(mock),
  },
];
