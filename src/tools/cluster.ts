import { z } from "zod";
import { CLUSTER_STATUS } from "../pve/endpoints/index.ts";
import { defineTool, READ } from "./define.ts";

export const getClusterStatus = defineTool({
  name: "get_cluster_status",
  title: "Get cluster status",
  toolset: "cluster",
  description:
    "Cluster name, quorum and membership: each node's id, IP and whether it is online. A standalone node reports no cluster.",
  input: z.strictObject({}),
  output: z.object({
    cluster: z
      .object({ name: z.string(), nodes: z.number(), quorate: z.boolean(), version: z.number() })
      .optional()
      .describe("absent on a standalone node"),
    nodes: z.array(
      z.object({
        name: z.string(),
        nodeid: z.number().optional(),
        ip: z.string().optional(),
        online: z.boolean(),
        local: z.boolean().describe("the node this API answered from"),
      }),
    ),
  }),
  annotations: READ,
  endpoints: [CLUSTER_STATUS],
  async handler(_args, { pve }) {
    const entries = await pve.call(CLUSTER_STATUS, {});
    const c = entries.find((e) => e.type === "cluster");
    return {
      data: {
        cluster: c
          ? { name: c.name, nodes: c.nodes ?? 0, quorate: c.quorate === 1, version: c.version ?? 0 }
          : undefined,
        nodes: entries
          .filter((e) => e.type === "node")
          .map((e) => ({
            name: e.name,
            nodeid: e.nodeid,
            ip: e.ip,
            online: e.online === 1,
            local: e.local === 1,
          }))
          .sort((a, b) => a.name.localeCompare(b.name)),
      },
    };
  },
});

export const clusterStatusTools = [getClusterStatus];
