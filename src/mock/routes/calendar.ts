// The subset of systemd calendar events PVE's job schedules use (`01:00`, `*/15`, `mon..fri
// 02:30`, `sun 03:00`, `hourly`, `daily`, `weekly`, `monthly`), evaluated in UTC.
import { fail } from "../errors.ts";

const DAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
const KEYWORDS: Record<string, string> = {
  minutely: "*:*",
  hourly: "*:00",
  daily: "00:00",
  weekly: "mon 00:00",
};

type Matcher = (n: number) => boolean;

/** One field: `*`, `5`, a step like `*\/15` or `2\/3`, a range `1..5`, or a comma list of those. */
function field(text: string, event: string): Matcher {
  const parts = text.split(",").map((part) => {
    const step = /^(\*|\d+)\/(\d+)$/.exec(part);
    if (step) {
      const from = step[1] === "*" ? 0 : Number(step[1]);
      const by = Number(step[2]);
      return (n: number) => n >= from && (n - from) % by === 0;
    }
    const range = /^(\d+)\.\.(\d+)$/.exec(part);
    if (range) return (n: number) => n >= Number(range[1]) && n <= Number(range[2]);
    if (part === "*") return () => true;
    if (/^\d+$/.test(part)) return (n: number) => n === Number(part);
    throw fail(`unable to parse calendar event '${event}'`);
  });
  return (n) => parts.some((p) => p(n));
}

function weekdays(text: string, event: string): Matcher {
  const days = new Set<number>();
  for (const part of text.split(",")) {
    const [from, to] = part.split("..").map((d) => DAYS.indexOf(d.slice(0, 3).toLowerCase()));
    if (from === undefined || from < 0 || (to !== undefined && to < 0)) {
      throw fail(`unable to parse calendar event '${event}'`);
    }
    for (let d = from; d <= (to ?? from); d++) days.add(d);
  }
  return (n) => days.has(n);
}

/** The next `count` unix times (whole minutes, after `from`) an event matches. */
export function nextRuns(event: string, from: number, count: number): number[] {
  const spec = (KEYWORDS[event.trim()] ?? event).trim();
  if (spec === "monthly") return stepped(from, count, (d) => d.getUTCDate() === 1, 0, 0);
  const tokens = spec.split(/\s+/);
  const time = tokens.pop() ?? "";
  const day = tokens.length > 0 ? weekdays(tokens.join(","), event) : () => true;
  const [h, m] = time.includes(":") ? time.split(":") : ["*", time];
  const hour = field(h ?? "*", event);
  const minute = field(m ?? "0", event);
  const out: number[] = [];
  // Minute by minute, at most a year ahead.
  let t = (Math.floor(from / 60) + 1) * 60;
  for (let i = 0; i < 366 * 24 * 60 && out.length < count; i++, t += 60) {
    const d = new Date(t * 1000);
    if (day(d.getUTCDay()) && hour(d.getUTCHours()) && minute(d.getUTCMinutes())) out.push(t);
  }
  return out;
}

function stepped(
  from: number,
  count: number,
  dayOk: (d: Date) => boolean,
  hour: number,
  minute: number,
): number[] {
  const out: number[] = [];
  const d = new Date((Math.floor(from / 86400) + 1) * 86400 * 1000);
  for (let i = 0; i < 3660 && out.length < count; i++) {
    if (dayOk(d))
      out.push(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), hour, minute) / 1000);
    d.setUTCDate(d.getUTCDate() + 1);
  }
  return out;
}
