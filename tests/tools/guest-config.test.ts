// Configuration tools (resources, cloud-init, tags, pending changes, disks, NICs, mount points)
// through a real MCP client against the mock.

import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { type Harness, startHarness } from "../support/harness.ts";

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(() => h.close());

const guest = (vmid: number) => h.guest(vmid);
const writes = () => h.writes().map((r) => `${r.method} ${r.path}`);

describe("resources", () => {
  test("update_vm_resources on a running VM: cores and memory wait for the next start", async () => {
    h.mock.requests.length = 0;
    const r = await h.ok<{ pending: string[]; changed: string[]; message: string }>(
      "update_vm_resources",
      { vmid: 100, cores: 4, memory: 8192 },
    );
    expect(writes()).toEqual(["POST /nodes/pve1/qemu/100/config"]);
    expect(h.writes()[0]?.params).toEqual({ cores: "4", memory: "8192" });
    expect(r.changed).toEqual(["cores", "memory"]);
    expect(r.pending).toEqual(["cores", "memory"]);
    expect(r.message).toContain("apply at the next start");
    expect(guest(100).pending).toEqual({ cores: 4, memory: "8192" });
  });

  test("get_pending_config lists them; after a stop and start they apply", async () => {
    await h.ok("update_vm_resources", { vmid: 100, cores: 4, memory: 8192 });
    const p = await h.ok<{ restart_needed: boolean; changes: unknown[] }>("get_pending_config", {
      vmid: 100,
    });
    expect(p.restart_needed).toBe(true);
    expect(p.changes).toEqual([
      { key: "cores", current: 2, pending: 4, delete: false },
      { key: "memory", current: "4096", pending: "8192", delete: false },
    ]);
    await h.ok("stop_vm", { vmid: 100 });
    await h.ok("start_vm", { vmid: 100 });
    expect(guest(100).config.cores).toBe(4);
    const after = await h.ok<{ restart_needed: boolean }>("get_pending_config", { vmid: 100 });
    expect(after.restart_needed).toBe(false);
  });

  test("update_vm_resources on a stopped VM applies at once; nothing to change sends nothing", async () => {
    const r = await h.ok<{ pending: string[] }>("update_vm_resources", {
      node: "pve2",
      vmid: 102,
      sockets: 2,
    });
    expect(r.pending).toEqual([]);
    expect(guest(102).config.sockets).toBe(2);
    h.mock.requests.length = 0;
    expect(await h.fails("update_vm_resources", { vmid: 102 })).toContain("nothing to change");
    expect(h.mock.requests).toEqual([]);
  });

  test("update_vm_resources on a container points to the container tool", async () => {
    const text = await h.fails("update_vm_resources", { vmid: 200, cores: 2 });
    expect(text).toContain("Use update_container_resources");
  });

  test("update_container_resources: live memory and swap, disk grown by disk_gb", async () => {
    h.mock.requests.length = 0;
    const r = await h.ok<{ resized: string; pending: string[] }>("update_container_resources", {
      vmid: 200,
      memory: 1024,
      swap: 256,
      disk_gb: 2,
    });
    expect(writes()).toEqual(["PUT /nodes/pve1/lxc/200/config", "PUT /nodes/pve1/lxc/200/resize"]);
    expect(h.writes()[1]?.params).toEqual({ disk: "rootfs", size: "+2G" });
    expect(r).toMatchObject({ resized: "rootfs 10G", pending: [] });
    expect([guest(200).config.memory, guest(200).config.swap]).toEqual([1024, 256]);
  });
});

describe("cloud-init", () => {
  test("set_vm_cloudinit: keys URI-encoded, password never shown back", async () => {
    h.mock.requests.length = 0;
    const r = await h.call("set_vm_cloudinit", {
      vmid: 104,
      ciuser: "admin",
      cipassword: "Sup3r-Secret",
      sshkeys: "ssh-ed25519 AAAAC3Nza admin@laptop",
      ipconfig0: "ip=10.0.0.50/24,gw=10.0.0.1",
    });
    expect(r.isError).toBeFalsy();
    expect(JSON.stringify(r)).not.toContain("Sup3r-Secret");
    expect(JSON.stringify(r)).toContain("cipassword (set)");
    expect(h.writes()[0]?.params.sshkeys).toBe("ssh-ed25519%20AAAAC3Nza%20admin%40laptop");
    const upid = (r.structuredContent as { upid: string }).upid;
    const log = JSON.stringify(await h.ok("read_task_log", { upid }));
    expect(log).toContain("-cipassword <hidden>");
    expect(log).not.toContain("Sup3r-Secret");
    expect(guest(104).config).toMatchObject({
      ciuser: "admin",
      ipconfig0: "ip=10.0.0.50/24,gw=10.0.0.1",
    });
  });

  test("a VM without a cloud-init drive gets a warning", async () => {
    const r = await h.ok<{ warning?: string }>("set_vm_cloudinit", { vmid: 102, ciuser: "x" });
    expect(r.warning).toContain("no cloud-init drive");
  });
});

describe("tags", () => {
  test("add_tag, remove_tag, set_tags: normalised as PVE stores them", async () => {
    const added = await h.ok<{ tags: string[]; added: string[] }>("add_tag", {
      vmid: 200,
      tags: "Web, dns;web",
    });
    expect(added).toMatchObject({ tags: ["dns", "infra", "web"], added: ["dns", "web"] });
    expect(guest(200).config.tags).toBe("dns;infra;web");
    h.mock.requests.length = 0;
    const same = await h.ok<{ message: string }>("add_tag", { vmid: 200, tags: "DNS" });
    expect(same.message).toContain("nothing to change");
    expect(h.writes()).toEqual([]);
    await h.ok("remove_tag", { vmid: 200, tags: "infra" });
    expect(guest(200).config.tags).toBe("dns;web");
    await h.ok("set_tags", { node: "pve1", vmid: 200, type: "lxc", tags: "b a" });
    expect(guest(200).config.tags).toBe("a;b");
    await h.ok("set_tags", { vmid: 200, tags: "" });
    expect(guest(200).config.tags).toBeUndefined();
  });

  test("an invalid tag is refused before anything is sent", async () => {
    h.mock.requests.length = 0;
    const text = await h.fails("add_tag", { vmid: 200, tags: "ok bad/tag" });
    expect(text).toContain('invalid tag(s): "bad/tag"');
    expect(h.mock.requests).toEqual([]);
  });
});

describe("disks", () => {
  test("add_disk picks the next free scsi slot and allocates the volume", async () => {
    const r = await h.ok<{ device: string; value: string }>("add_disk", {
      vmid: 101,
      storage: "local-lvm",
      size_gb: 10,
      extra_options: "iothread=1",
    });
    expect(r).toEqual(expect.objectContaining({ device: "scsi2" }));
    expect(r.value).toBe("local-lvm:vm-101-disk-2,iothread=1,size=10G");
    expect(h.mock.state.volumes.some((v) => v.volid === "local-lvm:vm-101-disk-2")).toBe(true);
  });

  test("add_disk with the seed's device on a slot in use is refused", async () => {
    h.mock.requests.length = 0;
    const text = await h.fails("add_disk", {
      node: "pve1",
      vmid: 101,
      device: "scsi1",
      storage: "local-lvm",
      size_gb: 1,
    });
    expect(text).toContain("scsi1 of VM 101 (db-01) on pve1 is in use");
    expect(h.writes()).toEqual([]);
  });

  test("remove_disk of a protected VM: PVE's refusal", async () => {
    const text = await h.fails("remove_disk", { vmid: 101, device: "scsi1" });
    expect(text).toContain("can't remove drive 'scsi1' - protection mode enabled");
    expect(guest(101).config.scsi1).toBe("local-lvm:vm-101-disk-1,iothread=1,size=200G");
  });

  test("remove_disk detaches (unused0 keeps the data); destroy deletes it", async () => {
    await h.ok("add_disk", { vmid: 102, device: "sata1", storage: "local-lvm", size_gb: 2 });
    const detached = await h.ok<{ kept_as: string; destroyed: boolean }>("remove_disk", {
      vmid: 102,
      device: "sata1",
    });
    expect(detached).toMatchObject({ kept_as: "unused0", destroyed: false });
    expect(guest(102).config.unused0).toBe("local-lvm:vm-102-disk-3");
    const gone = await h.ok<{ destroyed: boolean }>("remove_disk", {
      vmid: 102,
      device: "unused0",
    });
    expect(gone.destroyed).toBe(true);
    expect(h.mock.state.volumes.some((v) => v.volid === "local-lvm:vm-102-disk-3")).toBe(false);
    await h.ok("add_disk", { vmid: 102, device: "sata1", storage: "local-lvm", size_gb: 2 });
    h.mock.requests.length = 0;
    await h.ok("remove_disk", { vmid: 102, device: "sata1", destroy: true });
    expect(h.writes()[0]?.params).toEqual({ delete: "sata1", force: "1" });
    expect(guest(102).config.sata1).toBeUndefined();
    expect(guest(102).config.unused0).toBeUndefined();
  });

  test("remove_disk of a missing disk lists the ones there", async () => {
    const text = await h.fails("remove_disk", { vmid: 102, device: "scsi9" });
    expect(text).toContain("has no disk scsi9");
    expect(text).toContain("scsi0");
  });

  test("resize_disk grows; shrinking is Proxmox's refusal", async () => {
    const r = await h.ok<{ message: string }>("resize_disk", {
      vmid: 102,
      device: "scsi0",
      size: "+20G",
    });
    expect(r.message).toContain("is now 120G");
    const text = await h.fails("resize_disk", { vmid: 102, device: "scsi0", size: "50G" });
    expect(text).toContain("shrinking disks is not supported");
  });

  test("move_disk copies to another storage and keeps the old volume as unusedN", async () => {
    h.mock.state.storages.set("fast", {
      storage: "fast",
      type: "lvmthin",
      content: ["images", "rootdir"],
      shared: false,
      total: 2 ** 40,
      baseUsed: 0,
      enabled: true,
    });
    h.mock.requests.length = 0;
    const r = await h.ok<{ value: string }>("move_disk", {
      vmid: 102,
      device: "scsi0",
      storage: "fast",
    });
    expect(writes()).toEqual(["POST /nodes/pve2/qemu/102/move_disk"]);
    expect(r.value).toBe("fast:vm-102-disk-0,iothread=1,size=100G");
    expect(guest(102).config.unused0).toBe("local-lvm:vm-102-disk-0");
  });
});

describe("network", () => {
  test("add_network: next free slot, Proxmox MAC, VLAN; remove_network takes it away", async () => {
    const r = await h.ok<{ device: string; value: string }>("add_network", {
      vmid: 102,
      bridge: "vmbr1",
      vlan: 20,
      firewall: true,
    });
    expect(r.device).toBe("net1");
    expect(r.value).toMatch(/^virtio=BC:24:11:[0-9A-F:]{8},bridge=vmbr1,firewall=1,tag=20$/);
    await h.ok("remove_network", { vmid: 102, device: "net1" });
    expect(guest(102).config.net1).toBeUndefined();
  });

  test("containers get ethN with ip and gw; a VM with ip is refused", async () => {
    const r = await h.ok<{ value: string }>("add_network", {
      vmid: 201,
      bridge: "vmbr0",
      ip: "10.0.0.9/24",
      gw: "10.0.0.1",
    });
    expect(r.value).toMatch(/^name=eth1,bridge=vmbr0,gw=10\.0\.0\.1,hwaddr=BC:24:11:/);
    expect(r.value).toContain("ip=10.0.0.9/24");
    const text = await h.fails("add_network", { vmid: 102, bridge: "vmbr0", ip: "dhcp" });
    expect(text).toContain("set_vm_cloudinit");
  });

  test("removing a NIC that is not there says which exist", async () => {
    await h.ok("add_network", { vmid: 201, bridge: "vmbr0" });
    const text = await h.fails("remove_network", { vmid: 201, device: "net7" });
    expect(text).toContain("Its NICs: net0, net1");
  });
});

describe("container mount points", () => {
  test("add_lxc_mountpoint creates a volume at a path; remove keeps it as unused, destroy deletes", async () => {
    const r = await h.ok<{ device: string; value: string }>("add_lxc_mountpoint", {
      vmid: 201,
      volume: "local-lvm:4",
      path: "/srv/data",
      backup: true,
    });
    expect(r.device).toBe("mp0");
    expect(r.value).toBe("local-lvm:vm-201-disk-1,backup=1,mp=/srv/data,size=4G");
    const kept = await h.ok<{ kept_as: string }>("remove_lxc_mountpoint", {
      vmid: 201,
      mp_id: "mp0",
    });
    expect(kept.kept_as).toBe("unused0");
    await h.ok("add_lxc_mountpoint", {
      vmid: 201,
      mp_id: "mp1",
      volume: "local-lvm:1",
      path: "/x",
    });
    const gone = await h.ok<{ destroyed: boolean }>("remove_lxc_mountpoint", {
      vmid: 201,
      mp_id: "mp1",
      destroy: true,
    });
    expect(gone.destroyed).toBe(true);
    expect(guest(201).config.mp1).toBeUndefined();
    expect(h.mock.state.volumes.some((v) => v.volid === "local-lvm:vm-201-disk-2")).toBe(false);
  });

  test("a relative mount path sends nothing; on a VM it is refused", async () => {
    h.mock.requests.length = 0;
    const text = await h.fails("add_lxc_mountpoint", {
      vmid: 201,
      volume: "local-lvm:1",
      path: "x",
    });
    expect(text).toContain("Invalid arguments");
    expect(h.mock.requests).toEqual([]);
    expect(
      await h.fails("add_lxc_mountpoint", { vmid: 102, volume: "local-lvm:1", path: "/x" }),
    ).toContain("is a VM");
  });
});
