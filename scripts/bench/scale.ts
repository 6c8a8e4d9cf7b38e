// A large cluster: the mock scaled out to 10,000 guests on 20 nodes. How long the mock takes to
// seed, how big and slow the one-call inventory (/cluster/resources) is, and what list_vms costs
// through MCP with its default paging (100 per page) and with a filter and the largest page.

import { startMock } from "../../src/mock/index.ts";
import type { Row } from "../bench.ts";
import { inProcessServer, mockClient } from "./in-process.ts";
import { median } from "./stdio-probe.ts";

const GUESTS = 10_000;
const NODES = 20;
const RUNS = 11;

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await fn();
  return { ms: performance.now() - started, value };
}

async function medianOf<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const runs: { ms: number; value: T }[] = [];
  for (let i = 0; i < RUNS; i++) runs.push(await timed(fn));
  return { ms: median(runs.map((r) => r.ms)), value: runs[0]?.value as T };
}

export async function scaleSection(): Promise<Row[]> {
  const starts: number[] = [];
  for (let i = 0; i < 3; i++) {
    const { ms, value } = await timed(() =>
      startMock({ tls: false, guests: GUESTS, nodes: NODES }),
    );
    starts.push(ms);
    await value.stop();
  }
  const mock = await startMock({ tls: false, guests: GUESTS, nodes: NODES });
  if (mock.state.guests.size !== GUESTS || mock.state.nodes.size !== NODES) {
    throw new Error(
      `scale-out gave ${mock.state.guests.size} guests on ${mock.state.nodes.size} nodes`,
    );
  }
  const c = mock.credentials;
  const pve = mockClient(mock, 30_000);
  const server = await inProcessServer(pve);
  try {
    const headers = { Authorization: `PVEAPIToken=${c.tokenId}=${c.tokenSecret}` };
    const inventory = await medianOf(async () =>
      (await fetch(`${mock.url}/api2/json/cluster/resources`, { headers })).text(),
    );
    const call = (args: Record<string, unknown>) => async () => {
      const r = await server.client.callTool({ name: "list_vms", arguments: args });
      if (r.isError) throw new Error(`list_vms failed: ${JSON.stringify(r.content)}`);
      return r;
    };
    await call({})(); // loads the tool modules
    const page = await medianOf(call({}));
    const filtered = await medianOf(call({ status: "running", name: "vm-1*", limit: 1000 }));
    const size = (r: unknown) => Buffer.byteLength(JSON.stringify(r));
    const shown = (r: unknown) => {
      const s = (r as { structuredContent: { guests: unknown[]; total: number } })
        .structuredContent;
      return `${s.guests.length} of ${s.total} VMs`;
    };
    const kb = (b: number) => `${(b / 1024).toFixed(1)} KiB`;
    return [
      {
        section: "scale",
        measure: `mock start, ${GUESTS} guests / ${NODES} nodes`,
        value: `${median(starts).toFixed(0)} ms`,
        note: "seeding + listening (median of 3)",
      },
      {
        section: "scale",
        measure: "GET /cluster/resources (bare fetch)",
        value: `${inventory.ms.toFixed(1)} ms`,
        note: `${kb(Buffer.byteLength(inventory.value))} answer`,
      },
      {
        section: "scale",
        measure: "list_vms, default paging",
        value: `${page.ms.toFixed(1)} ms`,
        note: `${kb(size(page.value))} answer (${shown(page.value)}, next_cursor)`,
      },
      {
        section: "scale",
        measure: "list_vms running, name vm-1*, limit 1000",
        value: `${filtered.ms.toFixed(1)} ms`,
        note: `${kb(size(filtered.value))} answer (${shown(filtered.value)})`,
      },
    ];
  } finally {
    await server.close();
    await mock.stop();
  }
}
