// The one unit convention of every answer, written down here and applied through these types:
// - sizes are bytes (as Proxmox counts them: mem, maxmem, disk, maxdisk, size, used, avail…),
//   rates bytes per second; the text shows them in powers of 1024 with one decimal (GiB, MiB/s);
// - usage is a percentage from 0 to 100 with one decimal, in a `*_pct` field beside the raw
//   numbers it comes from (CPU: `cpu_pct` of the node's or guest's CPUs, `maxcpu` of them);
// - points in time are ISO-8601 in UTC (2025-06-01T02:00:00Z), with `age` in seconds where
//   recency matters; durations (uptime, age) are seconds, shown in the text as 3d 4h;
// - arguments keep Proxmox's own units, named in them: memory in MiB, disk_gb and size_gb in GiB.
// The text of an answer is rendered from the same values (text.ts), so both say the same.

import { z } from "zod";

export type Unit = "bytes" | "bytes/s" | "percent" | "seconds";

const unit = (u: Unit) => z.number().meta({ unit: u });

/** Bytes; the text shows 3.2 GiB. */
export const bytes = () => unit("bytes");
/** Bytes per second; the text shows 1.5 MiB/s. */
export const rate = () => unit("bytes/s");
/** 0–100; the text shows 42.5%. */
export const percent = () => unit("percent");
/** A duration in seconds; the text shows 3d 4h. */
export const seconds = () => unit("seconds");
/** A point in time, ISO-8601 UTC. */
export const isoTime = () => z.string();

/** used/total as a percentage with one decimal; undefined when either is unknown. */
export function pct(used: number | undefined, total: number | undefined): number | undefined {
  if (used === undefined || !total) return undefined;
  return Math.round((used / total) * 1000) / 10;
}

/** Proxmox's CPU fraction (0..1 of the CPUs) as a percentage. */
export const cpuPct = (fraction: number | undefined): number | undefined =>
  fraction === undefined ? undefined : Math.round(fraction * 1000) / 10;

/** Unix seconds (Proxmox's times) as ISO-8601 UTC, without milliseconds. */
export function iso(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** Seconds since a Unix time, never negative (clocks of nodes differ a little). */
export const ageOf = (unixSeconds: number, now = Date.now()): number =>
  Math.max(0, Math.round(now / 1000 - unixSeconds));

const UNITS = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];

export function formatBytes(n: number): string {
  let value = n;
  let i = 0;
  while (Math.abs(value) >= 1024 && i < UNITS.length - 1) {
    value /= 1024;
    i++;
  }
  return i === 0 ? `${value} B` : `${value.toFixed(1)} ${UNITS[i]}`;
}

/** 3d 4h, 2h 5m, 4m 10s, 12s: the two largest parts. */
export function formatSeconds(total: number): string {
  const s = Math.round(total);
  const parts: [number, string][] = [
    [Math.floor(s / 86_400), "d"],
    [Math.floor((s % 86_400) / 3600), "h"],
    [Math.floor((s % 3600) / 60), "m"],
    [s % 60, "s"],
  ];
  const first = parts.findIndex(([v]) => v > 0);
  if (first < 0) return "0s";
  return parts
    .slice(first, first + 2)
    .filter(([v]) => v > 0)
    .map(([v, u]) => `${v}${u}`)
    .join(" ");
}

export function formatUnit(value: number, u: Unit): string {
  if (u === "bytes") return formatBytes(value);
  if (u === "bytes/s") return `${formatBytes(value)}/s`;
  if (u === "percent") return `${value}%`;
  return formatSeconds(value);
}
