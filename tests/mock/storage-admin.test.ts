// Storage definitions, downloads, volume deletion, pruning and node logs on the wire: PVE's
// exact 400/403/500 answers, task logs and paging.
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import type { MockServer } from "../../src/mock/index.ts";
import { login, type Session, startTestMock, taskLog, waitTask } from "./helpers.ts";

let mock: MockServer;
let root: Session;
let auditor: Session;
beforeEach(async () => {
  mock = await startTestMock({ taskDurationMs: 60 });
  root = await login(mock);
  auditor = await login(mock, mock.credentials.auditorUser, mock.credentials.auditorPassword);
});
afterEach(() => mock.stop());

/** The dir storage d1, as the create test below makes it. */
const createD1 = () =>
  root.call("POST", "/storage", { storage: "d1", type: "dir", path: "/srv/d1", content: "iso" });

describe("/storage", () => {
  test("index shows storage.cfg entries with one digest", async () => {
    const res = await root.call("GET", "/storage");
    const local = res.json.data.find((s: { storage: string }) => s.storage === "local");
    expect(local).toMatchObject({ type: "dir", path: "/var/lib/vz", content: "backup,iso,vztmpl" });
    expect(local.digest).toMatch(/^[0-9a-f]{40}$/);
  });

  test("create checks the type's options like SectionConfig", async () => {
    const missing = await root.call("POST", "/storage", {
      storage: "n1",
      type: "nfs",
      server: "nas",
    });
    expect([missing.status, missing.reason]).toEqual([
      500,
      "missing value for required option 'export'",
    ]);
    const wrong = await root.call("POST", "/storage", {
      storage: "d1",
      type: "dir",
      path: "/srv",
      share: "x",
    });
    expect(wrong.reason).toBe("unexpected property 'share'");
    const content = await root.call("POST", "/storage", {
      storage: "l1",
      type: "lvm",
      vgname: "vg",
      content: "iso",
    });
    expect(content.reason).toBe("storage does not support content type 'iso'");
    const ok = await root.call("POST", "/storage", {
      storage: "d1",
      type: "dir",
      path: "/srv/d1",
      content: "iso",
    });
    expect(ok.json.data).toEqual({ storage: "d1", type: "dir" });
  });

  test("update: delete of a required option, digest mismatch", async () => {
    await createD1();
    const req = await root.call("PUT", "/storage/d1", { delete: "path" });
    expect(req.reason).toBe("update storage failed: unable to delete required option 'path'");
    const stale = await root.call("PUT", "/storage/d1", { digest: "0".repeat(40), disable: 1 });
    expect(stale.reason).toBe(
      "update storage failed: detected modified configuration - file changed by other user? Try again.",
    );
  });

  test("the auditor gets PVE's 403 naming path and privilege", async () => {
    await createD1();
    const res = await auditor.call("DELETE", "/storage/d1");
    expect([res.status, res.reason]).toEqual([
      403,
      "Permission check failed (/storage, Datastore.Allocate)",
    ]);
    expect((await root.call("DELETE", "/storage/d1")).status).toBe(200);
  });

  test("a bad prune-backups value is a 400 for that parameter", async () => {
    const res = await root.call("PUT", "/storage/backups", { "prune-backups": "keep-often=2" });
    expect(res.status).toBe(400);
    expect(res.json.errors).toEqual({
      "prune-backups":
        "invalid format - invalid key in comma-separated list property: keep-often\n",
    });
  });
});

describe("download-url", () => {
  test("wget lines, then the file; a second download is refused", async () => {
    const params = {
      url: "http://download.proxmox.com/images/system/alpine-3.23-default_20260101_amd64.tar.xz",
      filename: "alpine-3.23-default_20260101_amd64.tar.xz",
      content: "vztmpl",
    };
    const res = await root.call("POST", "/nodes/pve2/storage/local/download-url", params);
    const upid: string = res.json.data;
    expect(upid).toContain(":download:alpine-3.23-default_20260101_amd64.tar.xz:root@pam:");
    expect((await waitTask(root, upid)).exitstatus).toBe("OK");
    const log = await taskLog(root, upid);
    expect(log[0]).toBe(
      `downloading ${params.url} to /var/lib/vz/template/cache/${params.filename}`,
    );
    expect(log).toContain("HTTP request sent, awaiting response... 200 OK");
    expect(log.at(-2)).toBe(
      `download of '${params.url}' to '/var/lib/vz/template/cache/${params.filename}' finished`,
    );
    const again = await root.call("POST", "/nodes/pve2/storage/local/download-url", params);
    const st = await waitTask(root, again.json.data);
    expect(st.exitstatus).toBe(
      `refusing to override existing file '/var/lib/vz/template/cache/${params.filename}'`,
    );
  });

  test("parameter errors: URL pattern, extension, content the storage lacks", async () => {
    const url = await root.call("POST", "/nodes/pve1/storage/local/download-url", {
      url: "ftp://x/y.iso",
      filename: "y.iso",
      content: "iso",
    });
    expect(url.json.errors).toEqual({ url: "value does not match the regex pattern" });
    const ext = await root.call("POST", "/nodes/pve1/storage/local/download-url", {
      url: "https://x/y.zip",
      filename: "y.zip",
      content: "iso",
    });
    expect(ext.json.errors).toEqual({ filename: "wrong file extension" });
    const content = await root.call("POST", "/nodes/pve1/storage/backups/download-url", {
      url: "https://x/y.iso",
      filename: "y.iso",
      content: "iso",
    });
    expect(content.reason).toBe("storage 'backups' is not configured for content-type 'iso'");
  });

  test("an unresolvable host fails the task the way wget does", async () => {
    const res = await root.call("POST", "/nodes/pve1/storage/local/download-url", {
      url: "https://mirror.invalid/x.iso",
      filename: "x.iso",
      content: "iso",
    });
    const st = await waitTask(root, res.json.data);
    expect(st.exitstatus).toMatch(/^download failed: command 'wget .*' failed: exit code 4$/);
  });
});

describe("content and pruning", () => {
  test("deleting a protected backup fails in the task", async () => {
    const volid = "backups:backup/vzdump-qemu-101-2026_11_21-01_03_41.vma.zst";
    const res = await root.call(
      "DELETE",
      `/nodes/pve1/storage/backups/content/${encodeURIComponent(volid)}`,
    );
    const st = await waitTask(root, res.json.data);
    expect(st.exitstatus).toBe(
      "cannot remove protected volume 'backup/vzdump-qemu-101-2026_11_21-01_03_41.vma.zst' on 'backups'",
    );
    expect(res.json.data).toContain(":imgdel:101@backups:");
  });

  test("a volid of another storage is a 400", async () => {
    const res = await root.call(
      "DELETE",
      `/nodes/pve1/storage/local/content/${encodeURIComponent("backups:backup/x.vma.zst")}`,
    );
    expect(res.json.errors).toEqual({ volume: "storage ID mismatch (backups != local)\n" });
  });

  test("prune preview: keep-daily keeps one per day per guest", async () => {
    const res = await root.call("GET", "/nodes/pve1/storage/backups/prunebackups", {
      "prune-backups": "keep-daily=1",
      type: "qemu",
    });
    const marks = res.json.data.map(
      (e: { volid: string; mark: string }) => `${e.volid.split("/")[1]} ${e.mark}`,
    );
    expect(marks.sort()).toEqual([
      "vzdump-qemu-100-2026_11_20-01_00_03.vma.zst remove",
      "vzdump-qemu-100-2026_11_21-01_00_02.vma.zst keep",
      "vzdump-qemu-101-2026_11_21-01_03_41.vma.zst protected",
    ]);
  });

  test("pruning needs Datastore.Allocate, or AllocateSpace plus VM.Backup for one guest", async () => {
    const res = await auditor.call("DELETE", "/nodes/pve1/storage/backups/prunebackups", {
      "prune-backups": "keep-last=1",
    });
    expect([res.status, res.reason]).toEqual([
      403,
      "Permission check failed (/storage/backups, Datastore.Allocate)",
    ]);
  });
});

describe("node logs", () => {
  test("rrddata: 70 rows per time frame; a bad cf is a 400", async () => {
    const res = await root.call("GET", "/nodes/pve1/rrddata", { timeframe: "week" });
    expect(res.json.data).toHaveLength(70);
    expect(res.json.data[1].time - res.json.data[0].time).toBe(10800);
    const bad = await root.call("GET", "/nodes/pve1/rrddata", { timeframe: "week", cf: "MIN" });
    expect(bad.json.errors).toEqual({
      cf: "value 'MIN' does not have a value in the enumeration 'AVERAGE, MAX'",
    });
  });

  test("syslog pages with total; nothing matching gives 'no content'", async () => {
    const res = await root.call("GET", "/nodes/pve1/syslog", { start: 2, limit: 3 });
    expect(res.json.data.map((l: { n: number }) => l.n)).toEqual([3, 4, 5]);
    expect(res.json.total).toBeGreaterThan(50);
    const none = await root.call("GET", "/nodes/pve1/syslog", { service: "nothing-here" });
    expect(none.json).toEqual({ data: [{ n: 1, t: "no content" }], total: 1 });
    const since = await root.call("GET", "/nodes/pve1/syslog", { since: "yesterday" });
    expect(since.json.errors).toEqual({ since: "value does not match the regex pattern" });
  });

  test("journal: cursors around the last entries; auditors lack Sys.Syslog", async () => {
    const res = await root.call("GET", "/nodes/pve1/journal", { lastentries: 3 });
    const data: string[] = res.json.data;
    expect(data).toHaveLength(5);
    expect(data[0]).toMatch(/^s=[0-9a-f]+;i=/);
    expect(data.at(-1)).toMatch(/^s=[0-9a-f]+;i=/);
    const denied = await auditor.call("GET", "/nodes/pve1/journal", { lastentries: 3 });
    expect(denied.reason).toBe("Permission check failed (/nodes/pve1, Sys.Syslog)");
  });
});
