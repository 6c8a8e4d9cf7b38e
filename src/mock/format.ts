// Text formats PVE uses in configs and task logs.
import { createHash } from "node:crypto";

/** 1 decimal, B/KiB/MiB/GiB/TiB, as pve-common's render_bytes. */
export function formatBytes(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(1)} ${units[i]}`;
}

/** Sizes as PVE writes them into a drive string (format_size): the largest whole unit (32G, 4M). */
export function formatSize(bytes: number): string {
  for (const [unit, factor] of [
    ["T", 2 ** 40],
    ["G", 2 ** 30],
    ["M", 2 ** 20],
    ["K", 2 ** 10],
  ] as const) {
    if (bytes % factor === 0) return `${bytes / factor}${unit}`;
  }
  return String(bytes);
}

/** Durations like `1m 12s`. */
export function formatDuration(sec: number): string {
  const s = Math.round(sec);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m}m ${s % 60}s` : `${Math.floor(m / 60)}h ${m % 60}m ${s % 60}s`;
}

/** HH:MM:SS for migration summaries. */
export function formatHms(sec: number): string {
  const s = Math.round(sec);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${pad(Math.floor(s / 3600))}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}`;
}

/** Local time `YYYY-MM-DD HH:MM:SS`, the prefix of migration log lines. */
export function logTime(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** Tags are split on `;`, `,` or space, lower-cased, de-duplicated, sorted, joined by `;`. */
export function normalizeTags(tags: string): string {
  const list = tags
    .split(/[;,\s]+/)
    .map((t) => t.toLowerCase())
    .filter((t) => t !== "");
  return [...new Set(list)].sort().join(";");
}

export function parsePropertyString(text: string): { head?: string; pairs: Map<string, string> } {
  const pairs = new Map<string, string>();
  let head: string | undefined;
  text.split(",").forEach((part, i) => {
    const eq = part.indexOf("=");
    if (eq < 0) {
      if (i === 0) head = part;
      else pairs.set(part, "1");
    } else pairs.set(part.slice(0, eq), part.slice(eq + 1));
  });
  return { head, pairs };
}

/** Default key first, the rest alphabetical. */
export function printPropertyString(head: string | undefined, pairs: Map<string, string>): string {
  const rest = [...pairs.keys()].sort().map((k) => `${k}=${pairs.get(k)}`);
  return [...(head !== undefined ? [head] : []), ...rest].join(",");
}

/** The digest of a config: sha1 over its file text. */
export function configDigest(config: Record<string, string | number>): string {
  const text = Object.keys(config)
    .sort()
    .map((k) => `${k}: ${config[k]}\n`)
    .join("");
  return createHash("sha1").update(text).digest("hex");
}

/** The digest of a section config file (storage.cfg, ha/resources.cfg…): sha1 over its entries. */
export function sectionDigest(entries: Iterable<[string, unknown]>): string {
  const flat: Record<string, string> = {};
  for (const [id, value] of entries) flat[id] = JSON.stringify(value);
  return configDigest(flat);
}
