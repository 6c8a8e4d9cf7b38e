// Backup tools through a real MCP client against the mock: vzdump creates an archive in the
// storage's content, list_backups finds it, restore_backup brings a guest back from it.

import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { type Harness, startHarness } from "../support/harness.ts";

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(() => h.close());

const guest = (vmid: number) => h.guest(vmid);
const writes = () => h.writes().map((r) => `${r.method} ${r.path}`);

interface Backup {
  volid: string;
  vmid: number;
  type: string;
  node?: string;
  protected: boolean;
  notes?: string;
}

describe("list_backups", () => {
  test("every backup storage of the cluster, newest first, shared ones once", async () => {
    const r = await h.ok<{ backups: Backup[]; total: number }>("list_backups");
    expect(r.total).toBe(6);
    expect(r.backups[0]?.volid).toBe("backups:backup/vzdump-lxc-202-2026_11_21-01_09_52.tar.zst");
    expect(r.backups.find((b) => b.volid.startsWith("local:"))?.node).toBe("pve1");
    expect(r.backups.find((b) => b.vmid === 101)?.protected).toBe(true);
  });

  test("seed arguments: node, storage and vmid filter", async () => {
    h.mock.requests.length = 0;
    const r = await h.ok<{ backups: Backup[] }>("list_backups", {
      node: "pve1",
      storage: "backups",
      vmid: 200,
    });
    expect(r.backups.map((b) => [b.volid, b.type])).toEqual([
      ["backups:backup/vzdump-lxc-200-2026_11_20-01_02_11.tar.zst", "lxc"],
    ]);
    expect(h.mock.requests.at(-1)?.params).toEqual({ content: "backup", vmid: "200" });
  });

  test("an unknown storage is explained", async () => {
    expect(await h.fails("list_backups", { storage: "nope" })).toContain(
      "storage nope is not available",
    );
  });
});

describe("create_backup", () => {
  test("vzdump with zstd: lock while running, the archive appears in the storage", async () => {
    h.mock.requests.length = 0;
    const r = await h.ok<{ archive: string; size: number; upid: string }>("create_backup", {
      vmid: 100,
      storage: "backups",
      notes: "{{guestname}} nightly",
      protected: true,
    });
    expect(writes()).toEqual(["POST /nodes/pve1/vzdump"]);
    expect(h.writes()[0]?.params).toEqual({
      vmid: "100",
      storage: "backups",
      mode: "snapshot",
      compress: "zstd",
      "notes-template": "{{guestname}} nightly",
      protected: "1",
    });
    expect(r.upid).toContain(":vzdump:100:");
    expect(r.archive).toMatch(
      /^backups:backup\/vzdump-qemu-100-\d{4}_\d\d_\d\d-\d\d_\d\d_\d\d\.vma\.zst$/,
    );
    const vol = h.mock.state.volumes.find((v) => v.volid === r.archive);
    expect(r.size).toBe(vol?.size ?? -1);
    expect(vol).toMatchObject({ vmid: 100, notes: "web-01 nightly", protected: true });
    expect(guest(100).lock).toBeUndefined();
    const log = await h.ok<{ lines: { t: string }[] }>("read_task_log", {
      upid: r.upid,
      limit: 100,
      start: 0,
    });
    const text = log.lines.map((l) => l.t);
    expect(text).toContain(
      "INFO:  12% (3.8 GiB of 32.0 GiB) in 2s, read: 1.6 GiB/s, write: 412.3 MiB/s",
    );
    expect(text.at(-1)).toBe("TASK OK");
  });

  test("a container backup with the default storage; a wrong storage is the task's error", async () => {
    const r = await h.ok<{ archive: string }>("create_backup", { vmid: 200, compress: "gzip" });
    expect(r.archive).toMatch(/^local:backup\/vzdump-lxc-200-.*\.tar\.gz$/);
    const text = await h.fails("create_backup", { vmid: 200, storage: "local-lvm" });
    expect(text).toContain(
      "could not get storage information for 'local-lvm': can't use storage 'local-lvm' for backups - wrong content type",
    );
  });

  test("a locked guest fails with vzdump's job errors", async () => {
    guest(202).lock = "snapshot";
    try {
      const text = await h.fails("create_backup", { vmid: 202, storage: "backups" });
      expect(text).toContain("job errors");
      expect(text).toContain("ERROR: Backup of VM 202 failed - CT is locked (snapshot)");
    } finally {
      delete guest(202).lock;
    }
  });
});

describe("restore_backup", () => {
  test("onto an existing guest without force: refused, nothing sent", async () => {
    h.mock.requests.length = 0;
    const text = await h.fails("restore_backup", {
      vmid: 102,
      archive: "backups:backup/vzdump-qemu-100-2026_11_21-01_00_02.vma.zst",
    });
    expect(text).toContain("VM 102 (win-build) on pve2 exists");
    expect(text).toContain("force: true");
    expect(writes()).toEqual([]);
  });

  test("as a new guest (next free id) on the original's node; the qmrestore log", async () => {
    h.mock.requests.length = 0;
    const r = await h.ok<{ vmid: number; node: string; upid: string; overwrote: boolean }>(
      "restore_backup",
      { archive: "backups:backup/vzdump-qemu-100-2026_11_21-01_00_02.vma.zst", unique: true },
    );
    expect(r).toMatchObject({ node: "pve1", overwrote: false });
    expect(writes()).toEqual(["POST /nodes/pve1/qemu"]);
    expect(h.writes()[0]?.params).toEqual({
      vmid: String(r.vmid),
      archive: "backups:backup/vzdump-qemu-100-2026_11_21-01_00_02.vma.zst",
      unique: "1",
    });
    const g = guest(r.vmid);
    expect([g.type, g.status, g.lock, g.config.name]).toEqual([
      "qemu",
      "stopped",
      undefined,
      "web-01",
    ]);
    expect(g.config.scsi0).toBe(`local-lvm:vm-${r.vmid}-disk-0,iothread=1,size=32G`);
    const log = await h.ok<{ lines: { t: string }[] }>("read_task_log", { upid: r.upid, tail: 30 });
    expect(log.lines[0]?.t).toStartWith(
      "restore vma archive: zstd -q -d -c /mnt/pve/backups/dump/",
    );
    expect(log.lines.map((l) => l.t)).toContain("rescan volumes...");
  });

  test("with force over a stopped container, from the backup just made", async () => {
    await h.ok("stop_container", { vmid: 200 });
    const made = await h.ok<{ archive: string }>("create_backup", {
      vmid: 200,
      storage: "backups",
    });
    guest(200).config.memory = 4096;
    h.mock.requests.length = 0;
    const r = await h.ok<{ overwrote: boolean; type: string }>("restore_backup", {
      vmid: 200,
      archive: made.archive,
      force: true,
    });
    expect(r).toMatchObject({ overwrote: true, type: "lxc" });
    expect(h.writes()[0]?.params).toMatchObject({
      ostemplate: made.archive,
      restore: "1",
      force: "1",
    });
    expect(guest(200).config.memory).toBe(512);
  });

  test("a running target is refused before anything is sent", async () => {
    h.mock.requests.length = 0;
    const text = await h.fails("restore_backup", {
      vmid: 100,
      archive: "backups:backup/vzdump-qemu-100-2026_11_21-01_00_02.vma.zst",
      force: true,
    });
    expect(text).toContain("is running");
    expect(writes()).toEqual([]);
  });

  test("a missing archive is PVE's error", async () => {
    const text = await h.fails("restore_backup", {
      node: "pve1",
      archive: "backups:backup/vzdump-qemu-100-2020_01_01-00_00_00.vma.zst",
    });
    expect(text).toContain(
      "volume 'backups:backup/vzdump-qemu-100-2020_01_01-00_00_00.vma.zst' does not exist",
    );
  });
});
