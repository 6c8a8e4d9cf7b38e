// Guest agent tools through a real MCP client against the mock: PVE's gates in order, exec with
// repeated command keys, exec-status, file read/write.

import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { type Harness, startHarness } from "../support/harness.ts";

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(() => h.close());

const guest = (vmid: number) => h.guest(vmid);

describe("gates", () => {
  test("vm_agent_ping answers on a VM with a running agent", async () => {
    h.mock.requests.length = 0;
    const r = await h.ok<{ ok: boolean; version?: string }>("vm_agent_ping", { vmid: 100 });
    expect(r.ok).toBe(true);
    expect(r.version).toBe("9.2.0");
    // guest-info answers only when the agent does, and is a read: nothing is written.
    expect(h.writes()).toEqual([]);
    expect(h.mock.requests.map((q) => `${q.method} ${q.path}`)).toContain(
      "GET /nodes/pve1/qemu/100/agent/info",
    );
  });

  test("a read-only server pings the agent too: the client's read-only wall lets it through", async () => {
    const ro = await startHarness({ readOnlyClient: true });
    try {
      const r = await ro.ok<{ ok: boolean }>("vm_agent_ping", { vmid: 100 });
      expect(r.ok).toBe(true);
    } finally {
      await ro.close();
    }
  });

  test("no agent configured, VM stopped, agent not answering: PVE's words and what to do", async () => {
    const none = await h.fails("vm_agent_ping", { vmid: 103 });
    expect(none).toContain("No QEMU guest agent configured");
    expect(none).toContain("agent=1");
    const stopped = await h.fails("vm_agent_ping", { node: "pve3", vmid: 104 });
    expect(stopped).toContain("VM 104 is not running");
    expect(stopped).toContain("start_vm");
    guest(101).config.agent = "0";
    try {
      const off = await h.fails("vm_agent_ping", { vmid: 101 });
      expect(off).toContain("QEMU guest agent is not running");
      expect(off).toContain("qemu-guest-agent");
    } finally {
      guest(101).config.agent = "1";
    }
  });

  test("a container is refused before any agent call", async () => {
    h.mock.requests.length = 0;
    const text = await h.fails("vm_exec", { vmid: 200, command: "ls" });
    expect(text).toContain("only VMs have");
    expect(h.writes()).toEqual([]);
  });
});

describe("exec", () => {
  test("the command goes as repeated form keys; vm_exec_status returns decoded output", async () => {
    h.mock.requests.length = 0;
    const started = await h.ok<{ pid: number; exited: boolean; next: string }>("vm_exec", {
      vmid: 100,
      command: "cat /etc/hostname",
    });
    expect(started.exited).toBe(false);
    expect(started.next).toContain("vm_exec_status");
    expect(h.writes()[0]?.params).toEqual({ command: ["cat", "/etc/hostname"] });
    let status = await h.ok<{ exited: boolean; stdout?: string; exitcode?: number }>(
      "vm_exec_status",
      { vmid: 100, pid: started.pid },
    );
    // Polled until it exits (the test's timeout bounds it), as a client would.
    while (!status.exited) {
      await Bun.sleep(20);
      status = await h.ok("vm_exec_status", { vmid: 100, pid: started.pid });
    }
    expect(status).toMatchObject({ exited: true, exitcode: 0, stdout: "web-01\n" });
  });

  test("wait: true gives exit code, stdout and stderr in one call; shell runs sh -c", async () => {
    const r = await h.ok<{ exitcode: number; stdout: string; stderr: string }>("vm_exec", {
      vmid: 100,
      command: "echo start && cat /nope",
      shell: true,
      wait: true,
    });
    expect(h.writes().at(-1)?.params).toEqual({
      command: ["/bin/sh", "-c", "echo start && cat /nope"],
    });
    expect(r).toMatchObject({
      exitcode: 1,
      stdout: "start\n",
      stderr: "cat: /nope: No such file or directory\n",
    });
  });

  test("argv arrays and stdin (input_data) pass through", async () => {
    const r = await h.ok<{ stdout: string }>("vm_exec", {
      vmid: 100,
      command: ["cat"],
      input_data: "from stdin",
      wait: true,
    });
    expect(h.writes().at(-1)?.params).toEqual({ command: "cat", "input-data": "from stdin" });
    expect(r.stdout).toBe("from stdin");
  });

  test("an unknown program is the agent's error; an unknown pid too", async () => {
    const text = await h.fails("vm_exec", { vmid: 100, command: "frobnicate --now" });
    expect(text).toContain("Agent error: Guest agent command failed");
    expect(await h.fails("vm_exec_status", { vmid: 100, pid: 4242 })).toContain(
      "Agent error: Invalid parameter 'pid'",
    );
  });
});

describe("files and OS", () => {
  test("vm_write_file then vm_read_file; encode false takes base64", async () => {
    const w = await h.ok<{ bytes: number }>("vm_write_file", {
      vmid: 100,
      file: "/tmp/hello.txt",
      content: "héllo\n",
    });
    expect(w.bytes).toBe(7);
    expect(h.writes().at(-1)?.params).toEqual({ file: "/tmp/hello.txt", content: "héllo\n" });
    const r = await h.ok<{ content: string; truncated: boolean }>("vm_read_file", {
      vmid: 100,
      file: "/tmp/hello.txt",
    });
    expect(r).toMatchObject({ content: "héllo\n", truncated: false });
    await h.ok("vm_write_file", {
      vmid: 100,
      file: "/tmp/bin",
      content: Buffer.from([0, 1, 2, 255]).toString("base64"),
      encode: false,
    });
    expect([...(guest(100).guestOs?.files.get("/tmp/bin") ?? [])]).toEqual([0, 1, 2, 255]);
    const b = await h.ok<{ content: string; encoding: string }>("vm_read_file", {
      vmid: 100,
      file: "/tmp/bin",
      base64: true,
    });
    expect(b).toMatchObject({ content: "AAEC/w==", encoding: "base64" });
  });

  test("partial reads say truncated; a missing file is the agent's error", async () => {
    const r = await h.ok<{ content: string; truncated: boolean }>("vm_read_file", {
      vmid: 100,
      file: "/etc/os-release",
      count: 11,
    });
    expect(r).toEqual(expect.objectContaining({ content: "PRETTY_NAME", truncated: true }));
    expect(await h.fails("vm_read_file", { vmid: 100, file: "/etc/nope" })).toContain(
      "failed to open file '/etc/nope' (mode: 'r'): No such file or directory",
    );
  });

  test("get_agent_osinfo", async () => {
    const r = await h.ok<{ pretty_name: string; kernel_release: string }>("get_agent_osinfo", {
      vmid: 100,
    });
    expect(r.pretty_name).toBe("Debian GNU/Linux 13 (trixie)");
    expect(r.kernel_release).toMatch(/^6\.12/);
  });
});
