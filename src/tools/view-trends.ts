// The sparklines of the cluster view: the last half hour of CPU and memory of the guests whose
// rows are on screen, from each guest's RRD data, in one call. The view asks for the rows it
// shows (at most TRENDS_MAX), never for every guest of a large cluster.

import { z } from "zod";
import { CLUSTER_RESOURCES, GUEST_RRD } from "../pve/endpoints/index.ts";
import { clusterResources, type GuestRef, guestAt } from "../pve/index.ts";
import { vmid } from "./args.ts";
import { defineTool, READ } from "./define.ts";
import { guestTrends } from "./view-schemas.ts";
import { CLUSTER_VIEW } from "./views.ts";

export const TRENDS_MAX = 50;
/** One-minute points of the hour archive: the last half hour. */
const POINTS = 30;

const round = (v: number) => Math.round(v * 1000) / 1000;

export const viewTrends = defineTool({
  name: "view_trends",
  title: "Guest trends for the cluster view",
  toolset: "cluster",
  description: "For the cluster view: the last 30 minutes of CPU and memory of some guests.",
  input: z.strictObject({
    vmids: z.array(vmid).min(1).max(TRENDS_MAX).describe("Guests shown on screen"),
  }),
  output: guestTrends,
  annotations: READ,
  endpoints: [CLUSTER_RESOURCES, GUEST_RRD],
  ui: { resourceUri: CLUSTER_VIEW, appOnly: true },
  async handler(args, ctx) {
    const wanted = new Set(args.vmids);
    const guests = (await clusterResources(ctx.pve, "vm", ctx.signal))
      .filter((r) => r.vmid !== undefined && wanted.has(r.vmid) && r.node)
      .map((r) => ({ ...r, vmid: r.vmid as number, node: r.node as string }))
      .filter((r) => ctx.scope.allowsGuest(r));
    const trends = await Promise.all(
      guests.map(async (r) => {
        const guest: GuestRef = { vmid: r.vmid, node: r.node, type: r.type as GuestRef["type"] };
        // A guest whose node is down has no RRD data to give: an empty trend, not a failure.
        const rows = await ctx.pve
          .call(
            GUEST_RRD,
            { ...guestAt(guest), timeframe: "hour", cf: "AVERAGE" },
            { signal: ctx.signal },
          )
          .catch(() => []);
        const filled = rows.filter((p) => typeof p.cpu === "number").slice(-POINTS);
        return {
          vmid: r.vmid,
          cpu: filled.map((p) => round(p.cpu ?? 0)),
          mem: filled.map((p) => round(p.maxmem ? (p.mem ?? 0) / p.maxmem : 0)),
        };
      }),
    );
    return { data: { trends }, text: `trends of ${trends.length} guests` };
  },
});

export const viewTrendTools = [viewTrends];
