// HTTP throughput: the compiled binary in --server-type http against the mock (in this process,
// plain HTTP on loopback), driven over /mcp by 1, 10 and 100 SDK clients at once, each making
// its calls one after another. Reports calls per second, p50/p99 latency of one tools/call, and
// the server's peak RSS. Clients and mock share this process; the server runs alone in its own.

import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { startMock } from "../../src/mock/index.ts";
import type { Row } from "../bench.ts";
import { compile } from "../build.ts";

const TOKEN = "bench-token-0123456789";
/** [clients, calls per client]: bounded loops, 400 to 2,000 calls per level. */
const LEVELS: readonly [number, number][] = [
  [1, 400],
  [10, 100],
  [100, 20],
];
const TOOL = { name: "list_vms", arguments: {} };

export async function httpSection(): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), "pmcp-bench-http-"));
  const mock = await startMock({ tls: false });
  let server: ReturnType<typeof Bun.spawn> | undefined;
  try {
    const binary = join(dir, "proxmox-mcp");
    await compile("src/main.ts", "host", binary);
    const c = mock.credentials;
    server = Bun.spawn(
      [
        binary,
        "--server-type=http",
        "--http-port=0",
        `--http-auth-token=${TOKEN}`,
        `--host=${mock.url}`,
        `--user=${c.user}`,
        `--token-name=${c.tokenId.split("!")[1]}`,
        `--token-value=${c.tokenSecret}`,
      ],
      { stdin: "ignore", stdout: "ignore", stderr: "pipe" },
    );
    const url = await listeningUrl(server.stderr as ReadableStream<Uint8Array>);
    const rows: Row[] = [];
    for (const [clients, calls] of LEVELS) {
      const r = await drive(url, clients, calls);
      rows.push(
        {
          section: "http",
          measure: `/mcp ${clients} client${clients > 1 ? "s" : ""}: tool calls/s`,
          value: r.perSecond.toFixed(0),
          note: `${r.total} × ${TOOL.name}`,
        },
        {
          section: "http",
          measure: `/mcp ${clients} client${clients > 1 ? "s" : ""}: latency p50 / p99`,
          value: `${r.p50.toFixed(1)} / ${r.p99.toFixed(1)} ms`,
        },
      );
    }
    const rss = peakRssMb(server.pid);
    rows.push({
      section: "http",
      measure: "server peak RSS",
      value: rss === undefined ? "n/a" : `${rss.toFixed(1)} MB`,
      note: "after 100 concurrent sessions",
    });
    return rows;
  } finally {
    server?.kill("SIGTERM");
    await server?.exited;
    await mock.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function listeningUrl(stderr: ReadableStream<Uint8Array>): Promise<URL> {
  const decoder = new TextDecoder();
  let text = "";
  for await (const chunk of stderr) {
    text += decoder.decode(chunk);
    const m = /listening on (http:\/\/\S+\/mcp)/.exec(text);
    if (m?.[1]) return new URL(m[1]);
  }
  throw new Error(`the server exited before listening:\n${text}`);
}

async function drive(url: URL, clients: number, calls: number) {
  const connected = await Promise.all(
    Array.from({ length: clients }, async () => {
      const client = new Client({ name: "bench", version: "1" });
      await client.connect(
        new StreamableHTTPClientTransport(url, {
          requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } },
        }),
      );
      await client.callTool(TOOL); // warm: first call loads the tool modules
      return client;
    }),
  );
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(
    connected.map(async (client) => {
      for (let i = 0; i < calls; i++) {
        const t = performance.now();
        const result = await client.callTool(TOOL);
        if (result.isError) throw new Error(`${TOOL.name} failed: ${JSON.stringify(result)}`);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await Promise.all(connected.map((client) => client.close()));
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return {
    total: latencies.length,
    perSecond: latencies.length / seconds,
    p50: at(0.5),
    p99: at(0.99),
  };
}

function peakRssMb(pid: number): number | undefined {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
    return kb ? Number(kb) / 1024 : undefined;
  } catch {
    return undefined; // not Linux
  }
}
