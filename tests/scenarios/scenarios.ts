// Administrator requests, each as the tool calls a model would make for it from the default
// surface (enabling a toolset where the request needs one), against the simulated cluster.
// What a model reads is the text content of every answer: each scenario must stay within 6 KB
// of it. The test (scenarios.test.ts) holds that and checks each request's real effect; `bun
// run bench scenarios` prints the table the README shows.

import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { MockServer } from "../../src/mock/index.ts";

/** What a scenario may read in text, in total. */
export const SCENARIO_BYTES = 6_000;

export type Call = (name: string, args?: Record<string, unknown>) => Promise<CallToolResult>;

export interface Scenario {
  /** The request, as an administrator puts it. */
  request: string;
  /** Arranges the cluster the request is about (a guest that will not start…). */
  setup?: (mock: MockServer) => void;
  /** The calls, each chosen from what the earlier answers said. */
  run: (call: Call, mock: MockServer) => Promise<void>;
  /** The request's effect on the cluster, checked by the test. */
  verify?: (mock: MockServer) => void;
}

export interface CallRecord {
  tool: string;
  textBytes: number;
  structuredBytes: number;
  isError: boolean;
  result: CallToolResult;
}

export const textOf = (r: CallToolResult): string =>
  r.content.map((c) => (c.type === "text" ? c.text : "")).join("\n");

const data = <T>(r: CallToolResult): T => r.structuredContent as T;

/**
 * A call whose answer must not be an error (the scenario's own mistake otherwise). A destructive
 * call first only describes its impact and hands back a code (the server's default, for a client
 * without elicitation): the model tells the person, the person agrees, and the model passes the
 * code back. Both answers are read, so both count.
 */
async function ok<T>(call: Call, name: string, args: Record<string, unknown> = {}): Promise<T> {
  let r = await call(name, args);
  const code = (r.structuredContent as { confirm?: unknown } | undefined)?.confirm;
  if (typeof code === "string") r = await call(name, { ...args, confirm: code });
  if (r.isError) throw new Error(`${name} failed: ${textOf(r)}`);
  return data<T>(r);
}

export const SCENARIOS: Scenario[] = [
  {
    request: "What is running, and how loaded is the cluster?",
    async run(call) {
      await ok(call, "show_cluster");
      await ok(call, "list_nodes");
      await ok(call, "get_cluster_resources", {
        type: "vm",
        status: "running",
        sort: "cpu",
        limit: 10,
      });
    },
  },
  {
    request: "Snapshot VM 100 before the upgrade.",
    async run(call) {
      await ok(call, "snapshot_vm", {
        vmid: 100,
        snapname: "before-upgrade",
        description: "before the OS upgrade",
      });
    },
    verify: (mock) => {
      const snaps = mock.state.guests.get(100)?.snapshots.map((s) => s.name);
      if (!snaps?.includes("before-upgrade")) throw new Error("no snapshot before-upgrade");
    },
  },
  {
    request: "Which storage is nearly full?",
    async run(call) {
      await ok(call, "get_cluster_resources", { type: "storage", sort: "disk", limit: 10 });
    },
  },
  {
    request: "Why won't VM 102 start?",
    setup: (mock) => mock.faults.failTask.set("qmstart", "start failed: QEMU exited with code 1"),
    async run(call) {
      const start = await call("start_vm", { vmid: 102 });
      if (!start.isError) throw new Error("start_vm should have failed");
      await ok(call, "list_tasks", { vmid: 102, errors: true, limit: 5 });
      await ok(call, "get_vm_config", { vmid: 102 });
    },
  },
  {
    request: "Back up VM 101 to the backups storage now.",
    async run(call) {
      await ok(call, "create_backup", { vmid: 101, storage: "backups" });
    },
    verify: (mock) => {
      const fresh = mock.state.volumes.filter(
        (v) => v.vmid === 101 && v.content === "backup" && v.storage === "backups",
      );
      if (fresh.length < 2) throw new Error("no new backup of 101");
    },
  },
  {
    request: "Restore the newest backup of VM 100 as a new VM next to it.",
    async run(call) {
      const { backups } = await ok<{ backups: { volid: string }[] }>(call, "list_backups", {
        vmid: 100,
        limit: 5,
      });
      const archive = backups[0]?.volid;
      await ok(call, "restore_backup", { archive, unique: true });
    },
    verify: (mock) => {
      if (!mock.state.guests.has(106)) throw new Error("no guest 106 restored");
    },
  },
  {
    request: "Create a Debian container called cache-01 with 2 GiB of memory.",
    async run(call) {
      const { items } = await ok<{ items: { volid: string; node?: string }[] }>(
        call,
        "list_storage_content",
        { content: "vztmpl", node: "pve1" },
      );
      const debian = items.find((i) => i.volid.includes("debian"));
      await ok(call, "create_container", {
        node: "pve1",
        ostemplate: debian?.volid,
        hostname: "cache-01",
        memory: 2048,
      });
    },
    verify: (mock) => {
      const ct = [...mock.state.guests.values()].find((g) => g.config.hostname === "cache-01");
      if (!ct || Number(ct.config.memory) !== 2048) throw new Error("no cache-01 of 2048 MiB");
    },
  },
  {
    request: "Clone the Debian template into a new VM called web-03.",
    async run(call) {
      const { guests } = await ok<{ guests: { vmid: number }[] }>(call, "list_vms", {
        templates: true,
      });
      await ok(call, "clone_vm", { vmid: guests[0]?.vmid, name: "web-03" });
    },
    verify: (mock) => {
      if (![...mock.state.guests.values()].some((g) => g.config.name === "web-03")) {
        throw new Error("no web-03");
      }
    },
  },
  {
    request: "Give VM 103 4 GiB of memory.",
    async run(call) {
      await ok(call, "get_vm_config", { vmid: 103 });
      await ok(call, "update_vm_resources", { vmid: 103, memory: 4096 });
    },
    verify: (mock) => {
      const g = mock.state.guests.get(103);
      const memory = g?.pending?.memory ?? g?.config.memory;
      if (Number(memory) !== 4096) throw new Error(`memory of 103 is ${memory}`);
    },
  },
  {
    request: "What failed on the cluster recently?",
    async run(call) {
      await ok(call, "list_tasks", { errors: true, limit: 10 });
    },
  },
  {
    request: "Is node pve2 healthy?",
    async run(call) {
      await ok(call, "get_node_status", { node: "pve2" });
    },
  },
  {
    request: "Which VMs use the most memory?",
    async run(call) {
      await ok(call, "list_vms", { sort: "mem", status: "running", limit: 5 });
    },
  },
  {
    request: "Roll VM 100 back to its last snapshot.",
    setup: (mock) => {
      const g = mock.state.guests.get(100);
      const now = Math.floor(Date.now() / 1000);
      for (const [name, ago] of [
        ["weekly", 7 * 86_400],
        ["before-upgrade", 3600],
      ] as const) {
        g?.snapshots.push({ name, description: "", snaptime: now - ago, config: { ...g.config } });
      }
    },
    async run(call) {
      const { snapshots } = await ok<{ snapshots: { name: string }[] }>(call, "list_snapshots", {
        vmid: 100,
      });
      await ok(call, "rollback_vm", { vmid: 100, snapname: snapshots.at(-1)?.name, start: true });
    },
  },
  {
    request: "Shut down the running containers on pve1.",
    async run(call) {
      const { guests } = await ok<{ guests: { vmid: number }[] }>(call, "list_containers", {
        node: "pve1",
        status: "running",
      });
      for (const g of guests) await ok(call, "shutdown_vm", { vmid: g.vmid });
    },
    verify: (mock) => {
      const up = [...mock.state.guests.values()].filter(
        (g) => g.type === "lxc" && g.node === "pve1" && g.status === "running",
      );
      if (up.length > 0) throw new Error(`still running: ${up.map((g) => g.vmid)}`);
    },
  },
  {
    request: "Move VM 100 to pve2 without downtime.",
    async run(call) {
      await ok(call, "enable_toolset", { toolsets: ["lifecycle"] });
      await ok(call, "migrate_vm", { vmid: 100, target_node: "pve2", online: true });
    },
    verify: (mock) => {
      if (mock.state.guests.get(100)?.node !== "pve2") throw new Error("100 is not on pve2");
    },
  },
  {
    request: "Add a 20 GiB disk to VM 103.",
    async run(call) {
      await ok(call, "enable_toolset", { toolsets: ["disks"] });
      await ok(call, "add_disk", { vmid: 103, storage: "local-lvm", size_gb: 20 });
    },
    verify: (mock) => {
      const config = mock.state.guests.get(103)?.config ?? {};
      if (!Object.values(config).some((v) => String(v).includes("size=20G"))) {
        throw new Error("no 20G disk on 103");
      }
    },
  },
  {
    request: "What may the credentials of this server do?",
    async run(call) {
      await ok(call, "enable_toolset", { toolsets: ["access"] });
      await ok(call, "whoami");
    },
  },
  {
    request: "How did last night's backups go?",
    async run(call) {
      await ok(call, "list_tasks", { type: "vzdump", limit: 5 });
      await ok(call, "list_backups", { limit: 10 });
    },
  },
];

/** Runs a scenario's calls through `call`, recording what each answer weighs. */
export async function runScenario(
  scenario: Scenario,
  call: Call,
  mock: MockServer,
): Promise<CallRecord[]> {
  const records: CallRecord[] = [];
  const recording: Call = async (name, args = {}) => {
    const r = await call(name, args);
    records.push({
      tool: name,
      textBytes: Buffer.byteLength(textOf(r)),
      structuredBytes: r.structuredContent
        ? Buffer.byteLength(JSON.stringify(r.structuredContent))
        : 0,
      isError: r.isError === true,
      result: r,
    });
    return r;
  };
  scenario.setup?.(mock);
  await scenario.run(recording, mock);
  return records;
}

export const sum = (records: CallRecord[], key: "textBytes" | "structuredBytes"): number =>
  records.reduce((n, r) => n + r[key], 0);
