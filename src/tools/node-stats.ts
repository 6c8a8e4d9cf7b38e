// What a node recorded: its RRD statistics over a time frame and its system journal.

import { z } from "zod";
import { NODE_JOURNAL, NODE_RRD, NODE_SYSLOG } from "../pve/endpoints/index.ts";
import { consolidation, nodeRequired, timeframe } from "./args.ts";
import { defineTool, READ } from "./define.ts";
import { lastWithin } from "./paging.ts";
import { NODE_METRICS, samples, samplesSchema, span, summarize, summarySchema } from "./rrd.ts";
import { bytes, isoTime } from "./units.ts";

export const getNodeStats = defineTool({
  name: "get_node_stats",
  title: "Get node statistics",
  toolset: "stats",
  description:
    "A node's recorded load over a time frame (hour … year): min/avg/max/last of CPU, load, I/O wait, memory, swap, root disk and network; with samples true also the time series.",
  input: z.strictObject({
    node: nodeRequired,
    timeframe,
    cf: consolidation,
    samples: z.boolean().optional().describe("Also return every sample (about 70 rows)"),
  }),
  output: z.object({
    node: z.string(),
    timeframe: z.string(),
    cf: z.string(),
    points: z.number().describe("samples in the time frame"),
    from: isoTime().optional(),
    to: isoTime().optional(),
    maxmem: bytes().optional(),
    maxdisk: bytes().optional().describe("root filesystem"),
    summary: summarySchema(NODE_METRICS),
    samples: samplesSchema(NODE_METRICS).optional(),
  }),
  annotations: READ,
  endpoints: [NODE_RRD],
  async handler(args, { pve, signal }) {
    const tf = args.timeframe ?? "hour";
    const cf = args.cf ?? "AVERAGE";
    const rows = await pve.call(NODE_RRD, { node: args.node, timeframe: tf, cf }, { signal });
    return {
      data: {
        node: args.node,
        timeframe: tf,
        cf,
        points: rows.length,
        ...span(rows),
        maxmem: rows.findLast((r) => r.memtotal !== undefined)?.memtotal,
        maxdisk: rows.findLast((r) => r.roottotal !== undefined)?.roottotal,
        summary: summarize(rows, NODE_METRICS),
        samples: args.samples ? samples(rows, NODE_METRICS) : undefined,
      },
    };
  },
});

const stamp = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}(:\d{2})?)?$/)
  .optional();

/** Syslog pages are counted from the oldest line; this many lines per request, at most 20 pages. */
const PAGE = 5000;
const MAX_PAGES = 20;

export const getNodeSyslog = defineTool({
  name: "get_node_syslog",
  title: "Read a node's system log",
  toolset: "logs",
  description:
    "Lines of a node's system journal, newest last: by default the last 50. Narrow by service (e.g. pveproxy, corosync, pve-ha-lrm) and since/until ('YYYY-MM-DD HH:MM', node time), or page from the oldest with start.",
  input: z.strictObject({
    node: nodeRequired,
    service: z.string().max(128).optional().describe("Only this service's lines, e.g. pvedaemon"),
    since: stamp.describe("From this time, 'YYYY-MM-DD[ HH:MM[:SS]]' (node's local time)"),
    until: stamp.describe("Up to this time, same format"),
    start: z
      .number()
      .int()
      .min(0)
      .optional()
      .describe("Page from the oldest matching line instead: first line, 0-based"),
    limit: z.number().int().min(1).max(5000).optional().describe("Lines to return (default 50)"),
  }),
  output: z.object({
    node: z.string(),
    lines: z.array(z.string()),
    truncated: z
      .boolean()
      .optional()
      .describe("more matching lines exist beyond those scanned; narrow with since"),
  }),
  annotations: READ,
  endpoints: [NODE_SYSLOG, NODE_JOURNAL],
  async handler(args, { pve, signal }) {
    const { node } = args;
    const limit = args.limit ?? 50;
    const filters = { service: args.service, since: args.since, until: args.until };
    const page = async (start: number, count: number) =>
      (await pve.call(NODE_SYSLOG, { node, ...filters, start, limit: count }, { signal }))
        .map((l) => l.t)
        .filter((t) => t !== "no content");
    let lines: string[];
    let truncated: boolean | undefined;
    if (args.start !== undefined) {
      lines = await page(args.start, limit);
    } else if (!args.service && !args.since && !args.until) {
      // The journal reader can seek to the end: the newest lines without reading the rest.
      const raw = await pve.call(NODE_JOURNAL, { node, lastentries: limit }, { signal });
      // First and last entries are the journal's cursors; a default read stays within a page.
      lines = raw.slice(1, -1);
      if (args.limit === undefined) lines = lastWithin(lines, (l) => l);
    } else {
      // Filtered: read the matching lines page by page (bounded) and keep the newest.
      lines = [];
      for (let i = 0; i < MAX_PAGES; i++) {
        const chunk = await page(i * PAGE, PAGE);
        lines.push(...chunk);
        if (chunk.length < PAGE) break;
        if (i === MAX_PAGES - 1) truncated = true;
      }
      lines = lines.slice(-limit);
    }
    return {
      data: { node: args.node, lines, truncated },
      text: lines.length > 0 ? lines.join("\n") : "no log lines match",
    };
  },
});

export const nodeStatsTools = [getNodeStats, getNodeSyslog];
