// Starts an MCP stdio server process, sends initialize + tools/list, and measures the time to
// the tools/list answer and the process's peak RSS (Linux /proc VmHWM).

import { readFileSync } from "node:fs";

export interface Probe {
  ms: number;
  rssMb?: number;
  listBytes: number;
  /** Tools in the tools/list answer. */
  tools: number;
}

/** What a client sends first: initialize (id 1), initialized, tools/list (id 2). */
export const INIT_MESSAGES = [
  {
    jsonrpc: "2.0",
    id: 1,
    method: "initialize",
    params: {
      protocolVersion: "2025-06-18",
      capabilities: {},
      clientInfo: { name: "probe", version: "1" },
    },
  },
  { jsonrpc: "2.0", method: "notifications/initialized" },
  { jsonrpc: "2.0", id: 2, method: "tools/list" },
];

/** Placeholder credentials: initialize and tools/list send nothing to Proxmox (the start-up
 * connection check waits for the first exchange, then finds nobody at the address). */
export const PLACEHOLDER_ARGS = [
  "--host",
  "127.0.0.1",
  "--user",
  "root@pam",
  "--token-name",
  "b",
  "--token-value",
  "x",
];

export async function probe(cmd: string[], env: Record<string, string> = {}): Promise<Probe> {
  const started = performance.now();
  const proc = Bun.spawn(cmd, {
    stdin: "pipe",
    stdout: "pipe",
    stderr: "ignore",
    env: { ...process.env, ...env },
  });
  proc.stdin.write(`${INIT_MESSAGES.map((m) => JSON.stringify(m)).join("\n")}\n`);
  proc.stdin.flush();
  const decoder = new TextDecoder();
  let buffer = "";
  let listBytes = 0;
  let line: string | undefined;
  for await (const chunk of proc.stdout) {
    buffer += decoder.decode(chunk, { stream: true });
    line = buffer.split("\n").find((l) => l.includes('"id":2'));
    if (line) {
      listBytes = line.length;
      break;
    }
  }
  const ms = performance.now() - started;
  const rssMb = peakRss(proc.pid);
  proc.kill();
  await proc.exited;
  if (listBytes === 0) throw new Error(`${cmd.join(" ")} gave no tools/list answer`);
  const tools = line
    ? (JSON.parse(line) as { result: { tools: unknown[] } }).result.tools.length
    : 0;
  return { ms, rssMb, listBytes, tools };
}

function peakRss(pid: number): number | undefined {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
    return kb ? Number(kb) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

export const median = (values: number[]): number => {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};
