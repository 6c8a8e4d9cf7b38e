// Host hardware lists, guest RRD data and the root-only rule for raw devices, over plain HTTP.
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import type { MockServer } from "../../src/mock/index.ts";
import { login, raw, type Session, startTestMock } from "./helpers.ts";

let mock: MockServer;
let s: Session;
beforeEach(async () => {
  mock = await startTestMock();
  s = await login(mock);
});
afterEach(() => mock.stop());

describe("hardware", () => {
  test("pci: default class blacklist, custom blacklist, verbose off", async () => {
    const all = (await s.call("GET", "/nodes/pve1/hardware/pci")).json.data;
    expect(all.some((d: { class: string }) => d.class.startsWith("0x06"))).toBe(false);
    expect(all.find((d: { id: string }) => d.id === "0000:01:00.0")?.vendor_name).toBe(
      "NVIDIA Corporation",
    );
    const noNet = (await s.call("GET", "/nodes/pve1/hardware/pci", { "pci-class-blacklist": "02" }))
      .json.data;
    expect(noNet.some((d: { class: string }) => d.class.startsWith("0x02"))).toBe(false);
    expect(noNet.some((d: { class: string }) => d.class.startsWith("0x06"))).toBe(true);
    const terse = (await s.call("GET", "/nodes/pve2/hardware/pci", { verbose: 0 })).json.data;
    expect(Object.keys(terse[0]).sort()).toEqual(["class", "device", "id", "iommugroup", "vendor"]);
  });

  test("usb needs Sys.Modify: the auditor is refused", async () => {
    const rows = (await s.call("GET", "/nodes/pve1/hardware/usb")).json.data;
    expect(rows[1]).toMatchObject({ vendid: "0781", prodid: "5583", usbpath: "1-3" });
    const auditor = await login(mock, "auditor@pve", "auditor-password");
    const res = await auditor.call("GET", "/nodes/pve1/hardware/usb");
    expect([res.status, res.reason]).toEqual([403, "Permission check failed (/, Sys.Modify)"]);
  });
});

describe("raw devices are root@pam's", () => {
  test("a token of root@pam may not pass a host PCI device; a mapping it may", async () => {
    const token = `PVEAPIToken=${mock.credentials.tokenId}=${mock.credentials.tokenSecret}`;
    const put = (body: string) =>
      raw(mock, "PUT", "/nodes/pve2/qemu/102/config", {
        headers: { Authorization: token, "Content-Type": "application/x-www-form-urlencoded" },
        body,
      });
    const refused = await put("hostpci0=0000%3A41%3A00.0");
    expect([refused.status, refused.reason]).toEqual([
      500,
      "only root can set 'hostpci0' config for real devices",
    ]);
    expect((await put("hostpci0=mapping%3Dgpu")).status).toBe(200);
    const ticket = await s.call("PUT", "/nodes/pve2/qemu/102/config", { usb1: "host=0781:5583" });
    expect(ticket.status).toBe(200);
  });
});

describe("guest rrddata", () => {
  test("70 rows; a running guest has values, a stopped one only times", async () => {
    const run = (await s.call("GET", "/nodes/pve1/qemu/100/rrddata", { timeframe: "day" })).json
      .data;
    expect(run).toHaveLength(70);
    expect(run[69].time - run[68].time).toBe(1800);
    expect(Object.keys(run[69]).sort()).toEqual(
      [
        "cpu",
        "disk",
        "diskread",
        "diskwrite",
        "maxcpu",
        "maxdisk",
        "maxmem",
        "mem",
        "memhost",
        "netin",
        "netout",
        "time",
      ].sort(),
    );
    const off = (await s.call("GET", "/nodes/pve2/lxc/201/rrddata", { timeframe: "hour" })).json
      .data;
    expect(Object.keys(off[0])).toEqual(["time"]);
    const bad = await s.call("GET", "/nodes/pve1/qemu/100/rrddata", { timeframe: "decade" });
    expect(bad.json.errors.timeframe).toContain("does not have a value in the enumeration");
  });
});
