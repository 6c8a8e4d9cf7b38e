// The guard alone, on the cases the schema's formats do not show: what reaches the host from a
// guest's own endpoints (host paths, hook scripts, the QEMU monitor), API calls wrapped in
// /nodes/{node}/execute, nodes named by a parameter without a format, new guests under pool and
// tag scopes, and answers filtered by rows and by object keys.

import { describe, expect, test } from "bun:test";
import {
  createScope,
  Inventory,
  type Resource,
  ScopeError,
  ScopeGuard,
  type ScopeSettings,
} from "../../src/pve/index.ts";

const ROWS: Resource[] = [
  { id: "qemu/100", type: "qemu", vmid: 100, node: "pve1", pool: "prod", tags: "prod" },
  { id: "qemu/101", type: "qemu", vmid: 101, node: "pve1", pool: "prod", tags: "prod" },
  { id: "qemu/103", type: "qemu", vmid: 103, node: "pve2", tags: "lab" },
];

const guardFor = (settings: ScopeSettings) =>
  new ScopeGuard(createScope(settings), new Inventory(async () => ROWS));

async function refusal(
  guard: ScopeGuard,
  method: string,
  path: string,
  params: Record<string, unknown> = {},
): Promise<string | undefined> {
  try {
    await guard.admit(method, path, params);
    return undefined;
  } catch (error) {
    if (error instanceof ScopeError) return `${error.message}\nHint: ${error.hint}`;
    throw error;
  }
}

const VMIDS = { allowed_vmids: ["100-101"] };

describe("what reaches the host from a guest's own endpoints", () => {
  test("host paths, hook scripts, raw QEMU args and the monitor are node administration", async () => {
    const guard = guardFor(VMIDS);
    const config = "/nodes/pve1/lxc/100/config";
    for (const params of [
      { mp0: "/,mp=/host" },
      { rootfs: "/srv/rootfs" },
      { dev0: "/dev/sda" },
      { hookscript: "local:snippets/hook.pl" },
    ]) {
      expect(await refusal(guard, "PUT", config, params)).toContain("administration of node pve1");
    }
    expect(
      await refusal(guard, "PUT", "/nodes/pve1/qemu/100/config", { args: "-drive file=/dev/sda" }),
    ).toContain("administration of node pve1");
    expect(
      await refusal(guard, "POST", "/nodes/pve1/qemu/100/config", {
        scsi1: "local-lvm:0,import-from=/var/lib/vz/images/103/vm-103-disk-0.raw",
      }),
    ).toContain("scsi1 reaching the host (scsi1=…) is administration of node pve1");
    expect(
      await refusal(guard, "POST", "/nodes/pve1/qemu/100/monitor", { command: "info block" }),
    ).toContain("the QEMU monitor is administration of node pve1");
    // Host hardware and files handed to a VM: passthrough, host ports, a host directory.
    for (const params of [
      { hostpci0: "0000:01:00.0,pcie=1" },
      { hostpci1: "mapping=gpu" },
      { usb0: "host=1-1.2" },
      { serial0: "/dev/ttyS0" },
      { parallel0: "/dev/parport0" },
      { virtiofs0: "dirid=share" },
    ]) {
      expect(await refusal(guard, "POST", "/nodes/pve1/qemu/100/config", params)).toContain(
        "administration of node pve1",
      );
    }
    // A virtual serial port or a SPICE USB port stays inside the guest.
    for (const params of [{ serial0: "socket" }, { usb0: "spice" }]) {
      expect(await refusal(guard, "POST", "/nodes/pve1/qemu/100/config", params)).toBeUndefined();
    }
    // A volume of the guest itself, or a new one, is the guest's own business.
    expect(
      await refusal(guard, "PUT", config, { mp0: "local-lvm:vm-100-disk-1,mp=/data" }),
    ).toBeUndefined();
    expect(await refusal(guard, "PUT", config, { mp1: "local-lvm:8,mp=/srv" })).toBeUndefined();
  });

  test("allow_node_admin lets them through on an allowed node, never for other guests", async () => {
    const guard = guardFor({ ...VMIDS, allow_node_admin: true });
    expect(
      await refusal(guard, "PUT", "/nodes/pve1/lxc/100/config", { mp0: "/srv,mp=/srv" }),
    ).toBeUndefined();
    expect(
      await refusal(guard, "PUT", "/nodes/pve1/lxc/100/config", {
        mp0: "local-lvm:vm-103-disk-0,mp=/x",
      }),
    ).toContain("guest 103 is outside");
  });
});

describe("/nodes/{node}/execute", () => {
  test("each wrapped API call is judged as a request of its own", async () => {
    const guard = guardFor({ allowed_nodes: ["pve1"] });
    const run = (commands: unknown) =>
      refusal(guard, "POST", "/nodes/pve1/execute", { commands: JSON.stringify(commands) });
    expect(await run([{ method: "GET", path: "/nodes/pve1/status" }])).toBeUndefined();
    expect(await run([{ method: "POST", path: "/nodes/pve2/stopall" }])).toContain(
      "node pve2 is outside",
    );
    expect(await run([{ method: "POST", path: "/cluster/firewall/rules" }])).toContain(
      "cluster-wide",
    );
    expect(await refusal(guard, "POST", "/nodes/pve1/execute", { commands: "not json" })).toContain(
      "commands the guard cannot read",
    );
  });
});

describe("nodes named without a format", () => {
  test("the cluster's metrics of a node outside the scope (node-list) are refused", async () => {
    const guard = guardFor({ allowed_nodes: ["pve1"] });
    const metrics = "/cluster/metrics/export";
    expect(await refusal(guard, "GET", metrics, { "node-list": "pve1,pve2" })).toContain(
      "node pve2 is outside",
    );
    expect(await refusal(guard, "GET", metrics, { "node-list": "pve1" })).toBeUndefined();
  });
});

describe("new guests", () => {
  test("under a pool scope a new guest must go into an allowed pool", async () => {
    const guard = guardFor({ allowed_pools: ["prod"] });
    expect(await refusal(guard, "POST", "/nodes/pve1/qemu", { vmid: 150 })).toContain(
      "the new guest 150 is outside",
    );
    expect(await refusal(guard, "POST", "/nodes/pve1/qemu", { vmid: 150, pool: "lab" })).toContain(
      "pool lab is outside",
    );
    expect(
      await refusal(guard, "POST", "/nodes/pve1/qemu", { vmid: 150, pool: "prod" }),
    ).toBeUndefined();
    // An id that is taken is the guest it names: a forced restore would overwrite it.
    expect(
      await refusal(guard, "POST", "/nodes/pve1/qemu", {
        vmid: 103,
        pool: "prod",
        force: 1,
        archive: "local:backup/vzdump-qemu-100-2026_01_01-00_00_00.vma.zst",
      }),
    ).toContain("guest 103 is outside");
  });

  test("under a tag scope a new guest carries an allowed tag; a clone inherits its source's", async () => {
    const guard = guardFor({ allowed_tags: ["prod"] });
    expect(await refusal(guard, "POST", "/nodes/pve1/qemu", { vmid: 150 })).toContain("pass tags");
    expect(
      await refusal(guard, "POST", "/nodes/pve1/qemu", { vmid: 150, tags: "prod;new" }),
    ).toBeUndefined();
    expect(
      await refusal(guard, "POST", "/nodes/pve1/qemu/100/clone", { newid: 151 }),
    ).toBeUndefined();
    expect(await refusal(guard, "POST", "/nodes/pve2/qemu/103/clone", { newid: 152 })).toContain(
      "guest 103 is outside",
    );
  });
});

describe("answers", () => {
  test("rows of other guests go, object keys naming them too", async () => {
    const guard = guardFor(VMIDS);
    const status: unknown = await guard.filter("GET", "/cluster/ha/status/manager_status", {
      manager_status: {
        service_status: { "vm:100": { state: "started" }, "vm:103": { state: "started" } },
        node_status: { pve1: "online", pve2: "online" },
      },
    });
    expect(status).toEqual({
      manager_status: {
        service_status: { "vm:100": { state: "started" } },
        node_status: { pve1: "online", pve2: "online" },
      },
    });
    const permissions = await guard.filter("GET", "/access/permissions", {
      "/": { "Sys.Audit": 1 },
      "/vms/100": { "VM.Audit": 1 },
      "/vms/103": { "VM.Audit": 1 },
    });
    expect(Object.keys(permissions)).toEqual(["/", "/vms/100"]);
    const pool = await guard.filter("GET", "/pools/prod", {
      members: [
        { id: "qemu/100", vmid: 100, type: "qemu" },
        { id: "qemu/103", vmid: 103, type: "qemu" },
        { id: "storage/pve1/local", storage: "local", type: "storage", node: "pve1" },
      ],
    });
    expect((pool as { members: { id: string }[] }).members.map((m) => m.id)).toEqual([
      "qemu/100",
      "storage/pve1/local",
    ]);
  });

  test("a backup job's included volumes keep only the guests inside", async () => {
    const guard = guardFor(VMIDS);
    const volumes = await guard.filter("GET", "/cluster/backup/job1/included_volumes", {
      children: [
        { id: 100, type: "qemu", name: "web", children: [{ id: "scsi0", included: 1 }] },
        { id: 103, type: "qemu", name: "other", children: [{ id: "scsi0", included: 1 }] },
      ],
    });
    expect((volumes as { children: { id: number }[] }).children.map((c) => c.id)).toEqual([100]);
  });

  test("an answer that is all about another guest is not passed on", async () => {
    const guard = guardFor(VMIDS);
    await expect(
      guard.filter("GET", "/cluster/backup/job1", { id: "job1", vmid: "100,103" }),
    ).rejects.toThrow("the answer is about guest 103 is outside");
    expect(await guard.filter("GET", "/cluster/backup/job2", { id: "job2", vmid: "100" })).toEqual({
      id: "job2",
      vmid: "100",
    });
  });
});
