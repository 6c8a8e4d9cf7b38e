// Proxmox's RRD series (a node's or a guest's load over an hour … a year), summarised per
// metric (min, average, max, last) in the units of units.ts, with the samples on request: a
// summary is what a model needs, the ~70 samples are for when the shape matters.

import { z } from "zod";
import { bytes, iso, isoTime, percent, rate, type Unit } from "./units.ts";

type RrdRow = { time: number } & Partial<Record<string, number>>;

export interface Metric {
  key: string;
  unit?: Unit;
  read: (row: RrdRow) => number | undefined;
}

const ofUnit = (u?: Unit) =>
  u === "bytes" ? bytes() : u === "bytes/s" ? rate() : u === "percent" ? percent() : z.number();

const field = (name: string, unit?: Unit): Metric => ({ key: name, unit, read: (r) => r[name] });
const asPct = (key: string, name: string): Metric => ({
  key,
  unit: "percent",
  read: (r) => {
    const v = r[name];
    return v === undefined ? undefined : Math.round(v * 1000) / 10;
  },
});

export const NODE_METRICS: Metric[] = [
  asPct("cpu_pct", "cpu"),
  field("loadavg"),
  asPct("iowait_pct", "iowait"),
  { key: "mem", unit: "bytes", read: (r) => r.memused },
  { key: "swap", unit: "bytes", read: (r) => r.swapused },
  { key: "disk", unit: "bytes", read: (r) => r.rootused },
  field("netin", "bytes/s"),
  field("netout", "bytes/s"),
];

export const GUEST_METRICS: Metric[] = [
  asPct("cpu_pct", "cpu"),
  field("mem", "bytes"),
  field("netin", "bytes/s"),
  field("netout", "bytes/s"),
  field("diskread", "bytes/s"),
  field("diskwrite", "bytes/s"),
];

/** The summary's schema: per metric min, avg, max and last, in the metric's unit. */
export function summarySchema(metrics: readonly Metric[]) {
  return z.object(
    Object.fromEntries(
      metrics.map((m) => {
        const v = ofUnit(m.unit);
        return [m.key, z.object({ min: v, avg: v, max: v, last: v }).optional()];
      }),
    ),
  );
}

/** One sample per row: its time and the metrics' values. */
export function samplesSchema(metrics: readonly Metric[]) {
  return z.array(
    z.object({
      time: isoTime(),
      ...Object.fromEntries(metrics.map((m) => [m.key, ofUnit(m.unit).optional()])),
    }),
  );
}

/** Percentages to one decimal, bytes and rates whole, other numbers (load) to two decimals. */
const round = (v: number, unit?: Unit) =>
  unit === "percent" ? Math.round(v * 10) / 10 : unit ? Math.round(v) : Math.round(v * 100) / 100;

export function summarize(rows: readonly RrdRow[], metrics: readonly Metric[]) {
  const out: Record<string, { min: number; avg: number; max: number; last: number }> = {};
  for (const m of metrics) {
    // Rows not yet filled (the newest slot, a node that was down) have no values.
    const values = rows.map(m.read).filter((v): v is number => typeof v === "number");
    if (values.length === 0) continue;
    out[m.key] = {
      min: round(Math.min(...values), m.unit),
      avg: round(values.reduce((a, b) => a + b, 0) / values.length, m.unit),
      max: round(Math.max(...values), m.unit),
      last: round(values.at(-1) ?? 0, m.unit),
    };
  }
  return out;
}

export function samples(rows: readonly RrdRow[], metrics: readonly Metric[]) {
  return rows.map((r) => ({
    time: iso(r.time),
    ...Object.fromEntries(
      metrics.map((m) => [m.key, m.read(r)]).filter(([, v]) => v !== undefined),
    ),
  }));
}

/** The time span the rows cover. */
export function span(rows: readonly RrdRow[]) {
  const first = rows[0]?.time;
  const last = rows.at(-1)?.time;
  return {
    from: first === undefined ? undefined : iso(first),
    to: last === undefined ? undefined : iso(last),
  };
}
