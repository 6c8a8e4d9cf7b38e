// Cold start: the compiled binary from launch to the answers of initialize + tools/list over
// stdio, and its peak RSS, beside a one-tool server on the same SDK compiled the same way.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Row } from "../bench.ts";
import { compile } from "../build.ts";
import { median, probe } from "./stdio-probe.ts";

const RUNS = 21;

async function measure(cmd: string[]) {
  await probe(cmd); // warm the page cache
  const runs = [];
  for (let i = 0; i < RUNS; i++) runs.push(await probe(cmd));
  return {
    ms: median(runs.map((r) => r.ms)),
    rss: median(runs.map((r) => r.rssMb ?? 0)),
    bytes: runs[0]?.listBytes ?? 0,
  };
}

export async function startupSection(): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), "pmcp-bench-"));
  try {
    const ours = join(dir, "proxmox-mcp");
    const bare = join(dir, "bare");
    await compile("src/main.ts", "host", ours);
    await compile("scripts/bench/bare-server.ts", "host", bare);
    // Credentials are placeholders: nothing reaches Proxmox before the first tool call.
    const args = [
      "--host",
      "127.0.0.1",
      "--user",
      "root@pam",
      "--token-name",
      "b",
      "--token-value",
      "x",
    ];
    const b = await measure([bare]);
    const o = await measure([ours, ...args]);
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
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
