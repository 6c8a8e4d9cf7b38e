// Where start-up time goes: the compiled binary with PROXMOX_MCP_TRACE_START=1 prints marks
// (performance.now(), ms since the process started) on stderr; this runs it repeatedly and prints
// the median of each mark, beside the launch-to-answer time measured from outside, and the same
// marks of the bare one-tool SDK server (scripts/bench/bare-server.ts) for comparison.

import type { Row } from "../bench.ts";
import { compiled, ourBinary } from "./binary.ts";
import { INIT_MESSAGES, median, PLACEHOLDER_ARGS } from "./stdio-probe.ts";

const RUNS = 21;
interface Run {
  /** Measured by this process: spawn → tools/list answer read. */
  wallMs: number;
  marks: Map<string, number>;
}

async function traced(cmd: string[]): Promise<Run> {
  const started = performance.now();
  const proc = Bun.spawn(cmd, {
    stdin: "pipe",
    stdout: "pipe",
    stderr: "pipe",
    env: { ...process.env, PROXMOX_MCP_TRACE_START: "1" },
  });
  proc.stdin.write(`${INIT_MESSAGES.map((m) => JSON.stringify(m)).join("\n")}\n`);
  proc.stdin.flush();
  const decoder = new TextDecoder();
  let out = "";
  for await (const chunk of proc.stdout) {
    out += decoder.decode(chunk, { stream: true });
    if (out.split("\n").some((l) => l.includes('"id":2'))) break;
  }
  const wallMs = performance.now() - started;
  proc.stdin.end(); // stdin closed: the server ends, and its stderr with it
  const err = await new Response(proc.stderr).text();
  proc.kill();
  await proc.exited;
  const marks = new Map<string, number>();
  for (const m of err.matchAll(/^\[start\] ([\d.]+) ms (.+)$/gm)) {
    marks.set(m[2] as string, Number(m[1]));
  }
  if (!marks.has("first tools/list answered")) throw new Error(`no trace marks:\n${err}`);
  return { wallMs, marks };
}

export async function traceSection(): Promise<Row[]> {
  const ours = [await ourBinary(), ...PLACEHOLDER_ARGS];
  const bare = [await compiled("scripts/bench/bare-server.ts", "bare")];
  await traced(ours); // warm the page cache
  await traced(bare);
  const runs: Run[] = [];
  const bareRuns: Run[] = [];
  for (let i = 0; i < RUNS; i++) {
    runs.push(await traced(ours));
    bareRuns.push(await traced(bare));
  }
  const at = (all: Run[], name: string) => median(all.map((r) => r.marks.get(name) ?? Number.NaN));
  const rows: Row[] = [];
  let previous = 0;
  for (const name of runs[0]?.marks.keys() ?? []) {
    const ms = at(runs, name);
    const baseline = at(bareRuns, name);
    rows.push({
      section: "trace",
      measure: `at ${name}`,
      value: `${ms.toFixed(1)} ms`,
      note: `+${(ms - previous).toFixed(1)} ms${Number.isNaN(baseline) ? "" : `; bare server ${baseline.toFixed(1)} ms`}`,
    });
    previous = ms;
  }
  rows.push({
    section: "trace",
    measure: "launch → tools/list answer read (outside)",
    value: `${median(runs.map((r) => r.wallMs)).toFixed(1)} ms`,
    note: `bare server ${median(bareRuns.map((r) => r.wallMs)).toFixed(1)} ms; median of ${RUNS}, traced`,
  });
  return rows;
}
