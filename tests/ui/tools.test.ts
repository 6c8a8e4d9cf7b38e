// The MCP Apps side of the server through a real client on the simulated cluster: what tools/list
// says to clients with and without the extension, the ui:// resources, and the tools behind the
// cluster and guest views checked against the mock's own state.

import { afterEach, describe, expect, test } from "bun:test";
import type { Tool } from "@modelcontextprotocol/sdk/types.js";
import type {
  ClusterViewData,
  GuestTrends,
  GuestViewData,
  TaskLogData,
} from "../../src/tools/view-schemas.ts";
import { type Harness, type HarnessOptions, startHarness } from "../support/harness.ts";

const APPS = {
  extensions: { "io.modelcontextprotocol/ui": { mimeTypes: ["text/html;profile=mcp-app"] } },
};
const APP_TOOLS = ["view_cluster", "view_trends", "view_guest", "view_task_log"];

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});
const open = async (options: HarnessOptions = {}) => {
  h = await startHarness({ capabilities: APPS, ...options });
  return h;
};
const names = (tools: Tool[]) => tools.map((t) => t.name);

describe("tools/list and the extension", () => {
  test("a client with MCP Apps sees the views and the app-only tools, marked for the app", async () => {
    const x = await open();
    const { tools } = await x.client.listTools();
    const byName = new Map(tools.map((t) => [t.name, t]));
    expect(byName.get("show_cluster")?._meta).toEqual({
      ui: { resourceUri: "ui://proxmox/cluster" },
      "ui/resourceUri": "ui://proxmox/cluster",
    });
    expect(byName.get("show_guest")?._meta?.ui).toEqual({ resourceUri: "ui://proxmox/guest" });
    for (const name of APP_TOOLS) {
      const meta = byName.get(name)?._meta as { ui?: { visibility?: string[] } } | undefined;
      expect(meta?.ui?.visibility).toEqual(["app"]);
    }
    expect(x.client.getServerCapabilities()?.extensions).toEqual(APPS.extensions);
  });

  test("a client without it gets no app-only tools, and the views' tools as plain tools", async () => {
    const x = await open({ capabilities: {} });
    const listed = names((await x.client.listTools()).tools);
    expect(listed).toContain("show_cluster");
    for (const name of APP_TOOLS) expect(listed).not.toContain(name);
    const summary = await x.call("show_cluster");
    expect(summary.isError).toBeFalsy();
    expect((summary.content[0] as { text: string }).text).toContain("nodes online");
  });

  test("app-only tools follow the views: there with show_cluster, gone without any view", async () => {
    const policy = { readOnly: false, tools: [], excludeTools: [], lazy: false };
    let x = await open({ server: { policy: { ...policy, toolsets: ["tasks"] } } });
    expect(names((await x.client.listTools()).tools)).not.toContain("view_cluster");
    expect(await x.fails("view_cluster")).toContain("not enabled");
    await x.close();
    x = await open({
      server: { policy: { ...policy, toolsets: ["tasks"], tools: ["show_cluster"] } },
    });
    expect(names((await x.client.listTools()).tools)).toEqual(
      expect.arrayContaining(["show_cluster", ...APP_TOOLS]),
    );
    await x.close();
    // Lazy mode: the model's list of toolsets names no tool it is not meant to call.
    x = await open({ server: { policy: { ...policy, toolsets: ["default"], lazy: true } } });
    const { toolsets } = await x.ok<{ toolsets: { tools: string[] }[] }>("list_toolsets");
    const offered = toolsets.flatMap((t) => t.tools);
    expect(offered).toContain("show_cluster");
    for (const name of APP_TOOLS) expect(offered).not.toContain(name);
  });

  test("the ui:// views are resources of type text/html;profile=mcp-app", async () => {
    const x = await open();
    const { resources } = await x.client.listResources();
    const views = resources.filter((r) => r.uri.startsWith("ui://"));
    expect(views.map((r) => [r.uri, r.mimeType])).toEqual([
      ["ui://proxmox/cluster", "text/html;profile=mcp-app"],
      ["ui://proxmox/guest", "text/html;profile=mcp-app"],
    ]);
    x.mock.requests.length = 0;
    for (const view of views) {
      const { contents } = await x.client.readResource({ uri: view.uri });
      const [content] = contents as { uri: string; mimeType: string; text: string }[];
      expect(content?.mimeType).toBe("text/html;profile=mcp-app");
      expect(content?.text.slice(0, 15).toLowerCase()).toBe("<!doctype html>");
    }
    expect(x.mock.requests).toEqual([]); // the views are built in, not read from Proxmox
  });
});

describe("the cluster view's data", () => {
  test("show_cluster sums up the cluster as the mock has it, with what needs attention", async () => {
    const x = await open();
    x.mock.faults.offlineNodes.add("pve3");
    const r = await x.ok<{
      nodes: { online: number; total: number };
      guests: { running: number; stopped: number; templates: number };
      attention: string[];
    }>("show_cluster");
    expect(r.nodes).toEqual({ online: 2, total: 3 });
    expect(r.attention).toContain("node pve3 is offline");
    expect(r.attention.some((a) => a.startsWith("qmstart 102 on pve2 failed"))).toBe(true);
    const guests = [...x.mock.state.guests.values()].filter((g) => g.node !== "pve3");
    expect(r.guests.running).toBe(guests.filter((g) => g.status === "running").length);
  });

  test("view_cluster gives every node, guest and storage with the simulated values", async () => {
    const x = await open();
    const d = await x.ok<ClusterViewData>("view_cluster");
    expect(d.nodes.map((n) => n.node)).toEqual(["pve1", "pve2", "pve3"]);
    const pve1 = x.mock.state.nodes.get("pve1");
    expect(d.nodes[0]).toMatchObject({ status: "online", maxmem: pve1?.maxmem, cpu: pve1?.cpu });
    expect(d.guests.map((g) => g.vmid)).toEqual(
      [...x.mock.state.guests.keys()].sort((a, b) => a - b),
    );
    expect(d.guests.find((g) => g.vmid === 100)).toMatchObject({
      name: "web-01",
      type: "qemu",
      node: "pve1",
      status: "running",
      tags: ["prod", "web"],
    });
    expect(d.guests.find((g) => g.vmid === 103)?.hastate).toBe("started");
    expect(d.guests.find((g) => g.vmid === 104)?.template).toBe(true);
    const lvm = d.storages.find((s) => s.storage === "local-lvm" && s.node === "pve1");
    expect(lvm?.total).toBe(x.mock.state.storages.get("local-lvm")?.total);
    expect(lvm?.content).toEqual(["images", "rootdir"]);
    const failed = d.tasks.find((t) => t.state === "error");
    expect(failed).toMatchObject({ type: "qmstart", id: "102", node: "pve2" });
    expect(d.actions).toEqual([
      "start_vm",
      "shutdown_vm",
      "stop_vm",
      "snapshot_vm",
      "get_console_url",
    ]);
  });

  test("a read-only server offers the view no actions; a scope limits what it shows", async () => {
    const x = await open({
      server: {
        policy: { readOnly: true, toolsets: ["all"], tools: [], excludeTools: [], lazy: false },
      },
      scope: { allowed_vmids: ["100-101"] },
    });
    const d = await x.ok<ClusterViewData>("view_cluster");
    expect(d.actions).toEqual(["get_console_url"]);
    expect(d.guests.map((g) => g.vmid)).toEqual([100, 101]);
  });

  test("view_trends gives the last half hour of CPU and memory of the guests asked for", async () => {
    const x = await open();
    const { trends } = await x.ok<GuestTrends>("view_trends", { vmids: [100, 102, 999] });
    expect(trends.map((t) => t.vmid)).toEqual([100, 102]);
    const [running, stopped] = trends;
    expect(running?.cpu.length).toBe(30);
    expect(running?.mem.every((m) => m > 0 && m <= 1)).toBe(true);
    expect(stopped?.cpu).toEqual([]); // a stopped guest's RRD rows carry no values
    expect(await x.fails("view_trends", { vmids: [] })).toContain("vmids");
  });
});

describe("the guest view's data", () => {
  test("view_guest: config, disks, NICs, snapshots, tasks and RRD of one guest", async () => {
    const x = await open();
    await x.ok("snapshot_vm", { vmid: 100, snapname: "before", description: "first" });
    await x.ok("snapshot_vm", { vmid: 100, snapname: "after" });
    const d = await x.ok<GuestViewData>("view_guest", { vmid: 100, timeframe: "day" });
    expect(d.guest).toMatchObject({ vmid: 100, name: "web-01", node: "pve1", status: "running" });
    expect(d.config).toContainEqual({ label: "Memory", value: "4096 MiB" });
    expect(d.config).toContainEqual({ label: "Guest agent", value: "on" });
    expect(d.disks).toContainEqual({
      key: "scsi0",
      volume: "local-lvm:vm-100-disk-0",
      size: "32G",
      media: undefined,
    });
    expect(d.disks.find((k) => k.key === "ide2")?.media).toBe("cdrom");
    expect(d.nics[0]).toMatchObject({
      key: "net0",
      model: "virtio",
      bridge: "vmbr0",
      firewall: true,
    });
    expect(d.snapshots.map((s) => [s.name, s.parent, s.description])).toEqual([
      ["before", undefined, "first"],
      ["after", "before", undefined],
    ]);
    expect(d.current_parent).toBe("after");
    expect(d.tasks[0]?.type).toBe("qmsnapshot");
    expect(d.timeframe).toBe("day");
    expect(d.rrd).toHaveLength(70);
    expect(d.rrd.at(-1)?.maxmem).toBe(4096 * 2 ** 20);
  });

  test("a container's disks and NICs read from its own keys", async () => {
    const x = await open();
    const d = await x.ok<GuestViewData>("view_guest", { vmid: 200 });
    expect(d.disks[0]).toMatchObject({ key: "rootfs", size: "8G" });
    expect(d.nics[0]).toMatchObject({ key: "net0", model: "eth0", ip: "dhcp", bridge: "vmbr0" });
    expect(d.config).toContainEqual({ label: "Hostname", value: "dns-01" });
  });

  test("show_guest sums up a guest for the model; an unknown guest is a clear error", async () => {
    const x = await open();
    const r = await x.call("show_guest", { vmid: 101 });
    const text = (r.content[0] as { text: string }).text;
    expect(text).toContain("VM 101 (db-01) on pve1: running");
    expect(text).toContain("scsi1: local-lvm:vm-101-disk-1 (200G)");
    expect(await x.fails("show_guest", { vmid: 999 })).toContain("999");
  });

  test("view_task_log reads a task's state and log lines", async () => {
    const x = await open();
    const failed = x.mock.state.tasks.find((t) => t.type === "qmstart" && t.id === "102");
    const log = await x.ok<TaskLogData>("view_task_log", { upid: failed?.upid });
    expect(log.state).toBe("error");
    expect(log.status).toBe("start failed: QEMU exited with code 1");
    expect(log.lines.at(-1)).toBe("TASK ERROR: start failed: QEMU exited with code 1");
    expect(await x.fails("view_task_log", { upid: "UPID:nonsense" })).toContain("not a task id");
  });
});
