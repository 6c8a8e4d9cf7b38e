// Pending changes, disk resize/move, templates and container clones in the mock, over plain HTTP.
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import type { MockServer } from "../../src/mock/index.ts";
import { login, type Session, startTestMock, taskLog, waitTask } from "./helpers.ts";

let mock: MockServer;
let s: Session;
beforeEach(async () => {
  mock = await startTestMock({ taskDurationMs: 40 });
  s = await login(mock);
});
afterEach(() => mock.stop());

const guest = (id: number) => {
  const g = mock.state.guests.get(id);
  if (!g) throw new Error(`no guest ${id}`);
  return g;
};
const task = async (method: string, path: string, params: Record<string, string | number> = {}) => {
  const res = await s.call(method, path, params);
  expect([res.status, res.reason]).toEqual([200, "OK"]);
  const upid = res.json.data as string;
  return { upid, status: await waitTask(s, upid), log: await taskLog(s, upid) };
};

describe("pending changes", () => {
  test("cores and memory of a running VM wait for the next start; name applies at once", async () => {
    await task("POST", "/nodes/pve1/qemu/100/config", { cores: 4, memory: 8192, name: "web-x" });
    const g = guest(100);
    expect(g.config.cores).toBe(2);
    expect(g.config.name).toBe("web-x");
    expect(g.pending).toEqual({ cores: 4, memory: "8192" });
    const merged = (await s.call("GET", "/nodes/pve1/qemu/100/config")).json.data;
    expect([merged.cores, merged.memory]).toEqual([4, "8192"]);
    const current = (await s.call("GET", "/nodes/pve1/qemu/100/config", { current: 1 })).json.data;
    expect([current.cores, current.memory]).toEqual([2, "4096"]);
    const rows = (await s.call("GET", "/nodes/pve1/qemu/100/pending")).json.data;
    expect(rows.find((r: { key: string }) => r.key === "cores")).toEqual({
      key: "cores",
      value: 2,
      pending: 4,
    });
    expect(rows.find((r: { key: string }) => r.key === "name")).toEqual({
      key: "name",
      value: "web-x",
    });
    // A stop and start applies them.
    await task("POST", "/nodes/pve1/qemu/100/status/stop");
    expect(guest(100).pending).toEqual({ cores: 4, memory: "8192" });
    await task("POST", "/nodes/pve1/qemu/100/status/start");
    expect([guest(100).config.cores, guest(100).pending]).toEqual([4, undefined]);
  });

  test("deleting a key of a running VM is pending too; revert drops it; a reboot applies", async () => {
    await task("POST", "/nodes/pve1/qemu/100/config", { delete: "numa", sockets: 2 });
    expect(guest(100).pendingDelete).toEqual(["numa"]);
    const numa = (await s.call("GET", "/nodes/pve1/qemu/100/pending")).json.data.find(
      (r: { key: string }) => r.key === "numa",
    );
    expect(numa).toEqual({ key: "numa", value: 0, delete: 1 });
    await s.call("PUT", "/nodes/pve1/qemu/100/config", { revert: "numa" });
    expect(guest(100).pendingDelete).toBeUndefined();
    await task("POST", "/nodes/pve1/qemu/100/status/reboot");
    expect([guest(100).config.sockets, guest(100).pending]).toEqual([2, undefined]);
  });

  test("containers change cgroup limits live; hostname waits", async () => {
    await s.call("PUT", "/nodes/pve1/lxc/200/config", { memory: 1024, hostname: "dns-x" });
    expect(guest(200).config.memory).toBe(1024);
    expect(guest(200).pending).toEqual({ hostname: "dns-x" });
  });

  test("stopped guests change at once", async () => {
    await s.call("PUT", "/nodes/pve2/qemu/102/config", { cores: 8 });
    expect([guest(102).config.cores, guest(102).pending]).toEqual([8, undefined]);
  });
});

describe("resize", () => {
  test("grow with +, absolute sizes, shrink refused in the task, missing disk", async () => {
    const grown = await task("PUT", "/nodes/pve1/qemu/100/resize", { disk: "scsi0", size: "+8G" });
    expect(grown.upid).toContain(":resize:100:");
    expect(grown.log).toContain("  Logical volume pve/vm-100-disk-0 successfully resized.");
    expect(guest(100).config.scsi0).toBe("local-lvm:vm-100-disk-0,iothread=1,size=40G");
    expect(mock.state.volumes.find((v) => v.volid === "local-lvm:vm-100-disk-0")?.size).toBe(
      40 * 2 ** 30,
    );
    const shrink = await task("PUT", "/nodes/pve1/qemu/100/resize", { disk: "scsi0", size: "10G" });
    expect(shrink.status.exitstatus).toBe("shrinking disks is not supported");
    const missing = await task("PUT", "/nodes/pve1/qemu/100/resize", {
      disk: "scsi7",
      size: "+1G",
    });
    expect(missing.status.exitstatus).toBe("disk 'scsi7' does not exist");
    const ct = await task("PUT", "/nodes/pve1/lxc/200/resize", { disk: "rootfs", size: "12G" });
    expect(ct.log.some((l) => l.startsWith("resize2fs"))).toBe(true);
    expect(guest(200).config.rootfs).toContain("size=12G");
  });

  test("a bad size or disk name is a 400 with PVE's per-parameter errors", async () => {
    const res = await s.call("PUT", "/nodes/pve1/qemu/100/resize", { disk: "rootfs", size: "big" });
    expect(res.status).toBe(400);
    expect(res.json.errors).toEqual({
      disk: expect.stringContaining("value 'rootfs' does not have a value in the enumeration"),
      size: "value does not match the regex pattern",
    });
  });
});

describe("move", () => {
  test("move a VM disk to another storage: old volume kept as unused0, or deleted", async () => {
    mock.state.storages.set("fast", {
      storage: "fast",
      type: "lvmthin",
      content: ["images", "rootdir"],
      shared: false,
      total: 2 ** 40,
      baseUsed: 0,
      enabled: true,
    });
    const moved = await task("POST", "/nodes/pve1/qemu/100/move_disk", {
      disk: "scsi0",
      storage: "fast",
    });
    expect(moved.upid).toContain(":qmmove:100:");
    expect(moved.log[0]).toBe("create full clone of drive scsi0 (local-lvm:vm-100-disk-0)");
    expect(guest(100).config.scsi0).toBe("fast:vm-100-disk-0,iothread=1,size=32G");
    expect(guest(100).config.unused0).toBe("local-lvm:vm-100-disk-0");
    const same = await s.call("POST", "/nodes/pve1/qemu/100/move_disk", {
      disk: "scsi0",
      storage: "fast",
    });
    expect(same.reason).toBe("you can't move to the same storage with same format");
    const busy = await s.call("POST", "/nodes/pve1/lxc/200/move_volume", {
      volume: "rootfs",
      storage: "fast",
    });
    expect(busy.reason).toBe("cannot move volumes of a running container");
    await task("POST", "/nodes/pve1/lxc/200/status/stop");
    await task("POST", "/nodes/pve1/lxc/200/move_volume", {
      volume: "rootfs",
      storage: "fast",
      delete: 1,
    });
    expect(guest(200).config.rootfs).toBe("fast:vm-200-disk-0,size=8G");
    expect(mock.state.volumes.some((v) => v.volid === "local-lvm:vm-200-disk-0")).toBe(false);
  });

  test("a storage without images content and a cdrom are refused", async () => {
    const res = await s.call("POST", "/nodes/pve1/qemu/100/move_disk", {
      disk: "scsi0",
      storage: "local",
    });
    expect(res.reason).toBe("storage 'local' does not support content-type 'images'");
    const cd = await s.call("POST", "/nodes/pve1/qemu/100/move_disk", {
      disk: "ide2",
      storage: "local-lvm",
    });
    expect(cd.reason).toBe("you can't move a cdrom");
  });
});

describe("templates and container clones", () => {
  test("qm template is a task, pct template is synchronous; running guests refused", async () => {
    const running = await s.call("POST", "/nodes/pve1/qemu/100/template");
    expect(running.reason).toBe("you can't convert a VM to template if VM is running");
    const t = await task("POST", "/nodes/pve2/qemu/102/template");
    expect(t.upid).toContain(":qmtemplate:102:");
    expect(guest(102).config.template).toBe(1);
    expect(guest(102).config.efidisk0).toContain("local-lvm:base-102-disk-1");
    const ct = await s.call("POST", "/nodes/pve2/lxc/201/template");
    expect(ct.json).toEqual({ data: null });
    expect(guest(201).config.rootfs).toBe("local-lvm:base-201-disk-0,size=8G");
  });

  test("clone a container: new MAC, its own volume; an existing id is refused", async () => {
    const c = await task("POST", "/nodes/pve1/lxc/200/clone", { newid: 240, hostname: "dns-02" });
    expect(c.upid).toContain(":vzclone:200:");
    const g = guest(240);
    expect(g.config.hostname).toBe("dns-02");
    expect(g.config.rootfs).toBe("local-lvm:vm-240-disk-0,size=8G");
    expect(g.config.net0).not.toBe(guest(200).config.net0);
    const taken = await s.call("POST", "/nodes/pve1/lxc/200/clone", { newid: 240 });
    expect(taken.reason).toBe("unable to create CT 240: config file already exists");
  });
});
