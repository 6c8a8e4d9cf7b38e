// Guest lifecycle: power transitions and their error matrix, config, create, clone, delete, migrate.
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import type { MockServer } from "../../src/mock/index.ts";
import { login, type Session, startTestMock, taskLog, waitTask } from "./helpers.ts";

let mock: MockServer;
let s: Session;
beforeEach(async () => {
  mock = await startTestMock({ taskDurationMs: 250 });
  s = await login(mock);
});
afterEach(() => mock.stop());

const upidOf = async (
  method: string,
  path: string,
  params: Record<string, string | number> = {},
) => {
  const res = await s.call(method, path, params);
  expect(res.status).toBe(200);
  expect(res.json.data).toStartWith("UPID:");
  return res.json.data as string;
};
const fails = async (
  method: string,
  path: string,
  reason: string,
  params: Record<string, string | number> = {},
) => {
  const res = await s.call(method, path, params);
  expect([res.status, res.reason]).toEqual([500, reason]);
};

describe("qemu power", () => {
  test("stop, then start: running while the task runs, state changes when it ends", async () => {
    const stop = await upidOf("POST", "/nodes/pve1/qemu/100/status/stop");
    const running = await s.call("GET", `/nodes/pve1/tasks/${encodeURIComponent(stop)}/status`);
    expect(running.json.data.status).toBe("running");
    expect(running.json.data.exitstatus).toBeUndefined();
    expect(mock.state.guests.get(100)?.status).toBe("running");
    const done = await waitTask(s, stop);
    expect(done.exitstatus).toBe("OK");
    expect(Object.keys(done).sort()).toEqual([
      "exitstatus",
      "id",
      "node",
      "pid",
      "pstart",
      "starttime",
      "status",
      "type",
      "upid",
      "user",
    ]);
    const cur = (await s.call("GET", "/nodes/pve1/qemu/100/status/current")).json.data;
    expect([cur.status, cur.qmpstatus, cur.uptime, cur.pid]).toEqual([
      "stopped",
      "stopped",
      0,
      undefined,
    ]);
    expect(
      (await waitTask(s, await upidOf("POST", "/nodes/pve1/qemu/100/status/start"))).exitstatus,
    ).toBe("OK");
    expect(mock.state.guests.get(100)?.status).toBe("running");
  });

  test("start when running: 200 + UPID, the task fails", async () => {
    const upid = await upidOf("POST", "/nodes/pve1/qemu/100/status/start");
    expect((await waitTask(s, upid)).exitstatus).toBe("VM 100 already running");
    expect((await taskLog(s, upid)).at(-1)).toBe("TASK ERROR: VM 100 already running");
  });

  test("start of a missing VM: the task fails with the config error", async () => {
    const upid = await upidOf("POST", "/nodes/pve1/qemu/999/status/start");
    expect((await waitTask(s, upid)).exitstatus).toBe(
      "Configuration file 'nodes/pve1/qemu-server/999.conf' does not exist",
    );
  });

  test("start of a template and of a locked VM fail in the task", async () => {
    expect(
      (await waitTask(s, await upidOf("POST", "/nodes/pve3/qemu/104/status/start"))).exitstatus,
    ).toBe("you can't start a vm if it's a template");
    const g = mock.state.guests.get(102);
    if (g) g.lock = "backup";
    expect(
      (await waitTask(s, await upidOf("POST", "/nodes/pve2/qemu/102/status/start"))).exitstatus,
    ).toBe("VM is locked (backup)");
  });

  test("stop and shutdown of a stopped VM are no-ops that end OK", async () => {
    expect(
      (await waitTask(s, await upidOf("POST", "/nodes/pve2/qemu/102/status/stop"))).exitstatus,
    ).toBe("OK");
    expect(
      (await waitTask(s, await upidOf("POST", "/nodes/pve2/qemu/102/status/shutdown"))).exitstatus,
    ).toBe("OK");
  });

  test("reset, reboot, suspend, resume of a stopped VM: 500 not running", async () => {
    for (const action of ["reset", "reboot", "suspend", "resume"]) {
      await fails("POST", `/nodes/pve2/qemu/102/status/${action}`, "VM 102 not running");
    }
  });

  test("paused VM: shutdown refused unless forceStop; resume runs it", async () => {
    await fails("POST", "/nodes/pve3/qemu/105/status/shutdown", "VM is paused - cannot shutdown");
    expect((await s.call("GET", "/nodes/pve3/qemu/105/status/current")).json.data).toMatchObject({
      status: "running",
      qmpstatus: "paused",
    });
    await waitTask(s, await upidOf("POST", "/nodes/pve3/qemu/105/status/resume"));
    expect(mock.state.guests.get(105)?.qmpstatus).toBe("running");
    await waitTask(s, await upidOf("POST", "/nodes/pve3/qemu/105/status/suspend"));
    expect(mock.state.guests.get(105)?.qmpstatus).toBe("paused");
    await waitTask(
      s,
      await upidOf("POST", "/nodes/pve3/qemu/105/status/shutdown", { forceStop: 1 }),
    );
    expect(mock.state.guests.get(105)?.status).toBe("stopped");
  });

  test("HA-managed VM: stop goes through the HA manager", async () => {
    const upid = await upidOf("POST", "/nodes/pve2/qemu/103/status/stop");
    expect(upid).toContain(":hastop:103:");
    await waitTask(s, upid);
    expect(await taskLog(s, upid)).toEqual(["Requesting HA stop for VM 103", "TASK OK"]);
    expect(mock.state.guests.get(103)?.status).toBe("stopped");
  });

  test("skiplock is root@pam's only", async () => {
    const a = await login(mock, mock.credentials.auditorUser, mock.credentials.auditorPassword);
    mock.state.acl.push({
      path: "/vms/102",
      ugid: "auditor@pve",
      roleid: "PVEVMUser",
      propagate: true,
    });
    const res = await a.call("POST", "/nodes/pve2/qemu/102/status/start", { skiplock: 1 });
    expect(res.status).toBe(400);
    expect(res.json.errors).toEqual({ skiplock: "Only root may use this option." });
  });

  test("failTask and hangTasks faults; DELETE stops a hanging task", async () => {
    mock.faults.failTask.set("qmstop", "timeout waiting on systemd");
    const upid = await upidOf("POST", "/nodes/pve1/qemu/100/status/stop");
    expect((await waitTask(s, upid)).exitstatus).toBe("timeout waiting on systemd");
    expect(mock.state.guests.get(100)?.status).toBe("running");
    mock.faults.failTask.clear();
    mock.faults.hangTasks.add("qmshutdown");
    const hang = await upidOf("POST", "/nodes/pve1/qemu/100/status/shutdown");
    // A task started after it ends in its time; the hanging one still runs.
    const after = await upidOf("POST", "/nodes/pve1/lxc/200/status/stop");
    expect((await waitTask(s, after)).exitstatus).toBe("OK");
    const st = await s.call("GET", `/nodes/pve1/tasks/${encodeURIComponent(hang)}/status`);
    expect(st.json.data.status).toBe("running");
    expect((await s.call("DELETE", `/nodes/pve1/tasks/${encodeURIComponent(hang)}`)).json).toEqual({
      data: null,
    });
    expect((await waitTask(s, hang)).exitstatus).toBe("interrupted by signal");
    expect((await taskLog(s, hang)).at(-1)).toBe("TASK ERROR: interrupted by signal");
  });
});

describe("lxc power", () => {
  test("start when running and stop when stopped: 500 at once", async () => {
    await fails("POST", "/nodes/pve1/lxc/200/status/start", "CT 200 already running");
    await fails("POST", "/nodes/pve2/lxc/201/status/stop", "CT 201 not running");
    await fails("POST", "/nodes/pve2/lxc/201/status/shutdown", "CT 201 not running");
    await fails("POST", "/nodes/pve2/lxc/201/status/reboot", "CT 201 not running");
    await fails(
      "POST",
      "/nodes/pve1/lxc/999/status/start",
      "Configuration file 'nodes/pve1/lxc/999.conf' does not exist",
    );
  });

  test("start then shutdown", async () => {
    const up = await upidOf("POST", "/nodes/pve2/lxc/201/status/start");
    expect(up).toContain(":vzstart:201:root@pam:");
    await waitTask(s, up);
    const cur = (await s.call("GET", "/nodes/pve2/lxc/201/status/current")).json.data;
    expect(cur).toMatchObject({
      vmid: 201,
      name: "proxy-01",
      type: "lxc",
      status: "running",
      maxmem: 1073741824,
    });
    await waitTask(s, await upidOf("POST", "/nodes/pve2/lxc/201/status/shutdown"));
    expect(mock.state.guests.get(201)?.status).toBe("stopped");
  });

  test("reset does not exist for containers", async () => {
    expect((await s.call("POST", "/nodes/pve1/lxc/200/status/reset")).status).toBe(501);
  });
});

describe("config", () => {
  test("GET config: flat keys, memory as a string, digest", async () => {
    const d = (await s.call("GET", "/nodes/pve1/qemu/100/config")).json.data;
    expect(d).toMatchObject({
      name: "web-01",
      memory: "4096",
      cores: 2,
      tags: "prod;web",
      agent: "1",
    });
    expect(d.digest).toMatch(/^[0-9a-f]{40}$/);
    expect(d.net0).toMatch(/^virtio=BC:24:11:[0-9A-F:]{8},bridge=vmbr0,firewall=1$/);
    const ct = (await s.call("GET", "/nodes/pve1/lxc/200/config")).json.data;
    expect(ct).toMatchObject({ hostname: "dns-01", memory: 512, swap: 512 });
  });

  test("PUT config: typed values, tags normalised, delete, digest check", async () => {
    const before = (await s.call("GET", "/nodes/pve2/qemu/102/config")).json.data.digest;
    const res = await s.call("PUT", "/nodes/pve2/qemu/102/config", {
      memory: 12288,
      cores: 6,
      tags: "Web,prod web",
      onboot: 1,
      delete: "numa",
      digest: before,
    });
    expect(res.json).toEqual({ data: null });
    const d = (await s.call("GET", "/nodes/pve2/qemu/102/config")).json.data;
    expect(d).toMatchObject({ memory: "12288", cores: 6, tags: "prod;web", onboot: 1 });
    expect(d.numa).toBeUndefined();
    await fails(
      "PUT",
      "/nodes/pve2/qemu/102/config",
      "checksum mismatch (file change by other user?)",
      { name: "x", digest: before },
    );
  });

  test("POST config returns a qmconfig task; locked guests refuse changes", async () => {
    const upid = await upidOf("POST", "/nodes/pve1/qemu/100/config", { description: "hello" });
    expect(upid).toContain(":qmconfig:100:");
    expect((await waitTask(s, upid)).exitstatus).toBe("OK");
    expect(mock.state.guests.get(100)?.config.description).toBe("hello");
    const g = mock.state.guests.get(200);
    if (g) g.lock = "backup";
    await fails("PUT", "/nodes/pve1/lxc/200/config", "CT is locked (backup)", { memory: 1024 });
  });

  test("net[n] gets a Proxmox MAC; protected drives cannot be removed", async () => {
    await s.call("PUT", "/nodes/pve2/qemu/102/config", { net1: "virtio,bridge=vmbr1" });
    expect(mock.state.guests.get(102)?.config.net1).toMatch(
      /^virtio=BC:24:11:[0-9A-F]{2}:[0-9A-F]{2}:[0-9A-F]{2},bridge=vmbr1$/,
    );
    await fails(
      "PUT",
      "/nodes/pve1/qemu/101/config",
      "can't remove drive 'scsi1' - protection mode enabled",
      { delete: "scsi1" },
    );
  });
});

describe("create, clone, delete, migrate", () => {
  test("create a VM: locked 'create' while the task runs, then a stopped VM with its disk", async () => {
    const upid = await upidOf("POST", "/nodes/pve1/qemu", {
      vmid: 120,
      name: "new-vm",
      memory: 2048,
      cores: 2,
      scsi0: "local-lvm:16",
      net0: "virtio,bridge=vmbr0",
      ide2: "local:iso/debian-13.1.0-amd64-netinst.iso,media=cdrom",
    });
    expect(upid).toContain(":qmcreate:120:");
    expect(mock.state.guests.get(120)?.lock).toBe("create");
    await waitTask(s, upid);
    const d = (await s.call("GET", "/nodes/pve1/qemu/120/config")).json.data;
    expect(d.lock).toBeUndefined();
    expect(d.scsi0).toBe("local-lvm:vm-120-disk-0,size=16G");
    expect(d.memory).toBe("2048");
    expect(await taskLog(s, upid)).toContain(
      "scsi0: successfully created disk 'local-lvm:vm-120-disk-0,size=16G'",
    );
    const vols = (await s.call("GET", "/nodes/pve1/storage/local-lvm/content", { vmid: 120 })).json
      .data;
    expect(vols.map((v: { volid: string }) => v.volid)).toEqual(["local-lvm:vm-120-disk-0"]);
  });

  test("create with a taken vmid", async () => {
    await fails(
      "POST",
      "/nodes/pve2/qemu",
      "unable to create VM 100 - VM 100 already exists on node 'pve1'",
      { vmid: 100 },
    );
    expect((await s.call("GET", "/cluster/nextid", { vmid: 120 })).json).toEqual({ data: "120" });
  });

  test("create a container from a template, started", async () => {
    const upid = await upidOf("POST", "/nodes/pve3/lxc", {
      vmid: 210,
      hostname: "web-ct",
      ostemplate: "local:vztmpl/debian-13-standard_13.1-2_amd64.tar.zst",
      rootfs: "local-lvm:8",
      memory: 1024,
      net0: "name=eth0,bridge=vmbr0,ip=dhcp",
      password: "secret123",
      start: 1,
    });
    await waitTask(s, upid);
    const g = mock.state.guests.get(210);
    expect(g?.status).toBe("running");
    expect(g?.config).toMatchObject({
      hostname: "web-ct",
      memory: 1024,
      ostype: "debian",
      rootfs: "local-lvm:vm-210-disk-0,size=8G",
    });
    expect(String(g?.config.net0)).toMatch(
      /^name=eth0,bridge=vmbr0,hwaddr=BC:24:11:[0-9A-F:]{8},ip=dhcp,type=veth$/,
    );
    expect(g?.config.password).toBeUndefined();
  });

  test("clone: the target is locked 'clone', the source's config lock held; log grows", async () => {
    const upid = await upidOf("POST", "/nodes/pve2/qemu/102/clone", {
      newid: 130,
      name: "win-clone",
      full: 1,
    });
    expect(mock.state.guests.get(130)?.lock).toBe("clone");
    // The worker holds the source's config lock: the source shows no lock line of its own.
    expect(mock.state.guests.get(102)?.lock).toBeUndefined();
    const first = (await taskLog(s, upid)).length;
    let later = first;
    while (later <= first) later = (await taskLog(s, upid)).length; // the test's timeout bounds this
    expect((await waitTask(s, upid)).exitstatus).toBe("OK");
    const log = await taskLog(s, upid);
    expect(log[0]).toBe("create full clone of drive scsi0 (local-lvm:vm-102-disk-0)");
    expect(log).toContain("transferred 100.0 GiB of 100.0 GiB (100.00%)");
    expect(log.at(-1)).toBe("TASK OK");
    expect(mock.state.guests.get(102)?.lock).toBeUndefined();
    const d = (await s.call("GET", "/nodes/pve2/qemu/130/config")).json.data;
    expect(d).toMatchObject({
      name: "win-clone",
      scsi0: "local-lvm:vm-130-disk-0,iothread=1,size=100G",
    });
    expect(d.lock).toBeUndefined();
  });

  test("linked clone of a template; clone onto an existing id", async () => {
    const upid = await upidOf("POST", "/nodes/pve3/qemu/104/clone", { newid: 131 });
    await waitTask(s, upid);
    expect((await taskLog(s, upid))[0]).toBe(
      "create linked clone of drive scsi0 (local-lvm:base-104-disk-0)",
    );
    expect(mock.state.guests.get(131)?.config.name).toBe("Copy-of-VM-debian-template");
    await fails(
      "POST",
      "/nodes/pve3/qemu/104/clone",
      "unable to create VM 131: config file already exists",
      { newid: 131 },
    );
  });

  test("delete: error matrix, then removal when the task ends", async () => {
    // Long enough that the task is surely still running when first looked at.
    await mock.stop();
    mock = await startTestMock({ taskDurationMs: 600 });
    s = await login(mock);
    await fails("DELETE", "/nodes/pve1/qemu/100", "VM 100 is running - destroy failed");
    await fails("DELETE", "/nodes/pve1/qemu/101", "can't remove VM 101 - protection mode enabled");
    await fails(
      "DELETE",
      "/nodes/pve2/qemu/103",
      "unable to remove VM 103 - used in HA resources and purge parameter not set.",
    );
    await fails("DELETE", "/nodes/pve1/lxc/200", "unable to destroy CT 200 - container is running");
    const upid = await upidOf("DELETE", "/nodes/pve2/qemu/102");
    expect(upid).toContain(":qmdestroy:102:");
    expect(mock.state.guests.has(102)).toBe(true);
    await waitTask(s, upid);
    expect(mock.state.guests.has(102)).toBe(false);
    expect(mock.state.volumes.some((v) => v.vmid === 102 && v.content === "images")).toBe(false);
    expect(await taskLog(s, upid)).toContain(
      '  Logical volume "vm-102-disk-0" successfully removed.',
    );
  });

  test("migrate: running without online refused; online moves the VM with timed log lines", async () => {
    await fails(
      "POST",
      "/nodes/pve1/qemu/100/migrate",
      "can't migrate running VM without --online",
      { target: "pve2" },
    );
    const same = await s.call("POST", "/nodes/pve1/qemu/100/migrate", { target: "pve1" });
    expect(same.json.errors).toEqual({ target: "target is local node." });
    const upid = await upidOf("POST", "/nodes/pve1/qemu/100/migrate", {
      target: "pve2",
      online: 1,
    });
    expect(mock.state.guests.get(100)?.lock).toBe("migrate");
    await waitTask(s, upid);
    const log = await taskLog(s, upid);
    expect(log[0]).toMatch(
      /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d starting migration of VM 100 to node 'pve2' \(10\.0\.0\.12\)$/,
    );
    expect(log.at(-2)).toMatch(/migration finished successfully \(duration 00:00:0\d\)$/);
    const g = mock.state.guests.get(100);
    expect([g?.node, g?.lock, g?.status]).toEqual(["pve2", undefined, "running"]);
    expect((await s.call("GET", "/nodes/pve2/qemu/100/config")).status).toBe(200);
  });

  test("lxc migrate of a running CT without restart fails in the task", async () => {
    const upid = await upidOf("POST", "/nodes/pve1/lxc/200/migrate", { target: "pve2" });
    expect((await waitTask(s, upid)).exitstatus).toBe("migration aborted");
    expect((await taskLog(s, upid)).at(-2)).toMatch(
      /ERROR: migration aborted \(duration 00:00:00\): running container can only be migrated in restart mode$/,
    );
    await waitTask(
      s,
      await upidOf("POST", "/nodes/pve1/lxc/200/migrate", { target: "pve2", restart: 1 }),
    );
    expect(mock.state.guests.get(200)).toMatchObject({ node: "pve2", status: "running" });
  });
});

describe("snapshots", () => {
  test("create, list, rollback, delete", async () => {
    const snap = await upidOf("POST", "/nodes/pve1/qemu/100/snapshot", {
      snapname: "before_upgrade",
      description: "pre",
    });
    expect(snap).toContain(":qmsnapshot:100:");
    expect(mock.state.guests.get(100)?.lock).toBe("snapshot");
    await waitTask(s, snap);
    expect(await taskLog(s, snap)).toEqual([
      '  Logical volume "snap_vm-100-disk-0_before_upgrade" created.',
      "TASK OK",
    ]);
    const list = (await s.call("GET", "/nodes/pve1/qemu/100/snapshot")).json.data;
    expect(list).toEqual([
      { name: "before_upgrade", description: "pre", snaptime: expect.any(Number), vmstate: 0 },
      { name: "current", description: "You are here!", parent: "before_upgrade", running: 1 },
    ]);
    // The worker checks the name while preparing: the task fails, not the call.
    const again = await upidOf("POST", "/nodes/pve1/qemu/100/snapshot", {
      snapname: "before_upgrade",
    });
    expect((await waitTask(s, again)).exitstatus).toBe(
      "snapshot name 'before_upgrade' already used",
    );
    await s.call("PUT", "/nodes/pve1/qemu/100/config", { memory: 8192 });
    await waitTask(
      s,
      await upidOf("POST", "/nodes/pve1/qemu/100/snapshot/before_upgrade/rollback"),
    );
    const g = mock.state.guests.get(100);
    expect([g?.config.memory, g?.status, g?.lock]).toEqual(["4096", "stopped", undefined]);
    await waitTask(s, await upidOf("DELETE", "/nodes/pve1/qemu/100/snapshot/before_upgrade"));
    expect(mock.state.guests.get(100)?.snapshots).toEqual([]);
    expect(mock.state.guests.get(100)?.config.parent).toBeUndefined();
    await fails("DELETE", "/nodes/pve1/qemu/100/snapshot/nope", "snapshot 'nope' does not exist");
  });
});
