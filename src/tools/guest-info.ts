// What a guest is doing: its RRD statistics over time, and the IP addresses it has.

import { z } from "zod";
import {
  AGENT_INTERFACES,
  type AgentInterface,
  CLUSTER_RESOURCES,
  GUEST_RRD,
  type GuestRrdRow,
  LXC_INTERFACES,
} from "../pve/endpoints/index.ts";
import { guestAt } from "../pve/index.ts";
import { withAgent } from "./agent.ts";
import { consolidation, timeframe } from "./args.ts";
import { defineTool, READ, type ToolDef } from "./define.ts";
import { guestArgs, guestData, guestFields } from "./guest-common.ts";
import { describeGuest, onGuest } from "./guest-ref.ts";
import { GUEST_METRICS, samples, samplesSchema, span, summarize, summarySchema } from "./rrd.ts";
import { bytes, isoTime } from "./units.ts";

export const getVmStats = defineTool({
  name: "get_vm_stats",
  title: "Guest statistics over time",
  toolset: "stats",
  description:
    "CPU, memory, network and disk I/O of a VM or container over the last hour, day, week, month or year (Proxmox RRD data): min/avg/max/last per metric; with samples true also the ~70 points.",
  input: z.strictObject({
    ...guestArgs,
    timeframe,
    cf: consolidation,
    samples: z.boolean().optional().describe("Also return every sample (about 70 rows)"),
  }),
  output: z.object({
    ...guestFields,
    timeframe: z.string(),
    cf: z.string(),
    points: z.number().describe("samples with data (the guest ran)"),
    from: isoTime().optional(),
    to: isoTime().optional(),
    maxcpu: z.number().optional(),
    maxmem: bytes().optional(),
    summary: summarySchema(GUEST_METRICS),
    samples: samplesSchema(GUEST_METRICS).optional(),
  }),
  annotations: READ,
  endpoints: [CLUSTER_RESOURCES, GUEST_RRD],
  async handler(args, ctx) {
    return onGuest(ctx, args, async (guest) => {
      const tf = args.timeframe ?? "hour";
      const cf = args.cf ?? "AVERAGE";
      const rows = await ctx.pve.call(
        GUEST_RRD,
        { ...guestAt(guest), timeframe: tf, cf },
        { signal: ctx.signal },
      );
      // A stopped guest's rows carry no values: they say nothing about its load.
      const withData = rows.filter((r) => r.cpu !== undefined) as (GuestRrdRow & {
        [k: string]: number | undefined;
      })[];
      return {
        data: {
          ...guestData(guest),
          timeframe: tf,
          cf,
          points: withData.length,
          ...span(withData),
          maxcpu: withData.at(-1)?.maxcpu,
          maxmem: withData.at(-1)?.maxmem,
          summary: summarize(withData, GUEST_METRICS),
          samples: args.samples ? samples(withData, GUEST_METRICS) : undefined,
        },
      };
    });
  },
});

const ifaceRow = z.object({
  name: z.string(),
  mac: z.string().optional(),
  ipv4: z.array(z.string()).describe("address/prefix"),
  ipv6: z.array(z.string()),
});

export const getGuestIps = defineTool({
  name: "get_guest_ips",
  title: "Guest IP addresses",
  toolset: "guest_network",
  description:
    "The IP addresses a running guest has, per interface: from the guest agent for VMs (it must be running in the guest), from the container itself for LXC. Loopback left out unless loopback is true.",
  input: z.strictObject({
    ...guestArgs,
    loopback: z.boolean().optional().describe("Include lo / 127.0.0.1"),
  }),
  output: z.object({
    ...guestFields,
    primary_ipv4: z
      .string()
      .optional()
      .describe("First IPv4 address outside loopback and link-local"),
    interfaces: z.array(ifaceRow),
    note: z.string().optional(),
  }),
  annotations: READ,
  endpoints: [CLUSTER_RESOURCES, LXC_INTERFACES, AGENT_INTERFACES],
  async handler(args, ctx) {
    type Row = z.infer<typeof ifaceRow>;
    const finish = (g: Parameters<typeof guestData>[0], rows: Row[], note?: string) => {
      const interfaces = rows.filter((r) => args.loopback || r.name !== "lo");
      const primary = interfaces
        .flatMap((r) => r.ipv4)
        .map((a) => a.split("/")[0] ?? a)
        .find((a) => !a.startsWith("127.") && !a.startsWith("169.254."));
      return {
        data: { ...guestData(g), primary_ipv4: primary, interfaces, note },
        text: note
          ? `${describeGuest(g)}: ${note}`
          : `${describeGuest(g)}${primary ? `: ${primary}` : ""}\n${interfaces
              .map((r) => `${r.name} ${r.mac ?? ""} ${[...r.ipv4, ...r.ipv6].join(" ")}`.trim())
              .join("\n")}`,
      };
    };
    return onGuest(ctx, args, async (guest) => {
      if (guest.type === "lxc") {
        const rows = await ctx.pve.call(LXC_INTERFACES, guestAt(guest), { signal: ctx.signal });
        if (!rows)
          return finish(guest, [], "the container is not running: it has no addresses now");
        return finish(
          guest,
          rows.map((r) => ({
            name: r.name,
            mac: r.hwaddr,
            ipv4: r.inet ? [r.inet] : [],
            ipv6: r.inet6 ? [r.inet6] : [],
          })),
        );
      }
      return withAgent(ctx, { vmid: guest.vmid, node: guest.node }, "get_guest_ips", async (vm) => {
        const { result } = await ctx.pve.call(AGENT_INTERFACES, guestAt(vm), {
          signal: ctx.signal,
        });
        const addrs = (r: AgentInterface, type: string) =>
          (r["ip-addresses"] ?? [])
            .filter((a) => a["ip-address-type"] === type)
            .map((a) => `${a["ip-address"]}/${a.prefix}`);
        return finish(
          vm,
          result.map((r) => ({
            name: r.name,
            mac: r["hardware-address"],
            ipv4: addrs(r, "ipv4"),
            ipv6: addrs(r, "ipv6"),
          })),
        );
      });
    });
  },
});

export const guestInfoTools: ToolDef[] = [getVmStats, getGuestIps];
