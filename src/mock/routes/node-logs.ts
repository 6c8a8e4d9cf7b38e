// What a node records: RRD statistics (/nodes/{node}/rrddata) and its journal (/syslog).
import { Paged } from "../http.ts";
import { node } from "../params.ts";
import type { MockContext, Route } from "../router.ts";
import { RRD_ROWS, RRD_STEPS, rrdParams, wave } from "../rrd.ts";
import type { MockNode } from "../state.ts";

function rrdRows(n: MockNode, timeframe: string, cf: string): Record<string, number>[] {
  const step = RRD_STEPS[timeframe] ?? 60;
  const end = Math.floor(Date.now() / 1000 / step) * step;
  const peak = cf === "MAX" ? 1.25 : 1;
  const rows: Record<string, number>[] = [];
  for (let i = RRD_ROWS - 1; i >= 0; i--) {
    const time = end - i * step;
    const f = wave(time, n.nodeid) * peak;
    rows.push({
      time,
      cpu: Math.min(1, Number((n.cpu * f).toFixed(6))),
      maxcpu: n.maxcpu,
      iowait: Number((0.002 * f).toFixed(6)),
      loadavg: Number((Number(n.loadavg[0]) * f).toFixed(2)),
      memtotal: n.maxmem,
      memused: Math.min(n.maxmem, Math.round(n.mem * (0.9 + 0.1 * f))),
      memavailable: Math.max(0, n.maxmem - Math.round(n.mem * (0.9 + 0.1 * f))),
      swaptotal: 8 * 2 ** 30,
      swapused: Math.round(2 ** 20 * 12 * f),
      roottotal: n.maxdisk,
      rootused: n.disk,
      netin: Math.round(180_000 * f),
      netout: Math.round(95_000 * f),
    });
  }
  return rows;
}

/** journalctl -o short: `Nov 25 14:40:01 pve1 pveproxy[1618]: …`, in UTC here. */
function shortTime(sec: number): string {
  const d = new Date(sec * 1000);
  const month = d.toLocaleString("en-US", { month: "short", timeZone: "UTC" });
  return `${month} ${d.toISOString().slice(8, 10)} ${d.toISOString().slice(11, 19)}`;
}

/** `YYYY-MM-DD[ HH:MM[:SS]]` of the since/until parameters, read as UTC. */
function parseStamp(text: string): number {
  const [date, time = "00:00:00"] = text.split(" ");
  return Date.parse(`${date}T${time.length === 5 ? `${time}:00` : time}Z`) / 1000;
}

/** The node's journal: seeded service lines plus a line for each task start and end. */
function journal(
  mock: MockContext,
  nodeName: string,
): { time: number; unit: string; text: string }[] {
  const lines = [...(mock.state.dc.system.get(nodeName)?.journal ?? [])];
  for (const t of mock.state.tasks) {
    if (t.node !== nodeName) continue;
    const who = t.tokenid ? `${t.user}!${t.tokenid}` : t.user;
    lines.push({
      time: t.starttime,
      unit: "pvedaemon.service",
      text: `${nodeName} pvedaemon[1590]: <${who}> starting task ${t.upid}`,
    });
    if (t.endtime !== undefined) {
      lines.push({
        time: t.endtime,
        unit: "pvedaemon.service",
        text: `${nodeName} pvedaemon[1590]: <${who}> end task ${t.upid} ${t.exitstatus}`,
      });
    }
  }
  return lines.sort((a, b) => a.time - b.time);
}

const SERVICE_UNITS: Record<string, string> = { sshd: "ssh", postfix: "postfix@-" };
const stamp = {
  type: "string",
  optional: true,
  pattern: "^\\d{4}-\\d{2}-\\d{2}( \\d{2}:\\d{2}(:\\d{2})?)?$",
} as const;

/** A journal cursor as sd_journal_get_cursor prints it; `i` is the entry's position here. */
const cursor = (i: number): string =>
  `s=4f1c2a9e8b7d4e6f9a0b1c2d3e4f5a6b;i=${(0x1a2b00 + i).toString(16)};b=9e3779b97f4a7c15;m=${(i * 1000003).toString(16)};t=0;x=${((i * 2654435761) >>> 0).toString(16)}`;
const cursorIndex = (c: string): number | undefined => {
  const m = /;i=([0-9a-f]+);/.exec(c);
  return m ? Number.parseInt(m[1] as string, 16) - 0x1a2b00 : undefined;
};

export const nodeLogRoutes: Route[] = [
  {
    method: "GET",
    path: "/nodes/{node}/rrddata",
    description: "Read node RRD statistics",
    permission: [{ path: "/nodes/{node}", privs: ["Sys.Audit"] }],
    proxyto: "node",
    parameters: { node, ...rrdParams(true) },
    handler: ({ mock, params }) => {
      const n = mock.state.nodes.get(String(params.node));
      return n ? rrdRows(n, String(params.timeframe), String(params.cf ?? "AVERAGE")) : [];
    },
  },
  {
    method: "GET",
    path: "/nodes/{node}/syslog",
    description: "Read system log",
    permission: [{ path: "/nodes/{node}", privs: ["Sys.Syslog"] }],
    proxyto: "node",
    parameters: {
      node,
      start: { type: "integer", optional: true, minimum: 0 },
      limit: { type: "integer", optional: true, minimum: 0 },
      since: { ...stamp, description: "Display all log since this date-time string." },
      until: { ...stamp, description: "Display all log until this date-time string." },
      service: { type: "string", optional: true, maxLength: 128, description: "Service ID" },
    },
    handler: ({ mock, params }) => {
      const nodeName = String(params.node);
      const service = typeof params.service === "string" ? params.service : undefined;
      const unit = service ? (SERVICE_UNITS[service] ?? service) : undefined;
      const since = typeof params.since === "string" ? parseStamp(params.since) : undefined;
      const until = typeof params.until === "string" ? parseStamp(params.until) : undefined;
      const lines = journal(mock, nodeName)
        .filter((l) => !unit || l.unit === unit || l.unit === `${unit}.service`)
        .filter(
          (l) =>
            (since === undefined || l.time >= since) && (until === undefined || l.time <= until),
        )
        .map((l) => `${shortTime(l.time)} ${l.text}`);
      const start = typeof params.start === "number" ? params.start : 0;
      const limit = typeof params.limit === "number" && params.limit > 0 ? params.limit : 50;
      if (lines.length === 0) return new Paged([{ n: 1, t: "no content" }], 1);
      const page = lines.slice(start, start + limit).map((t, i) => ({ n: start + i + 1, t }));
      return new Paged(page, lines.length);
    },
  },
  {
    method: "GET",
    path: "/nodes/{node}/journal",
    description: "Read Journal",
    permission: [{ path: "/nodes/{node}", privs: ["Sys.Syslog"] }],
    proxyto: "node",
    parameters: {
      node,
      since: {
        type: "integer",
        optional: true,
        minimum: 0,
        description: "Display all log since this UNIX epoch. Conflicts with 'startcursor'.",
      },
      until: {
        type: "integer",
        optional: true,
        minimum: 0,
        description: "Display all log until this UNIX epoch. Conflicts with 'endcursor'.",
      },
      lastentries: {
        type: "integer",
        optional: true,
        minimum: 0,
        description: "Limit to the last X lines. Conflicts with a range.",
      },
      startcursor: {
        type: "string",
        optional: true,
        description: "Start after the given Cursor. Conflicts with 'since'",
      },
      endcursor: {
        type: "string",
        optional: true,
        description: "End before the given Cursor. Conflicts with 'until'",
      },
    },
    // mini-journalreader -j: the first cursor, the lines, the last cursor.
    handler: ({ mock, params }) => {
      const all = journal(mock, String(params.node));
      let from = 0;
      let to = all.length;
      if (typeof params.startcursor === "string")
        from = (cursorIndex(params.startcursor) ?? -1) + 1;
      if (typeof params.since === "number")
        from = all.findIndex((l) => l.time >= (params.since as number));
      if (typeof params.endcursor === "string") to = cursorIndex(params.endcursor) ?? to;
      if (typeof params.until === "number")
        to = all.filter((l) => l.time < (params.until as number)).length;
      if (from < 0) from = all.length;
      if (typeof params.lastentries === "number" && params.lastentries > 0) {
        from = Math.max(0, to - params.lastentries);
      }
      const lines = all.slice(from, to).map((l) => `${shortTime(l.time)} ${l.text}`);
      return [cursor(from), ...lines, cursor(Math.max(from, to - 1))];
    },
  },
];
