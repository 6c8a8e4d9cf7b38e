// status.cfg's external metric servers, and the pull-style metrics export of the cluster's own
// guests and nodes.
import { fail } from "../errors.ts";
import { sectionDigest } from "../format.ts";
import type { Route } from "../router.ts";
import { guestMaxmem } from "../state.ts";

export const clusterMetricRoutes: Route[] = [
  {
    method: "GET",
    path: "/cluster/metrics/server",
    description: "List configured metric servers.",
    permission: [{ path: "/", privs: ["Sys.Audit"] }],
    parameters: {},
    handler: ({ mock }) =>
      [...mock.state.dc.objects.metricServers.entries()].map(([id, s]) => ({
        id,
        type: String(s.type),
        server: String(s.server),
        port: Number(s.port),
        disable: Number(s.disable ?? 0),
      })),
  },
  {
    method: "GET",
    path: "/cluster/metrics/server/{id}",
    description: "Read metric server configuration.",
    permission: [{ path: "/", privs: ["Sys.Audit"] }],
    parameters: {
      id: { type: "string", format: "pve-configid", description: "The ID of the entry." },
    },
    handler: ({ mock, params }) => {
      const s = mock.state.dc.objects.metricServers.get(String(params.id));
      if (!s) throw fail(`status server '${params.id}' does not exist`);
      const { token: _token, ...rest } = s;
      return {
        id: params.id,
        ...rest,
        digest: sectionDigest(mock.state.dc.objects.metricServers.entries()),
      };
    },
  },
  {
    method: "GET",
    path: "/cluster/metrics/export",
    description: "Retrieve metrics of the cluster.",
    permission: [{ path: "/", privs: ["Sys.Audit"] }],
    parameters: {
      history: {
        type: "boolean",
        optional: true,
        default: 0,
        description: "Also return historic values.",
      },
      "local-only": {
        type: "boolean",
        optional: true,
        default: 0,
        description: "Only return metrics for the current node instead of the whole cluster",
      },
      "node-list": {
        type: "string",
        optional: true,
        format: "pve-node-list",
        description: "Only return metrics from nodes passed as comma-separated list",
      },
      "start-time": {
        type: "integer",
        optional: true,
        default: 0,
        description: "Only include metrics with a timestamp > start-time.",
      },
    },
    handler: ({ mock, params }) => {
      const timestamp = Math.floor(Date.now() / 1000);
      const nodes =
        typeof params["node-list"] === "string" ? params["node-list"].split(",") : undefined;
      const rows: Record<string, unknown>[] = [];
      const gauge = (id: string, metric: string, value: number) =>
        rows.push({ id, metric, timestamp, type: "gauge", value });
      for (const n of mock.state.nodes.values()) {
        if (nodes && !nodes.includes(n.name)) continue;
        if (params["local-only"] === true && n.name !== "pve1") continue;
        gauge(`node/${n.name}`, "cpu_current", n.cpu);
        gauge(`node/${n.name}`, "mem_used", n.mem);
        gauge(`node/${n.name}`, "mem_total", n.maxmem);
      }
      for (const g of mock.state.guests.values()) {
        if (nodes && !nodes.includes(g.node)) continue;
        if (params["local-only"] === true && g.node !== "pve1") continue;
        gauge(`${g.type}/${g.vmid}`, "cpu_current", g.stats.cpu);
        gauge(`${g.type}/${g.vmid}`, "mem_used", g.stats.mem);
        gauge(`${g.type}/${g.vmid}`, "mem_total", guestMaxmem(g));
      }
      return { data: rows.filter((r) => Number(r.timestamp) > Number(params["start-time"] ?? 0)) };
    },
  },
];
