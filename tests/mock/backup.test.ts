// vzdump and restore in the mock, over plain HTTP: parameter checks, log lines, the archive in
// the storage's content, and PVE's restore refusals.
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import type { MockServer } from "../../src/mock/index.ts";
import { login, type Session, startTestMock, taskLog, waitTask } from "./helpers.ts";

let mock: MockServer;
let s: Session;
beforeEach(async () => {
  // Long enough that the guest's lock is still there when the test looks, on a loaded machine.
  mock = await startTestMock({ taskDurationMs: 150 });
  s = await login(mock);
});
afterEach(() => mock.stop());

const upid = async (method: string, path: string, params: Record<string, string | number>) => {
  const res = await s.call(method, path, params);
  expect([res.status, res.reason]).toEqual([200, "OK"]);
  return res.json.data as string;
};

describe("vzdump", () => {
  test("backs up a guest: guest locked while it runs, INFO lines with percent, archive listed", async () => {
    const id = await upid("POST", "/nodes/pve1/vzdump", {
      vmid: "100",
      storage: "backups",
      compress: "zstd",
      mode: "snapshot",
    });
    expect(id).toContain(":vzdump:100:root@pam:");
    expect(mock.state.guests.get(100)?.lock).toBe("backup");
    expect((await waitTask(s, id)).exitstatus).toBe("OK");
    expect(mock.state.guests.get(100)?.lock).toBeUndefined();
    const log = await taskLog(s, id);
    expect(log[0]).toBe(
      "INFO: starting new backup job: vzdump 100 --storage backups --compress zstd --mode snapshot",
    );
    expect(log).toContain("INFO: Starting Backup of VM 100 (qemu)");
    expect(log.some((l) => /^INFO: {2}12% \(/.test(l))).toBe(true);
    expect(log.some((l) => /^INFO: 100% \(/.test(l))).toBe(true);
    expect(log.slice(-2)).toEqual(["INFO: Backup job finished successfully", "TASK OK"]);
    const archive = /creating vzdump archive '\/mnt\/pve\/backups\/dump\/([^']+)'/.exec(
      log.join("\n"),
    )?.[1];
    const content = (
      await s.call("GET", "/nodes/pve2/storage/backups/content", { content: "backup", vmid: 100 })
    ).json.data;
    expect(content.map((c: { volid: string }) => c.volid)).toContain(`backups:backup/${archive}`);
  });

  test("parameter checks: no guest, vmid with all, a bad vmid list", async () => {
    const none = await s.call("POST", "/nodes/pve1/vzdump", { storage: "local" });
    expect([none.status, none.json.errors]).toEqual([400, { vmid: "property is missing" }]);
    const both = await s.call("POST", "/nodes/pve1/vzdump", { vmid: "100", all: 1 });
    expect(both.json.errors).toEqual({ all: "option conflicts with option 'vmid'" });
    const bad = await s.call("POST", "/nodes/pve1/vzdump", { vmid: "100,abc" });
    expect(bad.json.errors.vmid).toBe("invalid format - value does not look like a valid VM ID\n");
    const mode = await s.call("POST", "/nodes/pve1/vzdump", { vmid: "100", mode: "fast" });
    expect(mode.json.errors.mode).toContain("does not have a value in the enumeration");
  });

  test("guests of other nodes are skipped; a storage without backup content fails the task", async () => {
    const skip = await upid("POST", "/nodes/pve1/vzdump", { vmid: "100,102" });
    await waitTask(s, skip);
    expect(await taskLog(s, skip)).toContain("INFO: skip external VMs: 102");
    const wrong = await upid("POST", "/nodes/pve1/vzdump", { vmid: "100", storage: "local-lvm" });
    expect((await waitTask(s, wrong)).exitstatus).toBe(
      "could not get storage information for 'local-lvm': can't use storage 'local-lvm' for backups - wrong content type",
    );
  });
});

describe("restore", () => {
  const archive = "backups:backup/vzdump-qemu-100-2026_11_21-01_00_02.vma.zst";

  test("qemu: existing id without force, protected, running; a new id is restored", async () => {
    const taken = await s.call("POST", "/nodes/pve1/qemu", { vmid: 100, archive });
    expect(taken.reason).toBe("unable to restore VM 100 - VM 100 already exists on node 'pve1'");
    const prot = await s.call("POST", "/nodes/pve1/qemu", { vmid: 101, archive, force: 1 });
    expect(prot.reason).toBe("unable to restore VM 101 - - protection mode enabled");
    const running = await s.call("POST", "/nodes/pve1/qemu", { vmid: 100, archive, force: 1 });
    expect(running.reason).toBe("unable to restore VM 100 - vm is running");
    const id = await upid("POST", "/nodes/pve2/qemu", { vmid: 150, archive, storage: "local-lvm" });
    expect(id).toContain(":qmrestore:150:");
    expect(mock.state.guests.get(150)?.lock).toBe("create");
    await waitTask(s, id);
    const g = mock.state.guests.get(150);
    expect([g?.node, g?.lock, g?.config.name]).toEqual(["pve2", undefined, "web-01"]);
    const log = await taskLog(s, id);
    expect(log).toContain("new volume ID is 'local-lvm:vm-150-disk-0'");
    expect(log).toContain("map 'drive-scsi0' to '/dev/pve/vm-150-disk-0' (write zeros = 0)");
  });

  test("lxc: restore=1 with the archive as ostemplate; force over a stopped CT", async () => {
    const ct = "backups:backup/vzdump-lxc-200-2026_11_20-01_02_11.tar.zst";
    const taken = await s.call("POST", "/nodes/pve1/lxc", {
      vmid: 200,
      ostemplate: ct,
      restore: 1,
    });
    expect(taken.reason).toBe("CT 200 already exists on node 'pve1'");
    const busy = await s.call("POST", "/nodes/pve1/lxc", {
      vmid: 200,
      ostemplate: ct,
      restore: 1,
      force: 1,
    });
    expect(busy.reason).toBe("can't overwrite running container");
    const g = mock.state.guests.get(200);
    if (g) g.status = "stopped";
    const id = await upid("POST", "/nodes/pve1/lxc", {
      vmid: 200,
      ostemplate: ct,
      restore: 1,
      force: 1,
    });
    expect(id).toContain(":vzrestore:200:");
    await waitTask(s, id);
    const log = await taskLog(s, id);
    expect(log[0]).toBe(`recovering backed-up configuration from '${ct}'`);
    expect(log).toContain("merging backed-up and given configuration..");
  });
});
