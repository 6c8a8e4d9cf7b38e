// Forming a cluster: create one on a standalone node, read what a new node needs to join, join.
// PVE allows create and join only to root@pam with a password (a ticket), never to API tokens.

import { z } from "zod";
import { CLUSTER_CREATE, CLUSTER_JOIN, CLUSTER_JOIN_INFO } from "../pve/endpoints/index.ts";
import { PveError } from "../pve/index.ts";
import { wait } from "./args.ts";
import { DESTRUCTIVE, defineTool, READ, type ToolContext } from "./define.ts";
import { ToolError } from "./errors.ts";
import { settleTask, TASK_ENDPOINTS, taskFields, taskMessage } from "./task-result.ts";

/** PVE's "user != root@pam" for these calls, explained (the configured credentials matter). */
function rootOnly(ctx: ToolContext<never>, what: string): (error: unknown) => never {
  return (error) => {
    if (
      error instanceof PveError &&
      error.status === 403 &&
      /user != root@pam/.test(error.reason)
    ) {
      const token = ctx.pve.auth.kind === "token";
      throw new ToolError(
        `${what} needs root@pam with password authentication; this server uses ${ctx.pve.auth.identity}${token ? " (an API token, which PVE never accepts here)" : ""}`,
        "Run it with --user root@pam and --password (not a token), or do it with pvecm on the node's shell.",
      );
    }
    throw error;
  };
}

const link0 = z
  .string()
  .optional()
  .describe("Corosync link 0 address of this node (default: its main IP), e.g. 10.10.10.1");

export const createCluster = defineTool({
  name: "create_cluster",
  title: "Create a cluster",
  toolset: "system",
  description:
    "Turn the standalone node the API answers from into a new cluster of one (then join other nodes with join_cluster). Needs root@pam with password authentication, not an API token.",
  input: z.strictObject({
    clustername: z
      .string()
      .regex(/^[a-zA-Z0-9]([a-zA-Z0-9-]{0,13}[a-zA-Z0-9])?$/, "letters, digits and '-', at most 15")
      .describe("Cluster name (at most 15 characters; cannot be changed later)"),
    link0,
    wait,
  }),
  output: z.object({ clustername: z.string(), message: z.string(), ...taskFields }),
  annotations: DESTRUCTIVE, // rewrites the node's cluster configuration for good
  endpoints: [CLUSTER_CREATE, ...TASK_ENDPOINTS],
  async handler(args, ctx) {
    const upid = await ctx.pve
      .call(
        CLUSTER_CREATE,
        { clustername: args.clustername, link0: args.link0 },
        { signal: ctx.signal },
      )
      .catch(rootOnly(ctx, "creating a cluster"));
    const what = `creation of cluster ${args.clustername}`;
    const task = await settleTask(ctx, upid, what, args.wait);
    return {
      data: {
        clustername: args.clustername,
        message: taskMessage(
          task,
          what,
          `cluster ${args.clustername} created; add nodes with join_cluster (get_cluster_join_info has what they need)`,
        ),
        ...task,
      },
    };
  },
});

export const getClusterJoinInfo = defineTool({
  name: "get_cluster_join_info",
  title: "Get cluster join information",
  toolset: "system",
  description:
    "What a new node needs to join this cluster: the address and certificate fingerprint of a member to join through, the cluster name and its members. Pass them to join_cluster on the new node.",
  input: z.strictObject({
    node: z
      .string()
      .optional()
      .describe("Member to join through (default: the node the API answers from)"),
  }),
  output: z.object({
    cluster_name: z.string().optional(),
    hostname: z.string().describe("address of the member to join through"),
    fingerprint: z.string().describe("its certificate SHA-256 fingerprint"),
    preferred_node: z.string(),
    nodes: z.array(
      z.object({ name: z.string(), nodeid: z.number().optional(), address: z.string().optional() }),
    ),
  }),
  annotations: READ,
  endpoints: [CLUSTER_JOIN_INFO],
  async handler({ node }, { pve, signal }) {
    const info = await pve.call(CLUSTER_JOIN_INFO, { node }, { signal });
    const via = info.nodelist.find((n) => n.name === info.preferred_node);
    return {
      data: {
        cluster_name: info.totem?.cluster_name,
        hostname: via?.pve_addr ?? via?.ring0_addr ?? info.preferred_node,
        fingerprint: via?.pve_fp ?? "",
        preferred_node: info.preferred_node,
        nodes: info.nodelist
          .map((n) => ({
            name: n.name,
            nodeid: n.nodeid === undefined ? undefined : Number(n.nodeid),
            address: n.pve_addr ?? n.ring0_addr,
          }))
          .sort((a, b) => a.name.localeCompare(b.name)),
      },
    };
  },
});

export const joinCluster = defineTool({
  name: "join_cluster",
  title: "Join a cluster",
  toolset: "system",
  description:
    "Join the node the API answers from to an existing cluster, through a member (hostname, its fingerprint and its root password from get_cluster_join_info). The node must have no guests; its /etc/pve is replaced by the cluster's. Needs root@pam with a password, not an API token. The password is never echoed.",
  input: z.strictObject({
    hostname: z.string().min(1).describe("Address of a cluster member"),
    password: z
      .string()
      .min(1)
      .max(128)
      .describe("root@pam password of that member; never shown in results"),
    fingerprint: z
      .string()
      .regex(
        /^([A-Fa-f0-9]{2}:){31}[A-Fa-f0-9]{2}$/,
        "SHA-256 fingerprint, 32 hex pairs separated by ':'",
      )
      .describe("The member's certificate fingerprint"),
    link0,
    wait,
  }),
  output: z.object({ hostname: z.string(), message: z.string(), ...taskFields }),
  annotations: DESTRUCTIVE,
  endpoints: [CLUSTER_JOIN, ...TASK_ENDPOINTS],
  async handler(args, ctx) {
    const upid = await ctx.pve
      .call(
        CLUSTER_JOIN,
        {
          hostname: args.hostname,
          password: args.password,
          fingerprint: args.fingerprint,
          link0: args.link0,
        },
        { signal: ctx.signal },
      )
      .catch(rootOnly(ctx, "joining a cluster"));
    const what = `joining the cluster through ${args.hostname}`;
    const task = await settleTask(ctx, upid, what, args.wait);
    return {
      data: {
        hostname: args.hostname,
        message: taskMessage(task, what, `joined the cluster through ${args.hostname}`),
        ...task,
      },
    };
  },
});

export const clusterSetupTools = [createCluster, getClusterJoinInfo, joinCluster];
