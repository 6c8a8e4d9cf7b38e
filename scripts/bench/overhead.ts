// Per-call overhead of the MCP layer: N calls of a cheap read tool (get_version → one GET
// /version) through an in-memory MCP client, against N direct PveClient GETs and N bare fetches
// of the same endpoint on the same mock (plain HTTP, loopback). Rounds alternate so drift hits
// all three alike; each figure is the median over the rounds of the mean time per call.

import { startMock } from "../../src/mock/index.ts";
import type { Row } from "../bench.ts";
import { inProcessServer, mockClient } from "./in-process.ts";
import { median } from "./stdio-probe.ts";

const CALLS = 1000;
const ROUNDS = 9;

async function perCall(fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < CALLS; i++) await fn();
  return (performance.now() - started) / CALLS;
}

export async function overheadSection(): Promise<Row[]> {
  const mock = await startMock({ tls: false });
  const c = mock.credentials;
  const pve = mockClient(mock);
  const server = await inProcessServer(pve);
  try {
    const headers = { Authorization: `PVEAPIToken=${c.tokenId}=${c.tokenSecret}` };
    const url = `${mock.url}/api2/json/version`;
    const tool = async () => {
      const r = await server.client.callTool({ name: "get_version", arguments: {} });
      if (r.isError) throw new Error(`get_version failed: ${JSON.stringify(r.content)}`);
    };
    const direct = () => pve.get("/version");
    const bare = async () => (await fetch(url, { headers })).text();
    await tool(); // loads the tool modules: a one-time cost, not per call
    mock.requests.length = 0;
    await tool();
    if (mock.requests.length !== 1) throw new Error("get_version should send exactly one request");
    const times = { tool: [] as number[], direct: [] as number[], bare: [] as number[] };
    for (let round = 0; round < ROUNDS; round++) {
      times.bare.push(await perCall(bare));
      times.direct.push(await perCall(direct));
      times.tool.push(await perCall(tool));
      mock.requests.length = 0; // keep the mock's log from growing through the run
    }
    const [t, d, b] = [median(times.tool), median(times.direct), median(times.bare)];
    const us = (ms: number) => `${(ms * 1000).toFixed(0)} µs`;
    return [
      {
        section: "overhead",
        measure: "bare fetch GET /version",
        value: us(b),
        note: `per call; ${CALLS} calls × ${ROUNDS} rounds, in process, loopback HTTP`,
      },
      { section: "overhead", measure: "PveClient.get /version", value: us(d) },
      { section: "overhead", measure: "MCP tools/call get_version", value: us(t) },
      {
        section: "overhead",
        measure: "MCP layer per call (tool − PveClient)",
        value: us(t - d),
        note: `target < 1 ms; ${us(t - b)} over a bare fetch`,
      },
    ];
  } finally {
    await server.close();
    await mock.stop();
  }
}
