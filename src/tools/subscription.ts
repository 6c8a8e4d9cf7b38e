// The subscription of each node: status and level, setting a key (never echoed), re-checking.

import { z } from "zod";
import {
  CLUSTER_RESOURCES,
  SUBSCRIPTION,
  SUBSCRIPTION_CHECK,
  SUBSCRIPTION_SET,
} from "../pve/endpoints/index.ts";
import { segment } from "../pve/index.ts";
import { nodeRequired } from "./args.ts";
import { defineTool, READ, type ToolContext, WRITE_IDEMPOTENT } from "./define.ts";
import { nodeTargets, onEach, unreachableField } from "./fanout.ts";
import { iso, isoTime } from "./units.ts";

const LEVELS: Record<string, string> = { c: "community", b: "basic", s: "standard", p: "premium" };

const info = z.object({
  node: z.string(),
  status: z.string().describe("active, notfound (no key), new, invalid, expired, suspended"),
  level: z.string().optional().describe("community, basic, standard, premium"),
  productname: z.string().optional(),
  nextduedate: z.string().optional(),
  last_check: isoTime().optional().describe("the last check with the shop"),
  sockets: z.number().optional(),
  message: z.string().optional(),
});

/** A node's subscription as the tools show it: never the key itself. */
async function read(
  ctx: ToolContext<typeof SUBSCRIPTION>,
  node: string,
): Promise<z.infer<typeof info>> {
  const s = await ctx.pve.call(SUBSCRIPTION, { node }, { signal: ctx.signal });
  return {
    node,
    status: s.status,
    level: s.level ? (LEVELS[s.level] ?? s.level) : undefined,
    productname: s.productname,
    nextduedate: s.nextduedate,
    last_check: s.checktime ? iso(s.checktime) : undefined,
    sockets: s.sockets,
    message: s.message,
  };
}

export const getSubscriptionInfo = defineTool({
  name: "get_subscription_info",
  title: "Get subscription status",
  toolset: "system",
  description:
    "Subscription status of a node, or of every node that answers: active or not, level, product, next due date, last check. The key itself is never shown.",
  input: z.strictObject({
    node: z.string().optional().describe("Only this node (default: every node that answers)"),
  }),
  output: z.object({ nodes: z.array(info), unreachable: unreachableField }),
  annotations: READ,
  endpoints: [CLUSTER_RESOURCES, SUBSCRIPTION],
  async handler(args, ctx) {
    if (args.node) segment("node", args.node);
    const { results, unreachable } = await onEach(ctx, await nodeTargets(ctx, args.node), (t) =>
      read(ctx, t.node),
    );
    return { data: { nodes: results.map((r) => r.value), unreachable } };
  },
});

export const setSubscriptionKey = defineTool({
  name: "set_subscription_key",
  title: "Set the subscription key",
  toolset: "system",
  description:
    "Set a node's subscription key (pveNx-xxxxxxxxxx; each node needs its own) and report the resulting status. The key is never echoed.",
  input: z.strictObject({
    node: nodeRequired,
    key: z
      .string()
      .trim()
      .regex(/^pve[1248][cbsp]-[0-9a-f]{10}$/, "expected a key like pve2c-0123456789")
      .describe("Subscription key; never shown in results"),
  }),
  output: info,
  annotations: WRITE_IDEMPOTENT,
  endpoints: [SUBSCRIPTION_SET, SUBSCRIPTION],
  async handler({ node, key }, ctx) {
    await ctx.pve.call(SUBSCRIPTION_SET, { node, key }, { signal: ctx.signal });
    return { data: await read(ctx, node) };
  },
});

export const checkSubscription = defineTool({
  name: "check_subscription",
  title: "Re-check the subscription",
  toolset: "system",
  description:
    "Ask the Proxmox shop again about a node's subscription (normally cached for days; force checks now) and report the status.",
  input: z.strictObject({
    node: nodeRequired,
    force: z
      .boolean()
      .optional()
      .describe("Check now even if the cached answer is recent (default true)"),
  }),
  output: info,
  annotations: WRITE_IDEMPOTENT,
  endpoints: [SUBSCRIPTION_CHECK, SUBSCRIPTION],
  async handler({ node, force }, ctx) {
    await ctx.pve.call(SUBSCRIPTION_CHECK, { node, force: force ?? true }, { signal: ctx.signal });
    return { data: await read(ctx, node) };
  },
});

export const subscriptionTools = [getSubscriptionInfo, setSubscriptionKey, checkSubscription];
