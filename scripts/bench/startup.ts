// Cold start: the compiled binary from launch to the answers of initialize + tools/list over
// stdio, and its peak RSS, beside a one-tool server on the same SDK compiled the same way; for
// the default surface, every toolset, and lazy mode (budgets: default ≤ 1.1× bare, all ≤ 1.25×).

import type { Row } from "../bench.ts";
import { compiled, ourBinary } from "./binary.ts";
import { median, PLACEHOLDER_ARGS, probe } from "./stdio-probe.ts";

const RUNS = 51;

type Probe = Awaited<ReturnType<typeof probe>>;

const summary = (runs: Probe[]) => ({
  ms: median(runs.map((r) => r.ms)),
  rss: median(runs.map((r) => r.rssMb ?? 0)),
  bytes: runs[0]?.listBytes ?? 0,
  tools: runs[0]?.tools ?? 0,
});

/**
 * Runs the commands in turn, round after round, so a busy machine slows them alike; a ratio to
 * the first is the median of the rounds' own ratios, which a change of load between rounds
 * (other work on a shared machine) does not move.
 */
async function measureAlternately(commands: string[][]) {
  for (const cmd of commands) await probe(cmd); // warm the page cache
  const runs: Probe[][] = commands.map(() => []);
  for (let i = 0; i < RUNS; i++) {
    for (const [c, cmd] of commands.entries()) runs[c]?.push(await probe(cmd));
  }
  const base = runs[0] ?? [];
  return runs.map((r) => ({
    ...summary(r),
    ratio: median(r.map((p, i) => p.ms / (base[i]?.ms ?? p.ms))),
  }));
}

const CONFIGS: { name: string; flags: string[]; budget?: number }[] = [
  { name: "default", flags: [], budget: 1.1 },
  { name: "--toolsets all", flags: ["--toolsets", "all"], budget: 1.25 },
  { name: "--lazy-mode", flags: ["--lazy-mode"] },
];

export async function startupSection(): Promise<Row[]> {
  const ours = await ourBinary();
  const bare = await compiled("scripts/bench/bare-server.ts", "bare");
  // Credentials are placeholders: nothing reaches Proxmox before the first tool call.
  const [b, ...mine] = await measureAlternately([
    [bare],
    ...CONFIGS.map((c) => [ours, ...PLACEHOLDER_ARGS, ...c.flags]),
  ]);
  if (!b) throw new Error("no measurement of the bare server");
  const rows: Row[] = [
    {
      section: "startup",
      measure: "bare one-tool SDK server: init+list",
      value: `${b.ms.toFixed(1)} ms`,
      note: `${b.rss.toFixed(1)} MB peak RSS`,
    },
  ];
  CONFIGS.forEach((c, i) => {
    const o = mine[i];
    if (!o) return;
    const ratio = o.ratio;
    rows.push({
      section: "startup",
      measure: `proxmox-mcp ${c.name}: init+list`,
      value: `${o.ms.toFixed(1)} ms`,
      note: `${ratio.toFixed(2)}× bare${c.budget ? ` (budget ${c.budget}×)` : ""}; ${o.tools} tools, tools/list ${o.bytes} B ≈ ${Math.ceil(o.bytes / 4)} tokens; ${o.rss.toFixed(1)} MB peak RSS`,
    });
  });
  return rows;
}
