// Per-call overhead of the MCP layer: N calls of a cheap read tool (get_version → one GET
// /version) through an in-memory MCP client, against N direct PveClient GETs and N bare fetches
// of the same endpoint on the same mock (plain HTTP, loopback). Rounds alternate so drift hits
// all three alike; the layer's figure is the median of each round's own difference, which a
// change of load between rounds (other work on a shared machine) does not move. The same
// difference with Proxmox's answer made in process (fetch replaced for the measurement) is the
// layer's own work, without the loopback HTTP whose timing moves with the machine's load.

import { startMock } from "../../src/mock/index.ts";
import type { PveClient } from "../../src/pve/index.ts";
import type { Row } from "../bench.ts";
import { inProcessServer, mockClient } from "./in-process.ts";
import { median } from "./stdio-probe.ts";

const CALLS = 1000;
const ROUNDS = 9;

async function perCall(fn: () => Promise<unknown>, calls = CALLS): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < calls; i++) await fn();
  return (performance.now() - started) / calls;
}

/** Median per-call times of a tool call and of the same request sent by the client, paired. */
async function layer(pve: PveClient, calls: number, extra?: () => Promise<unknown>) {
  const server = await inProcessServer(pve);
  try {
    const tool = async () => {
      const r = await server.client.callTool({ name: "get_version", arguments: {} });
      if (r.isError) throw new Error(`get_version failed: ${JSON.stringify(r.content)}`);
    };
    const direct = () => pve.get("/version");
    await tool(); // loads the tool modules: a one-time cost, not per call
    const times = { tool: [] as number[], direct: [] as number[], extra: [] as number[] };
    for (let round = 0; round < ROUNDS; round++) {
      if (extra) times.extra.push(await perCall(extra, calls));
      times.direct.push(await perCall(direct, calls));
      times.tool.push(await perCall(tool, calls));
    }
    return {
      tool: median(times.tool),
      direct: median(times.direct),
      extra: median(times.extra),
      layer: median(times.tool.map((t, i) => t - (times.direct[i] ?? t))),
      overExtra: median(times.tool.map((t, i) => t - (times.extra[i] ?? t))),
    };
  } finally {
    await server.close();
  }
}

/** The layer with every fetch answered at once in process: its own work alone. */
async function layerAlone(pve: PveClient) {
  const real = globalThis.fetch;
  const body = JSON.stringify({ data: { version: "9.1.3", release: "9.1", repoid: "bench" } });
  globalThis.fetch = (async () => new Response(body)) as unknown as typeof fetch;
  try {
    return await layer(pve, CALLS * 5);
  } finally {
    globalThis.fetch = real;
  }
}

export async function overheadSection(): Promise<Row[]> {
  const mock = await startMock({ tls: false });
  const c = mock.credentials;
  const pve = mockClient(mock, 10_000);
  try {
    const headers = { Authorization: `PVEAPIToken=${c.tokenId}=${c.tokenSecret}` };
    const url = `${mock.url}/api2/json/version`;
    const bare = async () => (await fetch(url, { headers })).text();
    mock.requests.length = 0;
    await pve.get("/version");
    if (mock.requests.length !== 1) throw new Error("GET /version should send exactly one request");
    const http = await layer(pve, CALLS, bare);
    mock.requests.length = 0; // keep the mock's log from growing through the run
    const alone = await layerAlone(pve);
    if (mock.requests.length !== 0) throw new Error("the in-process measurement reached the mock");
    const us = (ms: number) => `${(ms * 1000).toFixed(0)} µs`;
    return [
      {
        section: "overhead",
        measure: "bare fetch GET /version",
        value: us(http.extra),
        note: `per call; ${CALLS} calls × ${ROUNDS} rounds, in process, loopback HTTP`,
      },
      { section: "overhead", measure: "PveClient.get /version", value: us(http.direct) },
      { section: "overhead", measure: "MCP tools/call get_version", value: us(http.tool) },
      {
        section: "overhead",
        measure: "MCP layer per call (tool − PveClient)",
        value: us(http.layer),
        note: `target < 1 ms; ${us(http.overExtra)} over a bare fetch`,
      },
      {
        section: "overhead",
        measure: "MCP layer per call, Proxmox answering in process",
        value: us(alone.layer),
        note: `client and server's own work (the tool ${us(alone.tool)}, the PveClient ${us(alone.direct)}); no socket`,
      },
    ];
  } finally {
    await mock.stop();
  }
}
