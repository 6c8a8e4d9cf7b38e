// Guest parameters are checked as PVE checks them: property strings against the format table
// (400 with errors.<param> in PVE's words), volumes against their storage (the plugin's text),
// bridges when a NIC is hotplugged or the guest starts; nothing is stored when a check fails.
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { hasFormat } from "../../src/mock/formats/index.ts";
import { describeRoutes, type MockServer } from "../../src/mock/index.ts";
import { login, type Session, startTestMock, taskLog, waitTask } from "./helpers.ts";

let mock: MockServer;
let s: Session;
beforeEach(async () => {
  mock = await startTestMock({ taskDurationMs: 40 });
  s = await login(mock);
});
afterEach(() => mock.stop());

const VM = "/nodes/pve2/qemu/102/config"; // stopped
const RUNNING_VM = "/nodes/pve1/qemu/100/config";
const CT = "/nodes/pve2/lxc/201/config"; // stopped

/** A 400 whose errors name exactly these parameters with these texts. */
async function refused(path: string, params: Record<string, string>, errors: object) {
  const before = JSON.stringify(mock.state.guests.get(Number(path.split("/")[4]))?.config);
  const res = await s.call("PUT", path, params);
  expect([res.status, res.reason]).toEqual([400, "Parameter verification failed."]);
  expect(res.json.errors).toEqual(errors);
  expect(JSON.stringify(mock.state.guests.get(Number(path.split("/")[4]))?.config)).toBe(before);
}

async function fails(path: string, params: Record<string, string>, reason: string) {
  const res = await s.call("PUT", path, params);
  expect([res.status, res.reason]).toEqual([500, reason]);
}

describe("property strings", () => {
  test("an unknown NIC model is not in the enumeration", async () => {
    await refused(
      VM,
      { net3: "nosuchmodel,bridge=vmbr0" },
      {
        net3: "invalid format - format error\nnet3.model: value 'nosuchmodel' does not have a value in the enumeration 'e1000, e1000-82540em, e1000-82544gc, e1000-82545em, e1000e, i82551, i82557b, i82559er, ne2k_isa, ne2k_pci, pcnet, rtl8139, virtio, vmxnet3'\n",
      },
    );
  });

  test("a bad cache mode, an unknown key and a bad MAC", async () => {
    await refused(
      VM,
      { scsi6: "local-lvm:2,cache=bogus" },
      {
        scsi6:
          "invalid format - format error\nscsi6.cache: value 'bogus' does not have a value in the enumeration 'none, writethrough, writeback, unsafe, directsync'\n",
      },
    );
    await refused(
      VM,
      { scsi6: "local-lvm:2,speed=fast" },
      { scsi6: "invalid format - invalid key in comma-separated list property: speed\n" },
    );
    await refused(
      VM,
      { net1: "virtio=01:00:00:00:00:01,bridge=vmbr0" },
      {
        net1: "invalid format - format error\nnet1.macaddr: invalid format - value does not look like a valid unicast MAC address\n\n",
      },
    );
  });

  test("a container mount point without mp= is refused", async () => {
    await refused(
      CT,
      { mp1: "local-lvm:2" },
      {
        mp1: "invalid format - format error\nmp1.mp: property is missing and it is not optional\n",
      },
    );
  });

  test("hostpci, usb, ipconfig, tags and indexes past the last one", async () => {
    await refused(
      VM,
      { hostpci0: "host=zz:00.0" },
      {
        hostpci0:
          "invalid format - format error\nhostpci0.host: value does not match the regex pattern\n",
      },
    );
    await refused(
      VM,
      { usb0: "host=12345" },
      {
        usb0: "invalid format - format error\nusb0.host: value does not match the regex pattern\n",
      },
    );
    await refused(
      VM,
      { ipconfig0: "gw=10.0.0.1" },
      {
        ipconfig0:
          "invalid format - format error\nipconfig0.ip: missing property required by 'ipconfig0.gw'\n",
      },
    );
    await refused(
      VM,
      { tags: "ok;not/ok" },
      { tags: "invalid format - invalid characters in tag\n" },
    );
    await refused(
      VM,
      { net32: "virtio,bridge=vmbr0" },
      {
        net32:
          "property is not defined in schema and the schema does not allow additional properties",
      },
    );
  });

  test("content types of a storage are checked", async () => {
    const res = await s.call("POST", "/storage", {
      storage: "scratch",
      type: "dir",
      path: "/srv/scratch",
      content: "images,movies",
    });
    expect(res.status).toBe(400);
    expect(res.json.errors).toEqual({
      content: "invalid format - invalid content type 'movies'\n",
    });
    expect(mock.state.storages.has("scratch")).toBe(false);
  });

  test("every format a route names is in the format table", () => {
    const unknown = describeRoutes().flatMap((r) =>
      Object.entries(r.parameters)
        .filter(([, p]) => p.format !== undefined && !hasFormat(p.format))
        .map(([name, p]) => `${r.method} ${r.path} ${name}: ${p.format}`),
    );
    expect(unknown).toEqual([]);
  });
});

describe("volumes", () => {
  test("a size where a volume is expected is the plugin's parse error", async () => {
    await fails(VM, { scsi1: "local-lvm:4G" }, "unable to parse lvm volume name '4G'");
    await fails(CT, { mp1: "local-lvm:4G,mp=/data" }, "unable to parse lvm volume name '4G'");
    expect(mock.state.guests.get(102)?.config.scsi1).toBeUndefined();
  });

  test("a volume that does not exist is refused; an existing one gets its real size", async () => {
    await fails(
      VM,
      { scsi1: "local-lvm:vm-102-disk-9" },
      "volume local-lvm:vm-102-disk-9 does not exist",
    );
    const detached = await s.call("PUT", VM, { delete: "efidisk0" });
    expect(detached.status).toBe(200);
    const ok = await s.call("PUT", VM, { scsi3: "local-lvm:vm-102-disk-1,size=1G" });
    expect(ok.status).toBe(200);
    expect(mock.state.guests.get(102)?.config.scsi3).toBe("local-lvm:vm-102-disk-1,size=4M");
  });

  test("a missing storage, and storages that hold no disks", async () => {
    await fails(VM, { scsi1: "nosuch:4" }, "storage 'nosuch' does not exist");
    const res = await s.call("PUT", VM, { scsi1: "local:4" });
    expect(res.status).toBe(400);
    expect(res.json.errors).toEqual({ storage: "storage 'local' does not support vm images" });
    await refused(
      VM,
      { scsi1: "local:iso/debian-13.1.0-amd64-netinst.iso" },
      { scsi1: "explicit 'media=cdrom' is required for iso images" },
    );
    await refused(
      VM,
      { scsi1: "backups:backup/vzdump-qemu-100-2026_11_20-01_00_03.vma.zst" },
      { scsi1: "content type needs to be 'images' or 'iso'" },
    );
    await fails(
      CT,
      { mp1: "local:8,mp=/data" },
      "storage 'local' does not allow content type 'rootdir' (Container)",
    );
  });

  test("a new disk and a cloud-init drive are allocated as PVE names them", async () => {
    const res = await s.call("PUT", VM, {
      scsi1: "local-lvm:4,iothread=1",
      ide0: "local-lvm:cloudinit",
    });
    expect(res.status).toBe(200);
    const config = mock.state.guests.get(102)?.config ?? {};
    expect(config.scsi1).toBe("local-lvm:vm-102-disk-3,iothread=1,size=4G");
    expect(config.ide0).toBe("local-lvm:vm-102-cloudinit,media=cdrom");
    await fails(
      VM,
      { ide1: "local-lvm:cloudinit" },
      "ide1 - cloud-init drive is already attached at 'ide0'",
    );
  });
});

describe("bridges", () => {
  test("a stopped VM keeps the NIC; starting it fails as QEMU does", async () => {
    const res = await s.call("PUT", VM, { net1: "virtio,bridge=vmbr9" });
    expect(res.status).toBe(200);
    expect(mock.state.guests.get(102)?.config.net1).toMatch(/^virtio=BC:24:11:.*,bridge=vmbr9$/);
    const start = await s.call("POST", "/nodes/pve2/qemu/102/status/start");
    const done = await waitTask(s, start.json.data);
    expect(done.exitstatus).toBe("start failed: QEMU exited with code 1");
    expect(await taskLog(s, start.json.data)).toContain("bridge 'vmbr9' does not exist");
    expect(mock.state.guests.get(102)?.status).toBe("stopped");
  });

  test("hotplugging a NIC on a missing bridge is a 400; the change stays pending", async () => {
    const res = await s.call("PUT", RUNNING_VM, { net2: "virtio,bridge=vmbr9" });
    expect(res.status).toBe(400);
    expect(res.json.errors).toEqual({ net2: "hotplug problem - bridge 'vmbr9' does not exist" });
    const guest = mock.state.guests.get(100);
    expect(guest?.config.net2).toBeUndefined();
    expect(String(guest?.pending?.net2)).toContain("bridge=vmbr9");
  });
});

describe("delete and revert", () => {
  test("unknown options and conflicting uses are refused", async () => {
    await refused(VM, { delete: "nosuchoption" }, { delete: "unknown option 'nosuchoption'" });
    await refused(
      VM,
      { delete: "cores", cores: "2" },
      { delete: "you can't use '-cores' and -delete cores' at the same time" },
    );
    await fails(CT, { delete: "rootfs" }, "unable to delete required option 'rootfs'");
    await fails(VM, {}, "no options specified");
  });
});
