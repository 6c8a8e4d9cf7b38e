// The scope guard's cost (goal: under 20 µs p50 per request) and the guest index's payoff (goal:
// at 1,000 guests a get_vm_config with only a vmid costs at most 1.5× the same call with its
// node). The guard alone is timed per request on a mix of tool-like requests, with no network;
// the calls go through MCP, in process, to the mock over loopback HTTP.

import { startMock } from "../../src/mock/index.ts";
import {
  createScope,
  Inventory,
  type Resource,
  ScopeGuard,
  type ScopeSettings,
} from "../../src/pve/index.ts";
import type { Row } from "../bench.ts";
import { inProcessServer, mockClient } from "./in-process.ts";
import { median } from "./stdio-probe.ts";

const GUESTS = 1000;
const SAMPLES = 20_000;
const CALLS = 200;
const ROUNDS = 7;

const UPID = "UPID:pve1:0002A1B3:0123ABCD:65F1A2B3:qmstart:100:root@pam:";
const REQUESTS: [string, string, Record<string, unknown>][] = [
  ["GET", "/nodes/pve1/qemu/100/config", {}],
  ["POST", "/nodes/pve1/qemu/100/status/start", {}],
  [
    "PUT",
    "/nodes/pve1/qemu/100/config",
    { scsi1: "local-lvm:4,import-from=local-lvm:vm-100-disk-1" },
  ],
  ["GET", `/nodes/pve1/tasks/${encodeURIComponent(UPID)}/status`, {}],
  ["POST", "/cluster/ha/resources", { sid: "vm:100", state: "started" }],
  ["GET", "/cluster/resources", { type: "vm" }],
];

function rows(count: number): Resource[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `qemu/${100 + i}`,
    type: "qemu",
    vmid: 100 + i,
    node: `pve${(i % 3) + 1}`,
    pool: i % 2 === 0 ? "prod" : "lab",
    tags: i % 4 === 0 ? "web" : "db",
    status: "running",
  }));
}

async function admitTimes(settings: ScopeSettings): Promise<number[]> {
  const inventory = new Inventory(async () => rows(GUESTS), 3_600_000);
  const guard = new ScopeGuard(createScope(settings), inventory);
  await inventory.guests(); // the index is warm, as it is between calls
  const times: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const [method, path, params] = REQUESTS[i % REQUESTS.length] as (typeof REQUESTS)[number];
    const started = performance.now();
    await guard.admit(method, path, params);
    times.push(performance.now() - started);
  }
  return times;
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
};

const us = (ms: number) => `${(ms * 1000).toFixed(1)} µs`;

async function filterTime(settings: ScopeSettings): Promise<number> {
  const inventory = new Inventory(async () => rows(GUESTS), 3_600_000);
  const guard = new ScopeGuard(createScope(settings), inventory);
  const answer = rows(GUESTS);
  await inventory.guests();
  const times: number[] = [];
  for (let i = 0; i < 50; i++) {
    const started = performance.now();
    await guard.filter("GET", "/cluster/resources", answer);
    times.push(performance.now() - started);
  }
  return median(times);
}

async function vmidOnlyCost(): Promise<{ vmid: number; node: number; both: number }> {
  const mock = await startMock({ tls: false, guests: GUESTS });
  const pve = mockClient(mock);
  const server = await inProcessServer(pve);
  try {
    const call = (args: Record<string, unknown>) => async () => {
      const r = await server.client.callTool({ name: "get_vm_config", arguments: args });
      if (r.isError) throw new Error(`get_vm_config failed: ${JSON.stringify(r.content)}`);
    };
    const vmid = call({ vmid: 100 });
    const node = call({ vmid: 100, node: "pve1" });
    const both = call({ vmid: 100, node: "pve1", type: "qemu" });
    await vmid(); // loads the tool modules
    const timed = async (fn: () => Promise<void>) => {
      const started = performance.now();
      await fn();
      return performance.now() - started;
    };
    // Interleaved, so drift and garbage collection hit all three alike.
    const times = { vmid: [] as number[], node: [] as number[], both: [] as number[] };
    for (let round = 0; round < ROUNDS; round++) {
      const sums = { vmid: 0, node: 0, both: 0 };
      for (let i = 0; i < CALLS; i++) {
        sums.both += await timed(both);
        sums.node += await timed(node);
        sums.vmid += await timed(vmid);
      }
      times.both.push(sums.both / CALLS);
      times.node.push(sums.node / CALLS);
      times.vmid.push(sums.vmid / CALLS);
      mock.requests.length = 0;
    }
    return { vmid: median(times.vmid), node: median(times.node), both: median(times.both) };
  } finally {
    await server.close();
    await mock.stop();
  }
}

export async function guardSection(): Promise<Row[]> {
  const nodesVmids = await admitTimes({
    allowed_nodes: ["pve1", "pve2"],
    allowed_vmids: ["100-599"],
  });
  const pools = await admitTimes({ allowed_pools: ["prod"] });
  const open = await admitTimes({});
  const filtered = await filterTime({ allowed_pools: ["prod"] });
  const cost = await vmidOnlyCost();
  const ratio = (cost.vmid / cost.both).toFixed(2);
  return [
    {
      section: "guard",
      measure: "admit, scope nodes + vmids",
      value: us(percentile(nodesVmids, 0.5)),
      note: `p50 per request (p99 ${us(percentile(nodesVmids, 0.99))}); goal < 20 µs; ${SAMPLES} requests of ${REQUESTS.length} kinds`,
    },
    {
      section: "guard",
      measure: "admit, scope pools (1,000 guests indexed)",
      value: us(percentile(pools, 0.5)),
      note: `p50 (p99 ${us(percentile(pools, 0.99))})`,
    },
    {
      section: "guard",
      measure: "admit, no scope",
      value: us(percentile(open, 0.5)),
      note: "p50: the path check every request passes",
    },
    {
      section: "guard",
      measure: "filter /cluster/resources, 1,000 guests",
      value: `${filtered.toFixed(2)} ms`,
      note: "pool scope, per answer (median of 50)",
    },
    {
      section: "guard",
      measure: `get_vm_config {vmid} at ${GUESTS} guests`,
      value: `${cost.vmid.toFixed(2)} ms`,
      note: `per call; ${ratio}× the call with node and type (${cost.both.toFixed(2)} ms), goal ≤ 1.5×`,
    },
    {
      section: "guard",
      measure: `get_vm_config {vmid, node} at ${GUESTS} guests`,
      value: `${cost.node.toFixed(2)} ms`,
      note: `${(cost.node / cost.both).toFixed(2)}× (the type comes from the index too)`,
    },
  ];
}
