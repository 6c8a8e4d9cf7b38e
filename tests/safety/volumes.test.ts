// Volumes carry their owner in their names (vm-102-disk-0, vzdump-lxc-200-…): under a vmid
// scope another guest's disks and backups can be neither deleted, nor imported into a guest
// inside the scope, nor moved to it through the raw API, and storage listings leave them out.

import { describe, expect, test } from "bun:test";
import { scoped, scopedApi, touching, vmidsOf } from "./support.ts";

const SCOPE = { allowed_vmids: ["100-101"] };
const OTHERS_BACKUP = "backups:backup/vzdump-lxc-200-2026_11_20-01_02_11.tar.zst";

const hasFile = (h: Awaited<ReturnType<typeof scoped>>, volid: string) =>
  h.mock.state.volumes.some((v) => v.volid === volid);

describe("another guest's volumes", () => {
  test("delete_volume cannot delete another guest's backup", async () => {
    const h = await scoped(SCOPE);
    expect(hasFile(h, OTHERS_BACKUP)).toBe(true);
    const text = await h.fails("delete_volume", { volid: OTHERS_BACKUP });
    expect(text).toContain(`no volume ${OTHERS_BACKUP}`);
    expect(touching(h, 200)).toEqual([]);
    expect(h.writes()).toEqual([]);
    expect(hasFile(h, OTHERS_BACKUP)).toBe(true);
  });

  test("add_disk cannot import another guest's disk into a guest inside the scope", async () => {
    const h = await scoped(SCOPE);
    const before = structuredClone(h.guest(100).config);
    const text = await h.fails("add_disk", {
      vmid: 100,
      storage: "local-lvm",
      size_gb: 1,
      extra_options: "import-from=local-lvm:vm-102-disk-0",
    });
    expect(text).toContain("guest 102 is outside this server's scope");
    expect(text).toContain("nothing was sent");
    expect(h.writes()).toEqual([]);
    expect(touching(h, 102)).toEqual([]);
    expect(h.guest(100).config).toEqual(before);
  });

  test("list_backups and list_storage_content show only the guests inside", async () => {
    const everything = await scoped({});
    const all = await everything.ok<{ backups: { vmid?: number }[] }>("list_backups");
    expect(vmidsOf(all.backups)).toContain(200);
    const h = await scoped(SCOPE);
    const backups = await h.ok<{ backups: { vmid?: number }[] }>("list_backups");
    expect(new Set(vmidsOf(backups.backups))).toEqual(new Set([100, 101]));
    const content = await h.ok<{ items: { volid: string; vmid?: number }[] }>(
      "list_storage_content",
      { node: "pve1", storage: "local-lvm" },
    );
    expect(content.items.length).toBeGreaterThan(0);
    for (const item of content.items) expect(item.volid).toMatch(/-10[01]-/);
    const allContent = await everything.ok<{ items: { volid: string }[] }>("list_storage_content", {
      node: "pve1",
      storage: "local-lvm",
    });
    expect(allContent.items.some((i) => i.volid.includes("vm-200-"))).toBe(true);
  });
});

describe("the raw API", () => {
  test("move_disk to another guest (target-vmid) is refused unsent", async () => {
    const h = await scopedApi(SCOPE);
    const before = structuredClone(h.guest(200).config);
    const text = await h.fails("proxmox_api", {
      method: "POST",
      path: "/nodes/pve1/qemu/100/move_disk",
      params: { disk: "scsi0", "target-vmid": 200, "target-disk": "scsi1" },
    });
    expect(text).toContain("guest 200 is outside this server's scope");
    expect(h.writes()).toEqual([]);
    expect(touching(h, 200)).toEqual([]);
    expect(h.guest(200).config).toEqual(before);
  });
});
