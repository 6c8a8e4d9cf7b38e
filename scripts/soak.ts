// `bun run soak [--seconds 60] [--sessions 100] [--scope]`: a bounded soak of the HTTP server on
// loopback (--scope: with the scope guard on, every session's guest inside allowed_vmids).
// N concurrent MCP sessions over Streamable HTTP make mixed calls (reads; start/stop of a guest of
// their own on a mock with short tasks) until the time is up. Then it checks that no call was
// lost or answered twice (requests sent vs answers per session, every JSON-RPC id answered once),
// that the mock received exactly the writes the answers report, and that the server's memory
// came back to its baseline (RSS before, peak, and after a full collection). Exit 1 if not.
// Not part of `bun test`: it runs for a minute by default.

import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import { startMock } from "../src/mock/index.ts";
import { rssMb } from "./bench/http.ts";

const option = (name: string, fallback: number): number => {
  const argv = process.argv.slice(2);
  const i = argv.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i < 0) return fallback;
  const raw = argv[i]?.includes("=") ? argv[i]?.split("=")[1] : argv[i + 1];
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} wants a whole number ≥ 1`);
  return value;
};

const SECONDS = option("seconds", 60);
const SESSIONS = option("sessions", 100);
const TOKEN = `soak-${crypto.randomUUID()}`;
const FIRST_VMID = 1000; // the mock's scale-out guests: one per session
/** With --scope the server allows exactly the sessions' guests (and the warm-up's). */
const SCOPE = process.argv.includes("--scope")
  ? `${FIRST_VMID}-${FIRST_VMID + SESSIONS}`
  : undefined;

interface SessionStats {
  sent: number;
  answered: number;
  toolErrors: number;
  lost: number;
  /** JSON-RPC ids answered more than once (seen on the wire). */
  duplicated: number;
  /** Start/stop calls whose answer reports a task (so one POST reached Proxmox). */
  writes: number;
}

async function main(): Promise<void> {
  const posts = new Map<number, number>(); // vmid → power POSTs the mock received
  const mock = await startMock({
    tls: false,
    hostname: "127.0.0.1",
    taskDurationMs: 50,
    guests: FIRST_VMID - 1000 + 9 + SESSIONS + 1, // one more for the warm-up
    onRequest: (r) => {
      const m = /^\/nodes\/[^/]+\/(?:qemu|lxc)\/(\d+)\/status\/(?:start|stop)$/.exec(r.path);
      if (r.method === "POST" && m) posts.set(Number(m[1]), (posts.get(Number(m[1])) ?? 0) + 1);
    },
  });
  const c = mock.credentials;
  const server = Bun.spawn(
    [
      process.execPath,
      "scripts/soak/server.ts",
      mock.url,
      c.user,
      c.tokenId.split("!")[1] as string,
      c.tokenSecret,
      TOKEN,
      ...(SCOPE ? [SCOPE] : []),
    ],
    { cwd: `${import.meta.dir}/..`, stdin: "pipe", stdout: "pipe", stderr: "inherit" },
  );
  const hardStop = setTimeout(
    () => {
      console.error("soak: hard time limit reached; stopping");
      server.kill("SIGKILL");
      process.exit(2);
    },
    (SECONDS + 120) * 1000,
  );
  const lines = linesOf(server.stdout as ReadableStream<Uint8Array>);
  try {
    const url = new URL(((await lines.next()).value as string).replace(/^listening /, ""));
    /** RSS, JS heap (MB) and live objects after a full collection in the server. */
    const gc = async () => {
      (server.stdin as import("bun").FileSink).write("gc\n");
      (server.stdin as import("bun").FileSink).flush();
      const m = /^rss (\d+) heap (\d+) objects (\d+)/.exec((await lines.next()).value as string);
      const [rss, heap, objects] = (m?.slice(1) ?? []).map(Number) as [number, number, number];
      return { rss: rss / 2 ** 20, heap: heap / 2 ** 20, objects };
    };

    // Baseline: one session has made every kind of call once (tool modules loaded, caches warm).
    const warmVmid = FIRST_VMID + SESSIONS;
    await session(url, warmVmid, performance.now(), mock, 8);
    posts.delete(warmVmid);
    await Bun.sleep(500);
    const before = await gc();

    console.error(`soak: ${SESSIONS} sessions for ${SECONDS} s against ${url.origin} …`);
    const deadline = performance.now() + SECONDS * 1000;
    const stats = await Promise.all(
      Array.from({ length: SESSIONS }, (_, i) => session(url, FIRST_VMID + i, deadline, mock)),
    );
    const peak = rssMb(server.pid, "VmHWM");
    await Bun.sleep(1000); // closed sessions finish closing
    const after = await gc();
    const health = (await (await fetch(new URL("/healthz", url))).json()) as {
      sessions: Record<string, number>;
    };
    const open = Object.values(health.sessions).reduce((a, b) => a + b, 0);

    const sum = (k: keyof SessionStats) => stats.reduce((n, s) => n + s[k], 0);
    let mismatched = 0;
    stats.forEach((s, i) => {
      const received = posts.get(FIRST_VMID + i) ?? 0;
      if (received !== s.writes) mismatched++;
    });
    const seconds = SECONDS;
    // RSS rarely shrinks back (the allocator keeps freed pages for reuse); what must come back
    // is the live heap: a leak keeps objects alive. RSS may not keep growing either.
    const heapBack = after.heap <= before.heap * 1.25 + 4;
    const rssBounded = after.rss <= before.rss * 2 + 20;
    const mb = (v: number) => `${v.toFixed(1)} MB`;
    const report = [
      ["sessions", `${SESSIONS} concurrent, ${seconds} s`],
      ["scope", SCOPE ? `allowed_vmids ${SCOPE} (guard on)` : "none"],
      ["calls sent", String(sum("sent"))],
      ["answers received", `${sum("answered")} (${(sum("answered") / seconds).toFixed(0)}/s)`],
      ["  of which tool errors", String(sum("toolErrors"))],
      ["lost (no answer)", String(sum("lost"))],
      ["answered twice", String(sum("duplicated"))],
      ["start/stop with a task", String(sum("writes"))],
      ["power POSTs the mock got", String([...posts.values()].reduce((a, b) => a + b, 0))],
      ["sessions whose writes differ", String(mismatched)],
      ["sessions still open at the end", String(open)],
      [
        "server RSS before / peak / after",
        `${mb(before.rss)} / ${peak === undefined ? "n/a" : mb(peak)} / ${mb(after.rss)}`,
      ],
      [
        "server JS heap before / after",
        `${mb(before.heap)} / ${mb(after.heap)} (${before.objects} → ${after.objects} live objects)`,
      ],
      [
        "memory",
        heapBack && rssBounded ? "back to baseline (heap), RSS bounded" : "NOT back to baseline",
      ],
    ];
    const width = Math.max(...report.map(([k]) => (k as string).length));
    console.log(report.map(([k, v]) => `${(k as string).padEnd(width)}  ${v}`).join("\n"));
    const ok =
      sum("lost") === 0 &&
      sum("duplicated") === 0 &&
      sum("sent") === sum("answered") &&
      mismatched === 0 &&
      open === 0 &&
      sum("toolErrors") === 0 &&
      heapBack &&
      rssBounded;
    console.log(ok ? "soak: OK" : "soak: FAILED");
    process.exitCode = ok ? 0 : 1;
  } finally {
    clearTimeout(hardStop);
    (server.stdin as import("bun").FileSink).end();
    server.kill("SIGTERM");
    await server.exited;
    await mock.stop();
  }
}

async function connect(url: URL) {
  const transport = new StreamableHTTPClientTransport(url, {
    requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } },
  });
  const client = new Client({ name: "soak", version: "1" });
  await client.connect(transport);
  return { client, transport };
}

/** One client until the deadline: reads, and start/stop of its own guest. */
async function session(
  url: URL,
  vmid: number,
  deadline: number,
  mock: Awaited<ReturnType<typeof startMock>>,
  /** Calls to make at least, deadline or not (the warm-up). */
  atLeast = 0,
): Promise<SessionStats> {
  const stats: SessionStats = {
    sent: 0,
    answered: 0,
    toolErrors: 0,
    lost: 0,
    duplicated: 0,
    writes: 0,
  };
  const { client, transport } = await connect(url);
  // Count every answer per JSON-RPC id as it comes off the wire.
  const seen = new Map<string | number, number>();
  const deliver = transport.onmessage;
  transport.onmessage = (message: JSONRPCMessage) => {
    if ("id" in message && ("result" in message || "error" in message)) {
      const id = message.id as string | number;
      const n = (seen.get(id) ?? 0) + 1;
      seen.set(id, n);
      if (n === 2) stats.duplicated++;
    }
    deliver?.(message);
  };
  let running = mock.state.guests.get(vmid)?.status === "running";
  const reads = [
    { name: "list_vms", arguments: {} },
    { name: "get_vm_config", arguments: { vmid } },
    { name: "list_nodes", arguments: {} },
    { name: "list_vms", arguments: { status: "running", limit: 10 } },
  ];
  for (let i = 0; i < atLeast || performance.now() < deadline; i++) {
    const power = i % 4 === 3;
    const call = power
      ? { name: running ? "stop_vm" : "start_vm", arguments: { vmid } }
      : (reads[i % reads.length] as { name: string; arguments: Record<string, unknown> });
    stats.sent++;
    try {
      const result = await client.callTool(call, undefined, { timeout: 60_000 });
      stats.answered++;
      if (result.isError) {
        stats.toolErrors++;
        const text = (result.content as { text?: string }[])[0]?.text ?? "";
        if (stats.toolErrors <= 3)
          console.error(`soak: ${call.name} ${vmid}: ${text.slice(0, 200)}`);
      } else if (power) {
        const data = result.structuredContent as { upid?: string };
        if (data.upid) stats.writes++;
        running = !running;
      }
    } catch (error) {
      stats.lost++;
      console.error(`soak: ${call.name} ${vmid} got no answer: ${(error as Error).message}`);
    }
  }
  await transport.terminateSession(); // DELETE: the server frees the session now, not when idle
  await client.close();
  return stats;
}

async function* linesOf(stream: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let buffer = "";
  for await (const chunk of stream) {
    buffer += decoder.decode(chunk, { stream: true });
    const parts = buffer.split("\n");
    buffer = parts.pop() ?? "";
    for (const line of parts) if (line.trim()) yield line;
  }
}

await main();
