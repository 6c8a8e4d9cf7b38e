// Cold start: the compiled binary from launch to the answers of initialize + tools/list over
// stdio, and its peak RSS, beside a one-tool server on the same SDK compiled the same way.

import type { Row } from "../bench.ts";
import { compiled, ourBinary } from "./binary.ts";
import { median, PLACEHOLDER_ARGS, probe } from "./stdio-probe.ts";

const RUNS = 51;

type Probe = Awaited<ReturnType<typeof probe>>;

const summary = (runs: Probe[]) => ({
  ms: median(runs.map((r) => r.ms)),
  rss: median(runs.map((r) => r.rssMb ?? 0)),
  bytes: runs[0]?.listBytes ?? 0,
});

/** Runs the commands alternately, so a busy machine slows them alike. */
async function measureAlternately(a: string[], b: string[]) {
  await probe(a); // warm the page cache
  await probe(b);
  const runsA: Probe[] = [];
  const runsB: Probe[] = [];
  for (let i = 0; i < RUNS; i++) {
    runsA.push(await probe(a));
    runsB.push(await probe(b));
  }
  return [summary(runsA), summary(runsB)] as const;
}

export async function startupSection(): Promise<Row[]> {
  const ours = await ourBinary();
  const bare = await compiled("scripts/bench/bare-server.ts", "bare");
  // Credentials are placeholders: nothing reaches Proxmox before the first tool call.
  const [b, o] = await measureAlternately([bare], [ours, ...PLACEHOLDER_ARGS]);
  const ratio = ((o.ms / b.ms - 1) * 100).toFixed(1);
  return [
    {
      section: "startup",
      measure: "bare one-tool SDK server: init+list",
      value: `${b.ms.toFixed(1)} ms`,
      note: `${b.rss.toFixed(1)} MB peak RSS`,
    },
    {
      section: "startup",
      measure: "proxmox-mcp: init+list",
      value: `${o.ms.toFixed(1)} ms`,
      note: `${ratio}% vs bare (budget +10%); ${o.rss.toFixed(1)} MB peak RSS (budget 60)`,
    },
    {
      section: "startup",
      measure: "tools/list answer",
      value: `${o.bytes} B`,
      note: `~${Math.ceil(o.bytes / 4)} tokens`,
    },
  ];
}
