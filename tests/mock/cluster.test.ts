// Inventory shapes (/cluster/resources, /nodes, /cluster/status), storage, tasks and offline nodes.
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { describeRoutes, type MockServer } from "../../src/mock/index.ts";
import { login, type Session, startTestMock, taskLog, waitTask } from "./helpers.ts";

let mock: MockServer;
let s: Session;
beforeEach(async () => {
  mock = await startTestMock({ taskDurationMs: 150 });
  s = await login(mock);
});
afterEach(() => mock.stop());

// biome-ignore lint/suspicious/noExplicitAny: JSON rows
type Row = Record<string, any>;

describe("/cluster/resources", () => {
  test("order and row shapes", async () => {
    const rows: Row[] = (await s.call("GET", "/cluster/resources")).json.data;
    expect(rows.map((r) => r.type)).toEqual([
      "pool",
      "pool",
      "qemu",
      "qemu",
      "qemu",
      "qemu",
      "qemu",
      "qemu",
      "lxc",
      "lxc",
      "lxc",
      "node",
      "node",
      "node",
      ...new Array(9).fill("storage"),
      "sdn",
      "sdn",
      "sdn",
    ]);
    expect(rows[0]).toEqual({ id: "/pool/prod", pool: "prod", type: "pool" });
    const web = rows.find((r) => r.id === "qemu/100") as Row;
    expect(Object.keys(web).sort()).toEqual([
      "cpu",
      "disk",
      "diskread",
      "diskwrite",
      "id",
      "maxcpu",
      "maxdisk",
      "maxmem",
      "mem",
      "memhost",
      "name",
      "netin",
      "netout",
      "node",
      "pool",
      "status",
      "tags",
      "template",
      "type",
      "uptime",
      "vmid",
    ]);
    expect(web).toMatchObject({
      vmid: 100,
      node: "pve1",
      name: "web-01",
      status: "running",
      template: 0,
      tags: "prod;web",
      pool: "prod",
      disk: 0,
    });
    expect(web.cpu).toBeGreaterThanOrEqual(0);
    expect(web.cpu).toBeLessThanOrEqual(1);
    const stopped = rows.find((r) => r.id === "qemu/102") as Row;
    expect([stopped.cpu, stopped.mem, stopped.uptime, stopped.tags]).toEqual([0, 0, 0, undefined]);
    expect((rows.find((r) => r.id === "qemu/101") as Row).maxmem).toBeGreaterThan(2 ** 32);
    expect((rows.find((r) => r.id === "qemu/103") as Row).hastate).toBe("started");
    expect((rows.find((r) => r.id === "qemu/104") as Row).template).toBe(1);
    expect(rows.find((r) => r.id === "lxc/200")?.memhost).toBeUndefined();
    expect(rows.find((r) => r.id === "node/pve1")).toMatchObject({
      node: "pve1",
      status: "online",
      level: "",
      "cgroup-mode": 2,
      maxcpu: 16,
    });
    expect(rows.find((r) => r.id === "storage/pve1/local-lvm")).toEqual({
      id: "storage/pve1/local-lvm",
      storage: "local-lvm",
      node: "pve1",
      type: "storage",
      plugintype: "lvmthin",
      shared: 0,
      content: "images,rootdir",
      status: "available",
      disk: expect.any(Number),
      maxdisk: 852878163968,
    });
  });

  test("type filter", async () => {
    const rows: Row[] = (await s.call("GET", "/cluster/resources", { type: "vm" })).json.data;
    expect(new Set(rows.map((r) => r.type))).toEqual(new Set(["qemu", "lxc"]));
  });
});

describe("nodes and cluster status", () => {
  test("/nodes has ssl_fingerprint and stats; /nodes/{node}/status shapes", async () => {
    const nodes: Row[] = (await s.call("GET", "/nodes")).json.data;
    expect(nodes.map((n) => n.node).sort()).toEqual(["pve1", "pve2", "pve3"]);
    expect(nodes[0]?.ssl_fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    const st = (await s.call("GET", "/nodes/pve2/status")).json.data;
    expect(st.memory.total).toBe(st.memory.used + st.memory.free);
    expect(st.loadavg).toHaveLength(3);
    expect(typeof st.loadavg[0]).toBe("string");
    expect(st.pveversion).toMatch(/^pve-manager\/9\.1\.3\/[0-9a-f]{16}$/);
    expect(st.cpuinfo).toMatchObject({ cpus: 16, sockets: 1 });
    expect((await s.call("GET", "/nodes/pve3/version")).json.data.version).toBe("9.1.3");
  });

  test("/cluster/status", async () => {
    const rows: Row[] = (await s.call("GET", "/cluster/status")).json.data;
    expect(rows[0]).toEqual({
      type: "cluster",
      id: "cluster",
      name: "demo",
      nodes: 3,
      version: 5,
      quorate: 1,
    });
    expect(rows[1]).toEqual({
      type: "node",
      id: "node/pve1",
      name: "pve1",
      nodeid: 1,
      ip: "10.0.0.11",
      local: 1,
      online: 1,
      level: "",
    });
  });

  test("nextid is a string", async () => {
    expect((await s.call("GET", "/cluster/nextid")).json).toEqual({ data: "106" });
  });
});

describe("offline node", () => {
  test("listed offline; guests unknown without name; proxied calls answer 595", async () => {
    mock.faults.offlineNodes.add("pve3");
    try {
      const rows: Row[] = (await s.call("GET", "/cluster/resources")).json.data;
      expect(rows.find((r) => r.id === "node/pve3")).toEqual({
        id: "node/pve3",
        node: "pve3",
        type: "node",
        status: "offline",
        "cgroup-mode": 2,
      });
      expect(rows.find((r) => r.id === "qemu/104")).toEqual({
        id: "qemu/104",
        vmid: 104,
        node: "pve3",
        type: "qemu",
        status: "unknown",
      });
      expect(rows.find((r) => r.id === "storage/pve3/local")).toMatchObject({ status: "unknown" });
      expect(rows.find((r) => r.id === "storage/pve3/local")?.disk).toBeUndefined();
      const nodes: Row[] = (await s.call("GET", "/nodes")).json.data;
      expect(nodes.find((n) => n.node === "pve3")).toEqual({
        id: "node/pve3",
        node: "pve3",
        type: "node",
        status: "offline",
        ssl_fingerprint: expect.any(String),
      });
      const st: Row[] = (await s.call("GET", "/cluster/status")).json.data;
      expect(st.find((r) => r.name === "pve3")?.online).toBe(0);
      const res = await s.call("GET", "/nodes/pve3/qemu/104/status/current");
      expect([res.status, res.reason, res.body]).toEqual([595, "No route to host", ""]);
      expect((await s.call("GET", "/nodes/pve3/tasks")).status).toBe(595);
    } finally {
      mock.faults.offlineNodes.clear();
    }
  });
});

describe("storage", () => {
  test("node storage status", async () => {
    const rows: Row[] = (await s.call("GET", "/nodes/pve1/storage")).json.data;
    const local = rows.find((r) => r.storage === "local") as Row;
    expect(local).toMatchObject({
      type: "dir",
      content: "backup,iso,vztmpl",
      active: 1,
      enabled: 1,
      shared: 0,
    });
    expect(local.used + local.avail).toBe(local.total);
    expect(local.used_fraction).toBeCloseTo(local.used / local.total, 10);
    expect(rows.find((r) => r.storage === "backups")?.shared).toBe(1);
    const iso: Row[] = (await s.call("GET", "/nodes/pve1/storage", { content: "iso" })).json.data;
    expect(iso.map((r) => r.storage)).toEqual(["local"]);
  });

  test("content: ISOs, templates, backups with vmid/notes/protected", async () => {
    const iso: Row[] = (
      await s.call("GET", "/nodes/pve1/storage/local/content", { content: "iso" })
    ).json.data;
    expect(iso.map((r) => r.volid)).toContain("local:iso/debian-13.1.0-amd64-netinst.iso");
    expect(iso[0]).toMatchObject({ content: "iso", format: "iso" });
    const tmpl: Row[] = (
      await s.call("GET", "/nodes/pve2/storage/local/content", { content: "vztmpl" })
    ).json.data;
    expect(
      tmpl.find((r) => r.volid.endsWith("alpine-3.22-default_20250617_amd64.tar.xz"))?.format,
    ).toBe("txz");
    const backups: Row[] = (
      await s.call("GET", "/nodes/pve2/storage/backups/content", { vmid: 100 })
    ).json.data;
    expect(backups[0]).toMatchObject({
      volid: "backups:backup/vzdump-qemu-100-2026_11_20-01_00_03.vma.zst",
      content: "backup",
      format: "vma.zst",
      vmid: 100,
      notes: "web-01",
      ctime: Date.UTC(2026, 10, 20, 1, 0, 3) / 1000,
    });
    const db: Row[] = (await s.call("GET", "/nodes/pve1/storage/backups/content", { vmid: 101 }))
      .json.data;
    expect(db[0]?.protected).toBe(1);
    const missing = await s.call("GET", "/nodes/pve1/storage/nope/content");
    expect(missing.reason).toBe("storage 'nope' does not exist");
  });
});

describe("tasks", () => {
  test("UPID format, list sources, status and log progression", async () => {
    const upid: string = (await s.call("POST", "/nodes/pve2/qemu/102/clone", { newid: 140 })).json
      .data;
    const parts = upid.split(":");
    expect(parts).toHaveLength(9);
    expect(parts.slice(0, 2)).toEqual(["UPID", "pve2"]);
    expect(parts.slice(5)).toEqual(["qmclone", "102", "root@pam", ""]);
    const archive: Row = (await s.call("GET", "/nodes/pve2/tasks")).json;
    expect(archive.data.some((t: Row) => t.upid === upid)).toBe(false);
    const active: Row = (await s.call("GET", "/nodes/pve2/tasks", { source: "active" })).json;
    expect(active.data).toEqual([expect.objectContaining({ upid, status: "RUNNING" })]);
    expect(active.total).toBe(1);
    const page: Row = (
      await s.call("GET", `/nodes/pve2/tasks/${encodeURIComponent(upid)}/log`, {
        start: 0,
        limit: 2,
      })
    ).json;
    expect(page.data.length).toBeLessThanOrEqual(2);
    expect(page.data[0]).toEqual({
      n: 1,
      t: "create full clone of drive scsi0 (local-lvm:vm-102-disk-0)",
    });
    const done = await waitTask(s, upid);
    expect(done).toMatchObject({
      status: "stopped",
      exitstatus: "OK",
      type: "qmclone",
      id: "102",
      user: "root@pam",
    });
    // The UPID carries the start time, in seconds, as 8 hex digits.
    expect(parts[4]).toBe(done.starttime.toString(16).toUpperCase().padStart(8, "0"));
    const all: Row = (await s.call("GET", "/nodes/pve2/tasks", { limit: 1 })).json;
    expect(all.data).toEqual([
      expect.objectContaining({ upid, status: "OK", endtime: expect.any(Number) }),
    ]);
    expect(all.total).toBeGreaterThan(1);
    const log = await taskLog(s, upid);
    const tail: Row = (
      await s.call("GET", `/nodes/pve2/tasks/${encodeURIComponent(upid)}/log`, {
        start: log.length - 1,
      })
    ).json;
    expect(tail).toEqual({ data: [{ n: log.length, t: "TASK OK" }], total: log.length });
  });

  test("filters: errors, typefilter, vmid", async () => {
    const errs: Row[] = (await s.call("GET", "/nodes/pve2/tasks", { errors: 1 })).json.data;
    expect(errs.every((t) => t.status !== "OK")).toBe(true);
    expect(errs.length).toBeGreaterThan(0);
    const starts: Row[] = (
      await s.call("GET", "/nodes/pve1/tasks", { typefilter: "qmstart", vmid: 100 })
    ).json.data;
    expect(starts.length).toBeGreaterThan(0);
    expect(starts.every((t) => t.type === "qmstart" && t.id === "100")).toBe(true);
  });

  test("bad and unknown UPIDs", async () => {
    const bad = await s.call("GET", "/nodes/pve1/tasks/garbage/status");
    expect([bad.status, bad.json.errors]).toEqual([400, { upid: "unable to parse worker upid" }]);
    const unknown = await s.call(
      "GET",
      `/nodes/pve1/tasks/${encodeURIComponent("UPID:pve1:00000001:00000002:00000003:qmstart:100:root@pam:")}/status`,
    );
    expect([unknown.status, unknown.json.errors]).toEqual([400, { upid: "no such task" }]);
  });

  test("/cluster/tasks lists every node's tasks", async () => {
    const rows: Row[] = (await s.call("GET", "/cluster/tasks")).json.data;
    expect(new Set(rows.map((r) => r.node))).toEqual(new Set(["pve1", "pve2", "pve3"]));
    expect(rows[0]?.pstart).toBeUndefined();
  });
});

describe("route table", () => {
  test("describeRoutes lists method, path, description and parameters", () => {
    const routes = describeRoutes();
    const start = routes.find(
      (r) => r.method === "POST" && r.path === "/nodes/{node}/qemu/{vmid}/status/start",
    );
    expect(start?.parameters.vmid).toMatchObject({
      type: "integer",
      format: "pve-vmid",
      minimum: 100,
    });
    expect(start?.permissions).toEqual({ check: ["perm", "/vms/{vmid}", ["VM.PowerMgmt"]] });
    expect(routes.every((r) => r.description.length > 0)).toBe(true);
    const keys = routes.map((r) => `${r.method} ${r.path}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  test("scale-out options", async () => {
    const big = await startTestMock({ nodes: 5, guests: 40 });
    const b = await login(big);
    const rows: Row[] = (await b.call("GET", "/cluster/resources", { type: "vm" })).json.data;
    expect(rows).toHaveLength(40);
    expect(new Set(rows.map((r) => r.node)).size).toBe(5);
    await big.stop();
  });
});
