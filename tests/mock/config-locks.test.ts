// Locks as in PVE: a worker (resize, start, move, clone, ...) holds the guest's config lock for its
// whole run; an edit meanwhile waits for it, or fails after PVE's timeout with PVE's text; the
// `lock` property (snapshot, backup, ...) shows in the config and refuses edits at once.
import { afterEach, expect, test } from "bun:test";
import type { MockOptions, MockServer } from "../../src/mock/index.ts";
import { login, type Session, startTestMock, taskLog, waitTask } from "./helpers.ts";

let mock: MockServer | undefined;
afterEach(() => mock?.stop());

async function start(options: MockOptions = {}): Promise<Session> {
  mock = await startTestMock({ taskDurationMs: 400, ...options });
  return login(mock);
}

const guest = (vmid: number) => mock?.state.guests.get(vmid);

test("an edit during a resize waits for it: both land, nothing is half-written", async () => {
  const s = await start();
  const resize = await s.call("PUT", "/nodes/pve2/qemu/102/resize", { disk: "scsi0", size: "+4G" });
  const upid = resize.json.data as string;
  const edit = await s.call("PUT", "/nodes/pve2/qemu/102/config", { delete: "scsi0" });
  expect(edit.status).toBe(200);
  // The edit answered only after the resize ended.
  const status = await s.call("GET", `/nodes/pve2/tasks/${encodeURIComponent(upid)}/status`);
  expect(status.json.data.exitstatus).toBe("OK");
  const config = guest(102)?.config ?? {};
  expect(config.scsi0).toBeUndefined();
  expect(config.unused0).toBe("local-lvm:vm-102-disk-0");
  const volume = mock?.state.volumes.find((v) => v.volid === "local-lvm:vm-102-disk-0");
  expect(volume?.size).toBe(104 * 2 ** 30);
  expect(Object.values(config).some((v) => String(v).startsWith("undefined"))).toBe(false);
});

test("an edit while a worker hangs fails after the timeout, as PVE words it", async () => {
  const s = await start({ lockTimeoutMs: 150 });
  mock?.faults.hangTasks.add("resize");
  await s.call("PUT", "/nodes/pve2/qemu/102/resize", { disk: "scsi0", size: "+1G" });
  const vm = await s.call("PUT", "/nodes/pve2/qemu/102/config", { cores: 8 });
  expect([vm.status, vm.reason]).toEqual([
    500,
    "can't lock file '/var/lock/qemu-server/lock-102.conf' - got timeout",
  ]);
  expect(guest(102)?.config.cores).toBe(4);
  await s.call("PUT", "/nodes/pve2/lxc/201/resize", { disk: "rootfs", size: "+1G" });
  const ct = await s.call("PUT", "/nodes/pve2/lxc/201/config", { cores: 4 });
  expect([ct.status, ct.reason]).toEqual([
    500,
    "can't lock file '/run/lock/lxc/pve-config-201.lock' - got timeout",
  ]);
});

test("an asynchronous edit is a worker that waits for the lock, then writes", async () => {
  const s = await start();
  const resize = await s.call("PUT", "/nodes/pve2/qemu/102/resize", { disk: "scsi0", size: "+1G" });
  const post = await s.call("POST", "/nodes/pve2/qemu/102/config", { cores: 6 });
  const upid = post.json.data as string;
  expect(upid).toContain(":qmconfig:102:");
  expect(guest(102)?.config.cores).toBe(4);
  expect((await waitTask(s, upid)).exitstatus).toBe("OK");
  expect((await waitTask(s, resize.json.data)).exitstatus).toBe("OK");
  expect(guest(102)?.config.cores).toBe(6);
  expect(await taskLog(s, upid)).toEqual([
    "trying to acquire lock... OK",
    "update VM 102: -cores 6",
    "TASK OK",
  ]);
});

test("a worker that cannot get the lock fails its task with the timeout", async () => {
  const s = await start({ lockTimeoutMs: 150 });
  mock?.faults.hangTasks.add("resize");
  await s.call("PUT", "/nodes/pve2/qemu/102/resize", { disk: "scsi0", size: "+1G" });
  const start2 = await s.call("POST", "/nodes/pve2/qemu/102/status/start");
  const done = await waitTask(s, start2.json.data);
  expect(done.exitstatus).toBe(
    "can't lock file '/var/lock/qemu-server/lock-102.conf' - got timeout",
  );
  expect(await taskLog(s, start2.json.data)).toEqual([
    "trying to acquire lock...",
    "TASK ERROR: can't lock file '/var/lock/qemu-server/lock-102.conf' - got timeout",
  ]);
  expect(guest(102)?.status).toBe("stopped");
});

test("the lock property shows in the config and refuses edits at once", async () => {
  const s = await start();
  mock?.faults.hangTasks.add("qmsnapshot");
  const snap = await s.call("POST", "/nodes/pve1/qemu/100/snapshot", { snapname: "pre" });
  expect(snap.status).toBe(200);
  const config = (await s.call("GET", "/nodes/pve1/qemu/100/config")).json.data;
  expect(config.lock).toBe("snapshot");
  const edit = await s.call("PUT", "/nodes/pve1/qemu/100/config", { cores: 3 });
  expect([edit.status, edit.reason]).toEqual([500, "VM is locked (snapshot)"]);
  const row = (await s.call("GET", "/cluster/resources", { type: "vm" })).json.data.find(
    (r: { vmid: number }) => r.vmid === 100,
  );
  expect(row.lock).toBe("snapshot");
});

test("clones of a stopped template share the lock; an edit waits for both", async () => {
  const s = await start();
  const a = await s.call("POST", "/nodes/pve3/qemu/104/clone", { newid: 150 });
  const b = await s.call("POST", "/nodes/pve3/qemu/104/clone", { newid: 151 });
  expect(await taskLog(s, b.json.data)).not.toContain("trying to acquire lock...");
  const edit = await s.call("PUT", "/nodes/pve3/qemu/104/config", { description: "base" });
  expect(edit.status).toBe(200);
  for (const upid of [a.json.data, b.json.data]) {
    const st = await s.call("GET", `/nodes/pve3/tasks/${encodeURIComponent(upid)}/status`);
    expect(st.json.data.exitstatus).toBe("OK");
  }
  expect([guest(150)?.lock, guest(151)?.lock]).toEqual([undefined, undefined]);
});
