// Devices (PCI/USB passthrough), the console URL, RRD statistics and guest IPs through a real
// MCP client against the mock.

import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { type Harness, startHarness } from "../support/harness.ts";

let h: Harness;
/** Logged in as root@pam with a ticket: raw host devices are root@pam's alone (not a token's). */
let root: Harness;
beforeEach(async () => {
  h = await startHarness();
  root = await startHarness({ auth: "ticket" });
});
afterEach(async () => {
  await h.close();
  await root.close();
});

const guest = (hx: Harness, vmid: number) => {
  const g = hx.mock.state.guests.get(vmid);
  if (!g) throw new Error(`mock has no guest ${vmid}`);
  return g;
};

describe("host devices", () => {
  test("list_pci_devices: bridges filtered out, GPU with its IOMMU group", async () => {
    const r = await h.ok<{ devices: { id: string; kind?: string; iommugroup: number }[] }>(
      "list_pci_devices",
      { node: "pve1" },
    );
    expect(r.devices.map((d) => d.id)).not.toContain("0000:00:00.0");
    expect(r.devices.find((d) => d.id === "0000:01:00.0")).toMatchObject({
      kind: "display",
      iommugroup: 14,
    });
  });

  test("list_usb_devices: hubs left out, vendor:product ids", async () => {
    const r = await h.ok<{ devices: { id: string; path: string }[] }>("list_usb_devices", {
      node: "pve2",
    });
    expect(r.devices.map((d) => `${d.id} ${d.path}`)).toEqual(["0781:5583 1-3", "051d:0002 1-4"]);
  });

  test("add_pci_device with an API token: PVE's root-only refusal", async () => {
    const text = await h.fails("add_pci_device", { vmid: 102, host: "0000:41:00.0" });
    expect(text).toContain("only root can set 'hostpci0' config for real devices");
  });

  test("add_pci_device as root@pam: next hostpci slot; pcie without q35 is warned about", async () => {
    const r = await root.ok<{ device: string; value: string; warning?: string }>("add_pci_device", {
      node: "pve1",
      vmid: 100,
      host: "0000:01:00.0",
      pcie: true,
    });
    expect(r).toMatchObject({ device: "hostpci0", value: "0000:01:00.0,pcie=1" });
    expect(r.warning).toContain("q35");
    // A running VM gets it at its next start.
    expect(guest(root, 100).pending).toEqual({ hostpci0: "0000:01:00.0,pcie=1" });
    const q35 = await root.ok<{ warning?: string }>("add_pci_device", {
      vmid: 102,
      device_id: "hostpci3",
      host: "41:00.0",
      mdev: "nvidia-660",
    });
    expect(q35.warning).toBeUndefined();
    expect(guest(root, 102).config.hostpci3).toBe("41:00.0,mdev=nvidia-660");
  });

  test("add_usb_device: vendor:product becomes host=…, hotplugged into a running VM", async () => {
    const r = await root.ok<{ device: string; value: string; pending: string[] }>(
      "add_usb_device",
      { vmid: 100, host: "0781:5583", usb3: true },
    );
    expect(r).toMatchObject({ device: "usb0", value: "host=0781:5583,usb3=1", pending: [] });
    expect(guest(root, 100).config.usb0).toBe("host=0781:5583,usb3=1");
    const spice = await h.ok<{ value: string }>("add_usb_device", { vmid: 102, host: "spice" });
    expect(spice.value).toBe("spice");
  });

  test("remove_vm_device removes it; disks and NICs are pointed elsewhere, nothing sent", async () => {
    await root.ok("add_usb_device", { vmid: 100, host: "0781:5583" });
    expect(guest(root, 100).config.usb0).toBe("host=0781:5583");
    await root.ok("remove_vm_device", { vmid: 100, device_id: "usb0" });
    expect(guest(root, 100).config.usb0).toBeUndefined();
    root.mock.requests.length = 0;
    expect(await root.fails("remove_vm_device", { vmid: 100, device_id: "scsi0" })).toContain(
      "Use remove_disk",
    );
    expect(await root.fails("remove_vm_device", { vmid: 100, device_id: "net0" })).toContain(
      "remove_network",
    );
    expect(root.mock.requests).toEqual([]);
    expect(await root.fails("remove_vm_device", { vmid: 100, device_id: "usb3" })).toContain(
      "has no usb3",
    );
  });

  test("bad host ids send nothing", async () => {
    h.mock.requests.length = 0;
    expect(await h.fails("add_usb_device", { vmid: 100, host: "usb stick" })).toContain(
      "Invalid arguments",
    );
    expect(h.mock.requests).toEqual([]);
  });
});

describe("console URL", () => {
  test("noVNC for a VM on the client's own host", async () => {
    const r = await h.ok<{ url: string; console: string }>("get_console_url", { vmid: 100 });
    expect(r.console).toBe("novnc");
    expect(r.url).toBe(
      `${h.mock.url}/?console=kvm&novnc=1&vmid=100&vmname=web-01&node=pve1&resize=off&cmd=`,
    );
  });

  test("xterm.js by default for containers; a VM without serial port gets a note", async () => {
    const ct = await h.ok<{ url: string }>("get_console_url", {
      node: "pve1",
      vmid: 200,
      type: "lxc",
    });
    expect(ct.url).toContain("?console=lxc&xtermjs=1&vmid=200&vmname=dns-01&node=pve1");
    const vm = await h.ok<{ note?: string }>("get_console_url", { vmid: 101, console: "xtermjs" });
    expect(
      (await h.ok<{ note?: string }>("get_console_url", { vmid: 100, console: "xtermjs" })).note,
    ).toBeUndefined();
    expect(vm.note).toContain("serial port");
  });
});

describe("statistics and addresses", () => {
  test("get_vm_stats: a summary of the hour in units, the text saying the same", async () => {
    h.mock.requests.length = 0;
    const r = await h.call("get_vm_stats", { vmid: 101, timeframe: "hour", cf: "MAX" });
    const s = r.structuredContent as {
      points: number;
      maxmem: number;
      summary: { cpu_pct: { avg: number; max: number }; mem: { last: number } };
      samples?: unknown[];
    };
    expect(h.mock.requests.at(-1)?.params).toEqual({ timeframe: "hour", cf: "MAX" });
    expect(s.points).toBe(70);
    expect(s.summary.cpu_pct.max).toBeGreaterThanOrEqual(s.summary.cpu_pct.avg);
    expect(s.maxmem).toBe(16384 * 2 ** 20);
    expect(s.samples).toBeUndefined();
    const text = (r.content[0] as { text: string }).text;
    expect(text).toContain("maxmem: 16.0 GiB");
    expect(text).toContain(`cpu_pct\t`);
    expect(text).toContain(`${s.summary.cpu_pct.max}%`);
    const all = await h.ok<{ samples: { time: string; cpu_pct?: number }[] }>("get_vm_stats", {
      vmid: 101,
      samples: true,
    });
    expect(all.samples).toHaveLength(70);
    expect(all.samples[0]?.time).toMatch(/Z$/);
  });

  test("a stopped guest has rows without values", async () => {
    const r = await h.ok<{ points: number; summary: object }>("get_vm_stats", { vmid: 201 });
    expect(r.points).toBe(0);
    expect(r.summary).toEqual({});
  });

  test("get_guest_ips: the agent's view for a VM, the container's own for LXC", async () => {
    const vm = await h.ok<{ primary_ipv4: string; interfaces: { name: string; ipv4: string[] }[] }>(
      "get_guest_ips",
      { vmid: 100 },
    );
    expect(vm.primary_ipv4).toBe("10.0.1.120");
    expect(vm.interfaces.map((i) => i.name)).toEqual(["ens18"]);
    const ct = await h.ok<{ primary_ipv4: string }>("get_guest_ips", { vmid: 202 });
    expect(ct.primary_ipv4).toBe("10.0.3.22");
    const stopped = await h.ok<{ note: string }>("get_guest_ips", { vmid: 201 });
    expect(stopped.note).toContain("not running");
    const noAgent = await h.fails("get_guest_ips", { vmid: 103 });
    expect(noAgent).toContain("No QEMU guest agent configured");
  });
});
