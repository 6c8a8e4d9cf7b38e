// HTTP throughput: the compiled binary in --server-type http against the mock (in this process,
// plain HTTP on loopback), driven over /mcp by 1, 10 and 100 SDK clients at once, each making
// its calls one after another. Reports calls per second, p50/p99 latency of one tools/call, and
// the server's peak RSS. Clients and mock share this process; the server runs alone in its own.

import { readFileSync } from "node:fs";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { startMock } from "../../src/mock/index.ts";
import type { Row } from "../bench.ts";
import { ourBinary } from "./binary.ts";

const TOKEN = "bench-token-0123456789";
/** [clients, calls per client]: bounded loops, 400 to 2,000 calls per level. */
const LEVELS: readonly [number, number][] = [
  [1, 400],
  [10, 100],
  [100, 20],
];
const TOOL = { name: "list_vms", arguments: {} };

export async function httpSection(): Promise<Row[]> {
  const mock = await startMock({ tls: false });
  let server: ReturnType<typeof Bun.spawn> | undefined;
  try {
    const binary = await ourBinary();
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
    const idle = rssMb(server.pid, "VmRSS");
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
    const mb = (v?: number) => (v === undefined ? "n/a" : `${v.toFixed(1)} MB`);
    rows.push({
      section: "http",
      measure: "server RSS: idle / peak / after load",
      value: `${mb(idle)} / ${mb(rssMb(server.pid, "VmHWM"))} / ${mb(rssMb(server.pid, "VmRSS"))}`,
      note: "peak over all levels (100 concurrent sessions at most); sessions closed after each",
    });
    return rows;
  } finally {
    server?.kill("SIGTERM");
    await server?.exited;
    await mock.stop();
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
      const transport = new StreamableHTTPClientTransport(url, {
        requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } },
      });
      await client.connect(transport);
      await client.callTool(TOOL); // warm: first call loads the tool modules
      return { client, transport };
    }),
  );
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(
    connected.map(async ({ client }) => {
      for (let i = 0; i < calls; i++) {
        const t = performance.now();
        const result = await client.callTool(TOOL);
        if (result.isError) throw new Error(`${TOOL.name} failed: ${JSON.stringify(result)}`);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  // DELETE ends each session on the server (a bare close would leave it until idle expiry).
  await Promise.all(
    connected.map(async ({ client, transport }) => {
      await transport.terminateSession();
      await client.close();
    }),
  );
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

/** VmRSS (now) or VmHWM (peak) of a process, from /proc (Linux only). */
export function rssMb(pid: number, field: "VmRSS" | "VmHWM"): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1];
    return kb ? Number(kb) / 1024 : undefined;
  } catch {
    return undefined; // not Linux
  }
}
