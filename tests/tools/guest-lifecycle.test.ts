// Create, clone, template, delete, migrate, reset, suspend/resume and the next vmid, through a
// real MCP client against the mock.

import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { type Harness, startHarness } from "../support/harness.ts";

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(() => h.close());

const guest = (vmid: number) => h.guest(vmid);
const writes = () => h.writes().map((r) => `${r.method} ${r.path}`);

describe("next vmid", () => {
  test("get_next_vmid gives the first free id; a taken one is reported, not an error", async () => {
    expect(await h.ok("get_next_vmid")).toEqual({ vmid: 106, free: true });
    expect(await h.ok("get_next_vmid", { vmid: 150 })).toEqual({ vmid: 150, free: true });
    expect(await h.ok("get_next_vmid", { vmid: 100 })).toEqual({
      vmid: 100,
      free: false,
      reason: "VM 100 already exists",
    });
  });
});

const APP_01 = {
  node: "pve1",
  name: "app-01",
  memory: 2048,
  cores: 2,
  storage: "local-lvm",
  disk_gb: 16,
  iso: "local:iso/debian-13.1.0-amd64-netinst.iso",
  pool: "lab",
  agent: true,
};

describe("create", () => {
  test("create_vm without vmid takes the next free one, with a disk, a NIC and a pool", async () => {
    h.mock.requests.length = 0;
    const r = await h.ok<{ vmid: number; task_status: string; upid: string }>("create_vm", APP_01);
    expect(r.vmid).toBe(106);
    expect(r.upid).toContain(":qmcreate:106:");
    const [req] = h.writes();
    expect(req?.path).toBe("/nodes/pve1/qemu");
    expect(req?.params).toMatchObject({
      vmid: "106",
      scsi0: "local-lvm:16",
      scsihw: "virtio-scsi-single",
      ide2: "local:iso/debian-13.1.0-amd64-netinst.iso,media=cdrom",
      net0: "virtio,bridge=vmbr0",
      pool: "lab",
      agent: "1",
    });
    const g = guest(106);
    expect(g.lock).toBeUndefined();
    expect(g.pool).toBe("lab");
    expect(g.config.scsi0).toBe("local-lvm:vm-106-disk-0,size=16G");
    expect(g.config.memory).toBe("2048");
  });

  test("create_vm refuses disk_gb without storage before sending anything", async () => {
    h.mock.requests.length = 0;
    const text = await h.fails("create_vm", { node: "pve1", disk_gb: 8 });
    expect(text).toContain("disk_gb needs storage");
    expect(h.mock.requests).toEqual([]);
  });

  test("create_vm on a taken vmid: PVE's words", async () => {
    const text = await h.fails("create_vm", { node: "pve2", vmid: 100 });
    expect(text).toContain("unable to create VM 100 - VM 100 already exists on node 'pve1'");
  });

  test("create_container: template, root disk, unprivileged, started; the password is not echoed", async () => {
    h.mock.requests.length = 0;
    const r = await h.call("create_container", {
      node: "pve2",
      vmid: 220,
      ostemplate: "local:vztmpl/debian-13-standard_13.1-2_amd64.tar.zst",
      hostname: "cache-01",
      password: "s3cret-pass",
      disk_gb: 4,
      start: true,
    });
    expect(r.isError).toBeFalsy();
    expect(JSON.stringify(r)).not.toContain("s3cret-pass");
    expect(h.writes()[0]?.params).toMatchObject({
      vmid: "220",
      rootfs: "local-lvm:4",
      unprivileged: "1",
      net0: "name=eth0,bridge=vmbr0,ip=dhcp",
      start: "1",
    });
    const g = guest(220);
    expect([g.type, g.node, g.status, g.config.hostname]).toEqual([
      "lxc",
      "pve2",
      "running",
      "cache-01",
    ]);
    expect(g.config.rootfs).toBe("local-lvm:vm-220-disk-0,size=4G");
  });
});

describe("clone and template", () => {
  test("clone_vm of a template makes a linked clone under the next free id", async () => {
    const r = await h.ok<{ vmid: number; source_vmid: number; node: string; message: string }>(
      "clone_vm",
      { vmid: 104, name: "from-template" },
    );
    expect(r).toMatchObject({ source_vmid: 104, node: "pve3" });
    const clone = guest(r.vmid);
    expect(clone.config.name).toBe("from-template");
    // LVM-thin does not name the base in a linked clone's volume ID.
    expect(String(clone.config.scsi0)).toStartWith(`local-lvm:vm-${r.vmid}-disk-0,`);
  });

  test("clone_vm with the seed's arguments clones a container (hostname, newid)", async () => {
    h.mock.requests.length = 0;
    await h.ok("clone_vm", { node: "pve1", vmid: 200, newid: 230, name: "dns-02", type: "lxc" });
    expect(writes()).toEqual(["POST /nodes/pve1/lxc/200/clone"]);
    expect(h.writes()[0]?.params).toEqual({ newid: "230", hostname: "dns-02" });
    const g = guest(230);
    expect([g.type, g.config.hostname, g.lock]).toEqual(["lxc", "dns-02", undefined]);
    expect(g.config.rootfs).toBe("local-lvm:vm-230-disk-0,size=8G");
  });

  test("convert_to_template refuses a running guest, then converts a stopped one", async () => {
    expect((await h.ok<{ vmid: number }>("create_vm", APP_01)).vmid).toBe(106);
    h.mock.requests.length = 0;
    expect(guest(200).status).toBe("running");
    const text = await h.fails("convert_to_template", { vmid: 200 });
    expect(text).toContain("is running");
    expect(h.writes()).toEqual([]);
    await h.ok("convert_to_template", { vmid: 106 });
    expect(guest(106).config.template).toBe(1);
    expect(guest(106).config.scsi0).toBe("local-lvm:base-106-disk-0,size=16G");
    const again = await h.fails("convert_to_template", { vmid: 106 });
    expect(again).toContain("you can't convert a template to a template");
  });
});

describe("delete", () => {
  test("a protected VM is refused before any delete is sent", async () => {
    h.mock.requests.length = 0;
    const text = await h.fails("delete_vm", { vmid: 101 });
    expect(text).toContain("is protected (protection=1)");
    expect(writes()).toEqual([]);
    expect(h.mock.state.guests.has(101)).toBe(true);
  });

  test("a running VM is refused unless stop is true; then it is stopped and deleted", async () => {
    h.mock.requests.length = 0;
    const text = await h.fails("delete_vm", { vmid: 105 });
    expect(text).toContain("is running");
    expect(text).toContain("stop: true");
    expect(writes()).toEqual([]);
    const r = await h.ok<{ message: string; stopped_first: boolean }>("delete_vm", {
      vmid: 105,
      stop: true,
    });
    expect(r.stopped_first).toBe(true);
    expect(r.message).toContain("stopped and deleted VM 105");
    expect(writes()).toEqual([
      "POST /nodes/pve3/qemu/105/status/stop",
      "DELETE /nodes/pve3/qemu/105",
    ]);
    expect(h.writes()[1]?.params).toEqual({ purge: "1", "destroy-unreferenced-disks": "1" });
    expect(h.mock.state.guests.has(105)).toBe(false);
    expect(h.mock.state.volumes.some((v) => v.volid === "local-lvm:vm-105-disk-0")).toBe(false);
  });

  test("delete_vm refuses a container; delete_container stops with force and deletes", async () => {
    const text = await h.fails("delete_vm", { vmid: 201 });
    expect(text).toContain("Use delete_container");
    h.mock.requests.length = 0;
    expect(guest(202).status).toBe("running");
    await h.ok("delete_container", { vmid: 202, stop: true, purge: false });
    expect(writes()).toEqual(["DELETE /nodes/pve3/lxc/202"]);
    expect(h.writes()[0]?.params).toMatchObject({ force: "1", purge: "0" });
    expect(h.mock.state.guests.has(202)).toBe(false);
  });
});

describe("migrate", () => {
  test("a running VM needs online: refused before sending; online moves it live", async () => {
    h.mock.requests.length = 0;
    const text = await h.fails("migrate_vm", { vmid: 100, target_node: "pve2" });
    expect(text).toContain("online: true");
    expect(writes()).toEqual([]);
    const r = await h.ok<{ node: string; from_node: string; message: string }>("migrate_vm", {
      node: "pve1",
      vmid: 100,
      target_node: "pve2",
      online: true,
    });
    expect(r).toMatchObject({ node: "pve2", from_node: "pve1" });
    expect(h.writes()[0]?.params).toEqual({ target: "pve2", online: "1" });
    expect(guest(100).node).toBe("pve2");
  });

  test("a running container moves with a restart migration", async () => {
    await h.ok("migrate_vm", { vmid: 202, target_node: "pve1", online: true });
    expect(h.writes().at(-1)?.params).toEqual({ target: "pve1", restart: "1" });
    expect([guest(202).node, guest(202).status]).toEqual(["pve1", "running"]);
  });
});

describe("reset, suspend, resume", () => {
  test("reset_vm takes the seed's string vm_id", async () => {
    h.mock.requests.length = 0;
    const r = await h.ok<{ upid: string }>("reset_vm", { vm_id: "103" });
    expect(r.upid).toContain(":qmreset:103:");
    expect(writes()).toEqual(["POST /nodes/pve2/qemu/103/status/reset"]);
  });

  test("reset_vm of a stopped VM says to start it", async () => {
    const text = await h.fails("reset_vm", { vmid: 102 });
    expect(text).toContain("VM 102 not running");
    expect(text).toContain("start_vm");
  });

  test("reset_vm without any id sends nothing", async () => {
    h.mock.requests.length = 0;
    expect(await h.fails("reset_vm", {})).toContain("pass vmid");
    expect(h.mock.requests).toEqual([]);
  });

  test("reset_container (container_id) stops and starts the container", async () => {
    h.mock.requests.length = 0;
    await h.ok("reset_container", { container_id: "200" });
    expect(writes()).toEqual([
      "POST /nodes/pve1/lxc/200/status/stop",
      "POST /nodes/pve1/lxc/200/status/start",
    ]);
    expect(guest(200).status).toBe("running");
  });

  test("suspend_vm pauses, resume_vm continues; repeating is a no-op", async () => {
    await h.ok("suspend_vm", { vmid: 103 });
    expect(guest(103).qmpstatus).toBe("paused");
    h.mock.requests.length = 0;
    const again = await h.ok<{ message: string }>("suspend_vm", { vmid: 103 });
    expect(again.message).toContain("already paused");
    expect(writes()).toEqual([]);
    const r = await h.ok<{ qmpstatus: string }>("resume_vm", { vmid: 103 });
    expect(r.qmpstatus).toBe("running");
    expect(guest(103).qmpstatus).toBe("running");
  });
});
