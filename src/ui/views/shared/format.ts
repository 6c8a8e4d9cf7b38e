// Numbers as people read them: sizes in binary units, percentages, durations, times in the
// host's locale and time zone.

let locale: string | undefined;
let timeZone: string | undefined;

export function useLocale(l?: string, tz?: string): void {
  locale = l;
  timeZone = tz;
}

const UNITS = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];

export function bytes(value?: number): string {
  if (value === undefined || !Number.isFinite(value)) return "–";
  let v = value;
  let i = 0;
  while (Math.abs(v) >= 1024 && i < UNITS.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v >= 100 || i === 0 ? Math.round(v) : v.toFixed(1)} ${UNITS[i]}`;
}

export const rate = (value?: number): string => (value === undefined ? "–" : `${bytes(value)}/s`);

export function ratio(used?: number, total?: number): number | undefined {
  if (used === undefined || !total) return undefined;
  return Math.min(1, Math.max(0, used / total));
}

export function percent(fraction?: number, digits = 0): string {
  return fraction === undefined ? "–" : `${(fraction * 100).toFixed(digits)}%`;
}

export function duration(seconds?: number): string {
  if (seconds === undefined || seconds < 0) return "–";
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${m}m`;
  return m > 0 ? `${m}m` : `${Math.floor(seconds)}s`;
}

export function clock(date: Date): string {
  return date.toLocaleTimeString(locale, { timeZone, hour: "2-digit", minute: "2-digit" });
}

/** A unix time as a short date and time. */
export function when(unix?: number): string {
  if (!unix) return "–";
  return new Date(unix * 1000).toLocaleString(locale, {
    timeZone,
    month: "short",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
  });
}

export function guestLabel(g: { vmid: number; type: string; name?: string }): string {
  return `${g.type === "lxc" ? "CT" : "VM"} ${g.vmid}${g.name ? ` ${g.name}` : ""}`;
}
