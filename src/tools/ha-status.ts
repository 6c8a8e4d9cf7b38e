// What HA prefers and does: groups (before PVE 9) or rules (since), and the live status of the
// manager, each node's local resource manager and each HA guest.

import { z } from "zod";
import { HA_GROUPS, HA_RULES, HA_STATUS } from "../pve/endpoints/index.ts";
import { PveError } from "../pve/index.ts";
import { defineTool, READ } from "./define.ts";

export const listHaGroups = defineTool({
  name: "list_ha_groups",
  title: "List HA groups or rules",
  toolset: "ha",
  description:
    "Where HA prefers to run guests. Says which model the cluster uses: HA groups (before PVE 9) or HA rules (PVE 9 migrated groups to node-affinity and resource-affinity rules), and lists them.",
  input: z.strictObject({}),
  output: z.object({
    model: z.enum(["groups", "rules"]),
    groups: z
      .array(
        z.object({
          group: z.string(),
          nodes: z.array(z.string()).describe("node or node:priority"),
          restricted: z.boolean(),
          nofailback: z.boolean(),
          comment: z.string().optional(),
        }),
      )
      .optional(),
    rules: z
      .array(
        z.object({
          rule: z.string(),
          type: z.string().describe("node-affinity or resource-affinity"),
          resources: z.array(z.string()),
          nodes: z.array(z.string()).optional(),
          strict: z.boolean().optional(),
          affinity: z
            .string()
            .optional()
            .describe("resource-affinity: positive (together) or negative (apart)"),
          enabled: z.boolean(),
          comment: z.string().optional(),
        }),
      )
      .optional(),
  }),
  annotations: READ,
  endpoints: [HA_GROUPS, HA_RULES],
  async handler(_args, { pve, signal }) {
    const split = (v?: string) => (v ?? "").split(",").filter(Boolean);
    try {
      const rows = await pve.call(HA_GROUPS, {}, { signal });
      const groups = rows
        .map((g) => ({
          group: g.group,
          nodes: split(g.nodes),
          restricted: g.restricted === 1,
          nofailback: g.nofailback === 1,
          comment: g.comment,
        }))
        .sort((a, b) => a.group.localeCompare(b.group));
      return { data: { model: "groups" as const, groups } };
    } catch (error) {
      if (!(error instanceof PveError && /migrated to rules/.test(error.reason))) throw error;
    }
    const rows = await pve.call(HA_RULES, {}, { signal });
    const rules = rows.map((r) => ({
      rule: r.rule,
      type: r.type,
      resources: split(r.resources),
      nodes: r.nodes === undefined ? undefined : split(r.nodes),
      strict: r.strict === undefined ? undefined : r.strict === 1,
      affinity: r.affinity,
      enabled: r.disable !== 1,
      comment: r.comment,
    }));
    return { data: { model: "rules" as const, rules } };
  },
});

export const getHaStatus = defineTool({
  name: "get_ha_status",
  title: "Get HA status",
  toolset: "ha",
  description:
    "What the HA manager is doing now: quorum, the master node, each node's local resource manager (active, idle, dead) and each HA guest's node and state (started, starting, stopping, error…).",
  input: z.strictObject({}),
  output: z.object({
    quorate: z.boolean(),
    master: z.string().optional(),
    fencing: z.string().optional().describe("armed, standby, disarming or disarmed"),
    nodes: z.array(z.object({ node: z.string(), status: z.string() })),
    services: z.array(
      z.object({
        sid: z.string(),
        node: z.string().optional(),
        state: z.string(),
        request_state: z.string().optional(),
        crm_state: z.string().optional(),
      }),
    ),
  }),
  annotations: READ,
  endpoints: [HA_STATUS],
  async handler(_args, { pve, signal }) {
    const rows = await pve.call(HA_STATUS, {}, { signal });
    const quorum = rows.find((r) => r.type === "quorum");
    const master = rows.find((r) => r.type === "master");
    return {
      data: {
        quorate: quorum?.quorate === 1,
        master: master?.node,
        fencing: rows.find((r) => r.type === "fencing")?.["armed-state"],
        nodes: rows
          .filter((r) => r.type === "lrm")
          .map((r) => ({ node: r.node ?? "", status: r.status ?? "" })),
        services: rows
          .filter((r) => r.type === "service")
          .map((r) => ({
            sid: r.sid ?? r.id.replace(/^service:/, ""),
            node: r.node,
            state: r.state ?? "unknown",
            request_state: r.request_state,
            crm_state: r.crm_state,
          })),
      },
    };
  },
});

export const haStatusTools = [listHaGroups, getHaStatus];
