// Storage tools through a real MCP client against the mock: listings across nodes (with an
// offline node), definitions, downloads with checksums, volume deletion and backup pruning.

import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { downloadedChecksum } from "../../src/mock/routes/storage-download.ts";
import { type Harness, startHarness } from "../support/harness.ts";

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(() => h.close());

const writes = () => h.writes().map((r) => `${r.method} ${r.path}`);

interface Item {
  volid: string;
  storage: string;
  node?: string;
  content: string;
  size: number;
  vmid?: number;
  protected?: boolean;
}
interface Listing {
  items: Item[];
  unreachable: { node: string; error: string }[];
}

describe("listings", () => {
  test("list_storage shows a node's storages with booleans and sizes", async () => {
    const r = await h.ok<{
      storages: { storage: string; shared: boolean; active: boolean; total: number }[];
    }>("list_storage", { node: "pve1" });
    expect(r.storages.map((s) => s.storage)).toEqual(["backups", "local", "local-lvm"]);
    expect(r.storages.find((s) => s.storage === "backups")).toMatchObject({
      shared: true,
      active: true,
    });
    expect(r.storages.every((s) => s.total > 0)).toBe(true);
  });

  test("list_cluster_storage shows the definitions", async () => {
    const r = await h.ok<{
      storages: { storage: string; type: string; content: string[]; enabled: boolean }[];
    }>("list_cluster_storage");
    expect(r.storages.find((s) => s.storage === "local")).toMatchObject({
      type: "dir",
      content: ["backup", "iso", "vztmpl"],
      enabled: true,
    });
  });

  test("list_isos searches every node; a shared storage is listed once", async () => {
    const r = await h.ok<Listing>("list_isos");
    const nodes = new Set(r.items.map((i) => i.node));
    expect(nodes).toEqual(new Set(["pve1", "pve2", "pve3"]));
    expect(r.items.every((i) => i.content === "iso" && i.volid.startsWith("local:iso/"))).toBe(
      true,
    );
    expect(r.unreachable).toEqual([]);
  });

  test("an offline node is reported; the other nodes still answer", async () => {
    h.mock.faults.offlineNodes.add("pve2");
    try {
      const r = await h.ok<Listing>("list_templates");
      expect(r.unreachable).toEqual([{ node: "pve2", error: "node is offline" }]);
      expect(new Set(r.items.map((i) => i.node))).toEqual(new Set(["pve1", "pve3"]));
      expect(r.items.every((i) => i.content === "vztmpl")).toBe(true);
    } finally {
      h.mock.faults.offlineNodes.delete("pve2");
    }
  });

  test("a named node that is offline is the error itself, with PVE's status", async () => {
    h.mock.faults.offlineNodes.add("pve3");
    try {
      const text = await h.fails("list_isos", { node: "pve3", storage: "local" });
      expect(text).toContain("595 No route to host");
      expect(text).toContain("Hint:");
    } finally {
      h.mock.faults.offlineNodes.delete("pve3");
    }
  });

  test("list_storage_content filters by guest on the shared backup storage", async () => {
    const r = await h.ok<Listing>("list_storage_content", { storage: "backups", vmid: 100 });
    expect(r.items.map((i) => i.volid)).toEqual([
      "backups:backup/vzdump-qemu-100-2026_11_20-01_00_03.vma.zst",
      "backups:backup/vzdump-qemu-100-2026_11_21-01_00_02.vma.zst",
    ]);
    expect(r.items[0]?.node).toBeUndefined();
  });
});

describe("definitions", () => {
  const NAS = {
    storage: "nas",
    type: "cifs",
    server: "10.0.0.50",
    share: "iso",
    username: "svc",
    password: "s3cret-Pa55",
    content: ["iso", "vztmpl"],
    nodes: "pve1,pve2",
  };

  /** The "nas" CIFS storage, as add_storage leaves it. */
  async function addNas(): Promise<void> {
    await h.ok("add_storage", NAS);
    h.mock.requests.length = 0;
  }

  test("add_storage creates a CIFS storage; the password never comes back", async () => {
    h.mock.requests.length = 0;
    const r = await h.call("add_storage", NAS);
    expect(r.isError).toBeFalsy();
    expect(JSON.stringify(r)).not.toContain("s3cret-Pa55");
    expect(writes()).toEqual(["POST /storage"]);
    expect(h.writes()[0]?.params).toMatchObject({
      type: "cifs",
      content: "iso,vztmpl",
      nodes: "pve1,pve2",
    });
    const s = h.mock.state.storages.get("nas");
    expect(s).toMatchObject({
      type: "cifs",
      content: ["iso", "vztmpl"],
      nodes: ["pve1", "pve2"],
      shared: true,
    });
    expect(JSON.stringify(s)).not.toContain("s3cret-Pa55");
  });

  test("add_storage says what a type needs before sending anything", async () => {
    h.mock.requests.length = 0;
    const text = await h.fails("add_storage", { storage: "x1", type: "nfs", server: "nas" });
    expect(text).toContain("storage type nfs needs export");
    expect(h.mock.requests).toEqual([]);
  });

  test("a duplicate id is PVE's error", async () => {
    const text = await h.fails("add_storage", { storage: "local", type: "dir", path: "/srv" });
    expect(text).toContain("create storage failed: storage ID 'local' already defined");
  });

  test("update_storage disables and restricts; empty nodes means all again", async () => {
    await addNas();
    await h.ok("update_storage", { storage: "nas", enable: false, nodes: ["pve1"] });
    expect(h.mock.state.storages.get("nas")).toMatchObject({ enabled: false, nodes: ["pve1"] });
    h.mock.requests.length = 0;
    await h.ok("update_storage", { storage: "nas", nodes: [], enable: true });
    expect(h.writes()[0]?.params).toEqual({ delete: "nodes", disable: "0" });
    expect(h.mock.state.storages.get("nas")?.nodes).toBeUndefined();
    expect(await h.fails("update_storage", { storage: "nas" })).toContain("nothing to change");
  });

  test("delete_storage removes the definition only", async () => {
    await addNas();
    await h.ok("delete_storage", { storage: "nas" });
    expect(h.mock.state.storages.has("nas")).toBe(false);
    const text = await h.fails("delete_storage", { storage: "nas" });
    expect(text).toContain("delete storage failed: storage 'nas' does not exist");
  });
});

describe("download_url", () => {
  const url = "https://cdimage.example.org/debian-13.2.0-amd64-netinst.iso";

  test("downloads with a verified checksum; the file then is in the storage", async () => {
    const r = await h.ok<{ volid: string; task_status: string; upid: string; size: number }>(
      "download_url",
      {
        node: "pve1",
        storage: "local",
        url,
        filename: "debian-13.2.0-amd64-netinst.iso",
        content: "iso",
        checksum: downloadedChecksum(url, "sha256"),
        checksum_algorithm: "sha256",
      },
    );
    expect(r).toMatchObject({
      volid: "local:iso/debian-13.2.0-amd64-netinst.iso",
      task_status: "ok",
    });
    expect(r.size).toBeGreaterThan(500 * 2 ** 20);
    const task = h.mock.state.tasks.find((t) => t.upid === r.upid);
    const log = [...(task?.lines.map((l) => l.text) ?? []), ...(task?.finalLines ?? [])];
    expect(log[0]).toBe(
      `downloading ${url} to /var/lib/vz/template/iso/debian-13.2.0-amd64-netinst.iso`,
    );
    expect(log).toContain("calculating checksum...OK, checksum verified");
    expect(log.some((l) => /^\s+0K \.{8} /.test(l))).toBe(true);
    expect(log.at(-1)).toBe("TASK OK");
    const listed = await h.ok<Listing>("list_isos", { node: "pve1", storage: "local" });
    expect(listed.items.map((i) => i.volid)).toContain(r.volid);
  });

  test("a wrong checksum fails the task with PVE's message and stores nothing", async () => {
    const text = await h.fails("download_url", {
      node: "pve2",
      storage: "local",
      url,
      filename: "bad.iso",
      content: "iso",
      checksum: "00ff00ff00ff00ff",
      checksum_algorithm: "sha256",
    });
    expect(text).toContain(
      `checksum mismatch: got '${downloadedChecksum(url, "sha256")}' != expect '00ff00ff00ff00ff'`,
    );
    expect(h.mock.state.volumes.some((v) => v.volid === "local:iso/bad.iso")).toBe(false);
  });

  test("a local storage on several nodes needs the node; a block storage is refused by PVE", async () => {
    const text = await h.fails("download_url", {
      storage: "local",
      url,
      filename: "a.iso",
      content: "iso",
    });
    expect(text).toContain("Pass node");
    const lvm = await h.fails("download_url", {
      node: "pve1",
      storage: "local-lvm",
      url,
      filename: "a.iso",
      content: "iso",
    });
    expect(lvm).toContain("can't upload to storage type 'lvmthin', not a file based storage!");
  });

  test("invalid input sends nothing", async () => {
    h.mock.requests.length = 0;
    await h.fails("download_url", {
      node: "pve1",
      storage: "local",
      url: "ftp://x/y.iso",
      filename: "y.iso",
      content: "iso",
    });
    await h.fails("download_url", {
      node: "pve1",
      storage: "local",
      url,
      filename: "y.iso",
      content: "iso",
      checksum: "abcdef0123",
    });
    expect(h.mock.requests).toEqual([]);
  });
});

describe("delete_volume", () => {
  test("deletes an ISO on the node that holds it", async () => {
    const volid = "local:iso/ubuntu-24.04.3-live-server-amd64.iso";
    const before = h.mock.state.volumes.filter((v) => v.volid === volid).length;
    h.mock.requests.length = 0;
    const r = await h.ok<{ node: string; task_status: string }>("delete_volume", {
      volid,
      node: "pve3",
    });
    expect(r).toMatchObject({ node: "pve3", task_status: "ok" });
    expect(writes()).toEqual([
      `DELETE /nodes/pve3/storage/local/content/${encodeURIComponent(volid)}`,
    ]);
    expect(h.mock.state.volumes.filter((v) => v.volid === volid)).toHaveLength(before - 1);
    expect(h.mock.state.volumes.some((v) => v.volid === volid && v.node === "pve3")).toBe(false);
  });

  test("refuses a disk a guest uses, a protected backup, and an ambiguous local file", async () => {
    h.mock.requests.length = 0;
    expect(await h.fails("delete_volume", { volid: "local-lvm:vm-100-disk-0" })).toContain(
      "local-lvm:vm-100-disk-0 is in use by VM 100 as scsi0",
    );
    expect(
      await h.fails("delete_volume", {
        volid: "backups:backup/vzdump-qemu-101-2026_11_21-01_03_41.vma.zst",
      }),
    ).toContain("is a protected backup");
    expect(
      await h.fails("delete_volume", { volid: "local:iso/debian-13.1.0-amd64-netinst.iso" }),
    ).toContain("exists on pve1, pve2, pve3");
    expect(await h.fails("delete_volume", { volid: "local:../../etc/passwd" })).toContain(
      "invalid volume",
    );
    expect(writes()).toEqual([]);
  });
});

describe("pruning", () => {
  test("preview_prune_backups marks per guest and changes nothing", async () => {
    const before = h.mock.state.volumes.length;
    const r = await h.ok<{
      backups: { volid: string; mark: string; vmid: number }[];
      remove: number;
    }>("preview_prune_backups", { storage: "backups", keep_last: 1 });
    const marks = Object.fromEntries(r.backups.map((b) => [b.volid.split("/")[1], b.mark]));
    expect(marks).toEqual({
      "vzdump-qemu-100-2026_11_21-01_00_02.vma.zst": "keep",
      "vzdump-qemu-100-2026_11_20-01_00_03.vma.zst": "remove",
      "vzdump-qemu-101-2026_11_21-01_03_41.vma.zst": "protected",
      "vzdump-lxc-200-2026_11_20-01_02_11.tar.zst": "keep",
      "vzdump-lxc-202-2026_11_21-01_09_52.tar.zst": "keep",
    });
    expect(r.remove).toBe(1);
    expect(h.mock.state.volumes.length).toBe(before);
  });

  test("without retention options PVE wants the storage's own", async () => {
    expect(await h.fails("preview_prune_backups", { storage: "backups" })).toContain(
      "no prune-backups options configured for storage 'backups'",
    );
  });

  test("prune_backups removes what the preview marked", async () => {
    h.mock.requests.length = 0;
    const r = await h.ok<{ removed: string[]; kept: number; task_status: string }>(
      "prune_backups",
      {
        storage: "backups",
        vmid: 100,
        keep_last: 1,
      },
    );
    expect(r.removed).toEqual(["backups:backup/vzdump-qemu-100-2026_11_20-01_00_03.vma.zst"]);
    expect(r.task_status).toBe("ok");
    expect(h.writes()[0]).toMatchObject({
      method: "DELETE",
      path: "/nodes/pve1/storage/backups/prunebackups",
      params: { "prune-backups": "keep-last=1", vmid: "100" },
    });
    expect(h.mock.state.volumes.some((v) => v.volid === r.removed[0])).toBe(false);
    const again = await h.ok<{ removed: string[] }>("prune_backups", {
      storage: "backups",
      vmid: 100,
      keep_last: 1,
    });
    expect(again.removed).toEqual([]);
  });
});
