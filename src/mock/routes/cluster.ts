// /cluster/resources, /cluster/status, /cluster/nextid, /cluster/tasks, /cluster/log.
import { paramError } from "../errors.ts";
import { listRow } from "../guests.ts";
import { opt, vmid } from "../params.ts";
import { hasPriv, type Principal, principalName } from "../perms.ts";
import type { MockContext, Route } from "../router.ts";
import { LOCAL_NODE } from "../seed.ts";
import {
  type ClusterState,
  guestName,
  isTemplate,
  type MockGuest,
  type MockNode,
  storageOnNode,
  storageUsage,
} from "../state.ts";
import { taskRow } from "./tasks.ts";

export function nodeOnline(mock: MockContext, node: string): boolean {
  return !mock.faults.offlineNodes.has(node);
}

export function nodeStats(node: MockNode): Record<string, unknown> {
  return {
    cpu: node.cpu,
    maxcpu: node.maxcpu,
    mem: node.mem,
    maxmem: node.maxmem,
    disk: node.disk,
    maxdisk: node.maxdisk,
    uptime: Math.floor(Date.now() / 1000) - node.bootTime,
  };
}

export function guestResource(
  mock: MockContext,
  g: MockGuest,
  who: Principal,
): Record<string, unknown> {
  const id = `${g.type}/${g.vmid}`;
  // The RRD data of an offline node's guests is gone: only the identity stays.
  if (!nodeOnline(mock, g.node))
    return { id, vmid: g.vmid, node: g.node, type: g.type, status: "unknown" };
  const row = listRow(g, false);
  const out: Record<string, unknown> = {
    id,
    vmid: g.vmid,
    node: g.node,
    type: g.type,
    name: guestName(g),
    status: g.status,
    template: isTemplate(g) ? 1 : 0,
    uptime: row.uptime,
    cpu: row.cpu,
    maxcpu: typeof row.cpus === "number" ? row.cpus : Number(row.cpus),
    mem: row.mem,
    maxmem: row.maxmem,
    ...(g.type === "qemu" && g.status === "running"
      ? { memhost: Math.round(g.stats.mem * 1.08) }
      : {}),
    disk: row.disk,
    maxdisk: row.maxdisk,
    netin: row.netin,
    netout: row.netout,
    diskread: row.diskread,
    diskwrite: row.diskwrite,
  };
  if (g.config.tags) out.tags = g.config.tags;
  if (g.pool && hasPriv(mock.state, who, `/pool/${g.pool}`, ["Pool.Audit"])) out.pool = g.pool;
  if (g.hastate) out.hastate = g.hastate;
  if (g.lock) out.lock = g.lock;
  return out;
}

function nodeResource(mock: MockContext, n: MockNode, who: Principal): Record<string, unknown> {
  const base = { id: `node/${n.name}`, node: n.name, type: "node" };
  if (!nodeOnline(mock, n.name)) return { ...base, status: "offline", "cgroup-mode": 2 };
  const stats = hasPriv(mock.state, who, `/nodes/${n.name}`, ["Sys.Audit"]) ? nodeStats(n) : {};
  return { ...base, status: "online", ...stats, level: "", "cgroup-mode": 2 };
}

function storageResources(mock: MockContext, who: Principal): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = [];
  const used = storageUsage(mock.state);
  for (const n of mock.state.nodes.values()) {
    for (const s of mock.state.storages.values()) {
      if (!s.enabled || !storageOnNode(s, n.name)) continue;
      if (
        !hasPriv(
          mock.state,
          who,
          `/storage/${s.storage}`,
          ["Datastore.Audit", "Datastore.AllocateSpace"],
          true,
        )
      )
        continue;
      const base = {
        id: `storage/${n.name}/${s.storage}`,
        storage: s.storage,
        node: n.name,
        type: "storage",
        plugintype: s.type,
        shared: s.shared ? 1 : 0,
        content: [...s.content].sort().join(","),
      };
      rows.push(
        nodeOnline(mock, n.name)
          ? {
              ...base,
              status: "available",
              disk: used(s, n.name),
              maxdisk: s.total,
            }
          : { ...base, status: "unknown" },
      );
    }
  }
  return rows;
}

export function auditableGuests(state: ClusterState, who: Principal): MockGuest[] {
  return [...state.guests.values()].filter((g) =>
    hasPriv(state, who, `/vms/${g.vmid}`, ["VM.Audit"]),
  );
}

export const clusterRoutes: Route[] = [
  {
    method: "GET",
    path: "/cluster/resources",
    description: "Resources index (cluster wide).",
    permission: "all",
    parameters: {
      type: {
        type: "string",
        optional: true,
        enum: ["vm", "storage", "node", "sdn"],
        description: "Resource type.",
      },
    },
    handler: ({ mock, params, who }) => {
      const want = params.type;
      const rows: Record<string, unknown>[] = [];
      if (want === undefined) {
        for (const p of mock.state.pools.values()) {
          if (hasPriv(mock.state, who, `/pool/${p.poolid}`, ["Pool.Audit"]))
            rows.push({ id: `/pool/${p.poolid}`, pool: p.poolid, type: "pool" });
        }
      }
      if (want === undefined || want === "vm") {
        // Guests come sorted by vmid as text.
        const guests = auditableGuests(mock.state, who).sort((a, b) =>
          String(a.vmid).localeCompare(String(b.vmid)),
        );
        for (const g of guests) rows.push(guestResource(mock, g, who));
      }
      if (want === undefined || want === "node") {
        for (const n of mock.state.nodes.values()) rows.push(nodeResource(mock, n, who));
      }
      if (want === undefined || want === "storage") rows.push(...storageResources(mock, who));
      if (want === undefined || want === "sdn") {
        for (const n of mock.state.nodes.values()) {
          if (!hasPriv(mock.state, who, "/sdn/zones/localnetwork", ["SDN.Audit"])) continue;
          rows.push({
            id: `sdn/${n.name}/localnetwork`,
            sdn: "localnetwork",
            node: n.name,
            type: "sdn",
            status: nodeOnline(mock, n.name) ? "ok" : "unknown",
          });
        }
      }
      return rows;
    },
  },
  {
    method: "GET",
    path: "/cluster/status",
    description: "Get cluster status information.",
    permission: [{ path: "/", privs: ["Sys.Audit"] }],
    parameters: {},
    handler: ({ mock }) => {
      const nodes = [...mock.state.nodes.values()];
      const online = nodes.filter((n) => nodeOnline(mock, n.name)).length;
      // A standalone node: one entry, no cluster.
      const local = mock.state.nodes.get(LOCAL_NODE);
      if (!mock.state.dc.clustered && local) {
        return [
          {
            type: "node",
            id: `node/${LOCAL_NODE}`,
            name: LOCAL_NODE,
            nodeid: 0,
            ip: local.ip,
            local: 1,
            online: 1,
            level: "",
          },
        ];
      }
      return [
        {
          type: "cluster",
          id: "cluster",
          name: mock.state.clusterName,
          nodes: nodes.length,
          version: nodes.length + 2,
          quorate: online * 2 > nodes.length ? 1 : 0,
        },
        ...nodes.map((n) => ({
          type: "node",
          id: `node/${n.name}`,
          name: n.name,
          nodeid: n.nodeid,
          ip: n.ip,
          local: n.name === LOCAL_NODE ? 1 : 0,
          online: nodeOnline(mock, n.name) ? 1 : 0,
          level: "",
        })),
      ];
    },
  },
  {
    method: "GET",
    path: "/cluster/nextid",
    description: "Get next free VMID. Pass a VMID to assert that its free (at time of check).",
    permission: "all",
    parameters: { vmid: opt(vmid) },
    handler: ({ mock, params }) => {
      if (typeof params.vmid === "number") {
        if (mock.state.guests.has(params.vmid))
          throw paramError({ vmid: `VM ${params.vmid} already exists` });
        return String(params.vmid);
      }
      let id = 100;
      while (mock.state.guests.has(id)) id++;
      return String(id);
    },
  },
  {
    method: "GET",
    path: "/cluster/tasks",
    description: "List recent tasks (cluster wide).",
    permission: "all",
    parameters: {},
    handler: ({ mock, who }) => {
      const mayAuditAll = hasPriv(mock.state, who, "/", ["Sys.Audit"]);
      const rows: Record<string, unknown>[] = [];
      for (const n of mock.state.nodes.keys()) {
        const mine = mock.state.tasks
          .filter((t) => t.node === n && (mayAuditAll || t.user === who.userid))
          .sort((a, b) => b.starttime - a.starttime);
        const running = mine.filter((t) => t.status === "running");
        const done = mine
          .filter((t) => t.status !== "running")
          .slice(0, Math.max(0, 25 - running.length));
        for (const t of [...running, ...done]) {
          const { pstart: _pstart, pid, ...row } = taskRow(t);
          rows.push({
            ...row,
            ...(t.status === "running" ? { pid } : {}),
            saved: t.status === "running" ? 0 : 1,
          });
        }
      }
      return rows;
    },
  },
  {
    method: "GET",
    path: "/cluster/log",
    description: "Read cluster log",
    permission: "all",
    parameters: {
      max: {
        type: "integer",
        optional: true,
        minimum: 1,
        description: "Maximum number of entries.",
      },
    },
    handler: ({ mock, params, who }) => {
      const max = typeof params.max === "number" ? params.max : 50;
      const all = hasPriv(mock.state, who, "/", ["Sys.Syslog"]);
      const entries = mock.state.tasks
        .filter((t) => all || t.user === who.userid)
        .slice(-max)
        .reverse()
        .map((t, i) => ({
          uid: i + 1,
          time: t.endtime ?? t.starttime,
          pri: t.exitstatus && t.exitstatus !== "OK" ? 3 : 6,
          tag: "pvedaemon",
          pid: t.pid,
          node: t.node,
          user: principalName({ userid: t.user, tokenid: t.tokenid }),
          msg:
            t.status === "running"
              ? `starting task ${t.upid}`
              : `end task ${t.upid} ${t.exitstatus}`,
        }));
      return entries;
    },
  },
];
