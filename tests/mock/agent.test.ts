// The guest agent in the mock, over plain HTTP: the gates in PVE's order, exec with a repeated
// command key, exec-status before and after the end, files, and container interfaces.
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import type { MockServer } from "../../src/mock/index.ts";
import { login, type Session, startTestMock } from "./helpers.ts";

let mock: MockServer;
let s: Session;
beforeEach(async () => {
  mock = await startTestMock();
  s = await login(mock);
});
afterEach(() => mock.stop());

const agent = (vmid: number, node = "pve1") => `/nodes/${node}/qemu/${vmid}/agent`;

describe("gates", () => {
  test("not configured, then not running, then agent not answering", async () => {
    const none = await s.call("POST", `${agent(103, "pve2")}/ping`);
    expect([none.status, none.reason]).toEqual([500, "No QEMU guest agent configured"]);
    const g = mock.state.guests.get(103);
    if (g) {
      g.config.agent = "1";
      g.status = "stopped";
    }
    expect((await s.call("POST", `${agent(103, "pve2")}/ping`)).reason).toBe(
      "VM 103 is not running",
    );
    if (g) {
      g.status = "running";
      g.config.agent = "enabled=0";
    }
    expect((await s.call("POST", `${agent(103, "pve2")}/ping`)).reason).toBe(
      "QEMU guest agent is not running",
    );
    const ok = await s.call("POST", `${agent(100)}/ping`);
    expect(ok.json).toEqual({ data: { result: {} } });
  });
});

describe("exec", () => {
  test("repeated command keys; exited 0 while running, then decoded output once", async () => {
    const status = async (pid: number) =>
      (await s.call("GET", `${agent(100)}/exec-status`, { pid })).json.data;
    /** Polls until the process has exited (the test's timeout bounds this). */
    const exited = async (pid: number) => {
      for (;;) {
        const data = await status(pid);
        if (data.exited === 1) return data;
      }
    };
    // A ten-minute sleep is running whenever it is asked.
    const long = await s.call("POST", `${agent(100)}/exec`, { command: ["sleep", "600"] });
    expect(Object.keys(long.json.data)).toEqual(["pid"]);
    expect(await status(long.json.data.pid)).toEqual({ exited: 0 });
    const quiet = await s.call("POST", `${agent(100)}/exec`, { command: ["sleep", "0"] });
    expect(await exited(quiet.json.data.pid)).toEqual({ exited: 1, exitcode: 0 });
    const gone = await s.call("GET", `${agent(100)}/exec-status`, { pid: quiet.json.data.pid });
    expect(gone.reason).toBe("Agent error: Invalid parameter 'pid'");
    const echo = await s.call("POST", `${agent(100)}/exec`, { command: ["echo", "a b"] });
    expect(await exited(echo.json.data.pid)).toEqual({
      exited: 1,
      exitcode: 0,
      "out-data": "a b\n",
    });
  });

  test("a missing command is a 400", async () => {
    const res = await s.call("POST", `${agent(100)}/exec`, {});
    expect(res.json.errors).toEqual({ command: "property is missing and it is not optional" });
  });
});

describe("files", () => {
  test("write with encode 0 (base64), read decoded or raw, truncated reads", async () => {
    await s.call("POST", `${agent(100)}/file-write`, {
      file: "/root/x",
      content: Buffer.from("hello world").toString("base64"),
      encode: 0,
    });
    const read = await s.call("GET", `${agent(100)}/file-read`, { file: "/root/x" });
    expect(read.json.data).toEqual({ content: "hello world" });
    const raw = await s.call("GET", `${agent(100)}/file-read`, {
      file: "/root/x",
      decode: 0,
      count: 5,
    });
    expect(raw.json.data).toEqual({
      content: Buffer.from("hello").toString("base64"),
      truncated: 1,
    });
    const bad = await s.call("POST", `${agent(100)}/file-write`, {
      file: "/x",
      content: "%%",
      encode: 0,
    });
    expect(bad.reason).toContain("Base64 data is invalid");
  });
});

describe("network", () => {
  test("network-get-interfaces: lo and the NICs with lower-case MACs", async () => {
    const res = await s.call("GET", `${agent(100)}/network-get-interfaces`);
    const ifaces = res.json.data.result;
    expect(ifaces[0].name).toBe("lo");
    expect(ifaces[1].name).toBe("ens18");
    expect(ifaces[1]["hardware-address"]).toMatch(/^bc:24:11:[0-9a-f:]{8}$/);
    expect(ifaces[1]["ip-addresses"][0]).toEqual({
      "ip-address": "10.0.1.120",
      "ip-address-type": "ipv4",
      prefix: 24,
    });
  });

  test("container interfaces: inet/inet6 and hwaddr; null when stopped", async () => {
    const rows = (await s.call("GET", "/nodes/pve1/lxc/200/interfaces")).json.data;
    expect(rows.map((r: { name: string }) => r.name)).toEqual(["lo", "eth0"]);
    expect(rows[1].inet).toBe("10.0.1.20/24");
    expect(rows[1].hwaddr).toBe(rows[1]["hardware-address"]);
    expect((await s.call("GET", "/nodes/pve2/lxc/201/interfaces")).json).toEqual({ data: null });
  });
});
