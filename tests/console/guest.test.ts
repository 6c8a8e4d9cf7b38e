// Guest consoles through a real MCP client → server → console engine → mock (termproxy, the
// vncwebsocket, a simulated getty and shell): log in at a VM's serial console, run commands,
// special keys, and the three ways a read ends.

import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { GUEST_ROOT_PASSWORD } from "../../src/mock/seed.ts";
import { type Harness, startHarness } from "../support/harness.ts";

let h: Harness;
/** The session id of VM 100's serial console, once a test opened it. */
let vm: string;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close(); // closes its consoles
});

interface Read {
  session: string;
  output: string;
  ended: string;
  prompt: string;
  more?: boolean;
  closed?: boolean;
}
interface Run extends Omit<Read, "more"> {
  opened: boolean;
  prompt_line: string;
  earlier_output?: string;
  note?: string;
}

const read = (args: Record<string, unknown>) =>
  h.ok<Read>("console_read", { session: vm, ...args });
const send = (args: Record<string, unknown>) => h.ok("console_send", { session: vm, ...args });
const run = (command: string, more = {}) =>
  h.ok<Run>("console_run", { session: vm, command, ...more });

/** VM 100's serial console, opened: at its login prompt. */
async function openVm(): Promise<void> {
  vm = (await h.ok<{ session: string }>("console_open", { vmid: 100, wait_ms: 100 })).session;
}

/** VM 100's serial console, opened and logged in as root: at a shell prompt. */
async function loggedIn(): Promise<void> {
  await openVm();
  await send({ text: "root", press: ["enter"] });
  await read({ until: "Password: $" });
  await send({ secret: GUEST_ROOT_PASSWORD, press: ["enter"] });
  await read({ until: "# $" });
}

describe("a VM's serial console", () => {
  test("console_open calls termproxy with serial0, then the vncwebsocket; it starts at login", async () => {
    h.mock.requests.length = 0;
    const r = await h.ok<Record<string, unknown>>("console_open", { vmid: 100, wait_ms: 100 });
    expect(r).toMatchObject({
      target: "the serial0 console of VM 100",
      kind: "qemu",
      node: "pve1",
      vmid: 100,
      user: "root@pam!mcp",
      auth: "token",
      prompt: "login",
      output: "\nDebian GNU/Linux 13 web-01 ttyS0\n\nweb-01 login: ",
    });
    expect(r.note).toContain("secret");
    vm = r.session as string;
    expect(vm).toMatch(/^vm100-[0-9a-f]{6}$/);
    const consoleCalls = h.mock.requests
      .filter((q) => q.path !== "/cluster/resources")
      .map((q) => [q.method, q.path, Object.keys(q.params).sort().join(","), q.status]);
    expect(consoleCalls).toEqual([
      ["POST", "/nodes/pve1/qemu/100/termproxy", "serial", 200],
      ["GET", "/nodes/pve1/qemu/100/vncwebsocket", "port,vncticket", 200],
    ]);
    expect(h.writes()[0]?.params).toEqual({ serial: "serial0" });
  });

  test("log in: the user as text, the password as secret (never shown back)", async () => {
    await openVm();
    await send({ text: "root", press: ["enter"] });
    const asked = await read({ until: "Password: $" });
    expect(asked).toMatchObject({
      ended: "pattern",
      prompt: "password",
      output: "root\nPassword: ",
    });
    const sent = await send({ secret: GUEST_ROOT_PASSWORD, press: ["enter"] });
    expect(sent).toEqual({
      session: vm,
      sent_bytes: GUEST_ROOT_PASSWORD.length + 1,
      keys: ["enter"],
    });
    const shell = await read({ until: "# $" });
    expect(shell.prompt).toBe("shell");
    expect(shell.output).toStartWith("\nLinux web-01 6.12.57+deb13-amd64");
    expect(shell.output).toEndWith("root@web-01:~# ");
    expect(JSON.stringify(shell)).not.toContain(GUEST_ROOT_PASSWORD);
  });

  test("console_run types one line and returns its output, without echo and prompt", async () => {
    await loggedIn();
    const r = await run("uname -a");
    expect(r).toMatchObject({
      opened: false,
      ended: "pattern",
      prompt: "shell",
      prompt_line: "root@web-01:~# ",
      output:
        "Linux web-01 6.12.57+deb13-amd64 #1 SMP PREEMPT_DYNAMIC Debian 6.12.57-1 (2025-11-05) x86_64 GNU/Linux\n",
    });
    expect((await run("cat /etc/os-release")).output).toContain(
      'PRETTY_NAME="Debian GNU/Linux 13 (trixie)"',
    );
    expect((await run("whoami")).output).toBe("root\n");
    expect((await run("ls")).output).toBe("scripts  notes.txt\n"); // colours stripped
    expect((await run("frobnicate")).output).toBe("-bash: frobnicate: command not found\n");
  });

  test("the text rendering is the output and one status line", async () => {
    await loggedIn();
    const r = await h.call("console_run", { session: vm, command: "hostname" });
    const text = r.content.map((c) => (c.type === "text" ? c.text : "")).join("");
    expect(text).toBe(`web-01\nroot@web-01:~# \n[console ${vm}: pattern, at a shell prompt]`);
  });

  test("ctrl-c interrupts a command that never goes quiet; a read then ends by timeout", async () => {
    await loggedIn();
    await send({ text: "ping 10.0.0.1\n" });
    const busy = await read({ quiet_ms: 1000, timeout_ms: 1500 });
    expect(busy.ended).toBe("timeout"); // a line every 200 ms: never quiet for a second
    expect(busy.output).toContain("icmp_seq=1 ttl=64");
    await send({ press: ["ctrl-c"] });
    const back = await read({ until: "# $" });
    expect(back.ended).toBe("pattern");
    expect(back.output).toContain("^C\n--- 10.0.0.1 ping statistics ---");
    expect(back.output).toEndWith("root@web-01:~# ");
  });

  test("ctrl-c at the prompt drops the line; backspace edits it; ctrl-z stops a job", async () => {
    await loggedIn();
    await send({ text: "abc", press: ["ctrl-c"] });
    expect((await read({ until: "# $" })).output).toBe("abc^C\nroot@web-01:~# ");
    await send({ text: "hostnamX", press: ["backspace"] });
    await send({ text: "e\n" });
    expect((await read({ until: "# $" })).output).toBe("hostname\nweb-01\nroot@web-01:~# ");
    await send({ text: "sleep 100\n" });
    await send({ press: ["ctrl-z"] });
    const stopped = await read({ until: "# $" });
    expect(stopped.output).toContain("[1]+  Stopped                 sleep 100");
  });

  test("a read ends when output is quiet, at a pattern, or at the timeout", async () => {
    await loggedIn();
    await send({ text: "echo quiet\n" });
    const quiet = await read({ quiet_ms: 100 });
    expect(quiet).toMatchObject({ ended: "quiet", output: "echo quiet\nquiet\nroot@web-01:~# " });
    await send({ text: "echo marker-42\n" });
    // Multiline: ^ anchors at a line start, so the echoed command line does not match.
    const pattern = await read({ until: "^marker-\\d+$" });
    expect(pattern).toMatchObject({ ended: "pattern" });
    expect(pattern.output).toStartWith("echo marker-42\nmarker-42\n");
    await send({ text: "sleep 5\n" });
    await read({ until: "sleep 5\\n" });
    const timeout = await read({ until: "never-printed", timeout_ms: 200 });
    expect(timeout).toMatchObject({ ended: "timeout", output: "" });
    await send({ press: ["ctrl-c"] });
    await read({ until: "# $" });
  });

  test("max_chars pages through long output; nothing is lost", async () => {
    await loggedIn();
    await send({ text: "cat /etc/os-release\n" });
    await read({ until: "BUG_REPORT_URL[^\\n]*\\n[^\\n]*# $", max_chars: 100 }).then(
      async (first) => {
        expect(first.more).toBe(true);
        expect(first.output.length).toBe(100);
        const rest = await read({ quiet_ms: 0 });
        expect(`${first.output}${rest.output}`).toContain(
          'SUPPORT_URL="https://www.debian.org/support"',
        );
        expect(rest.more).toBeUndefined();
      },
    );
  });

  test("console_run refuses at a login prompt and types nothing", async () => {
    await loggedIn();
    await send({ text: "exit\n" }); // the serial getty comes back
    expect((await read({ until: "login: $" })).prompt).toBe("login");
    const text = await h.fails("console_run", { session: vm, command: "uptime" });
    expect(text).toContain(`console ${vm} is at a login prompt; the command was not typed`);
    expect(text).toContain("console_send");
    expect((await read({ quiet_ms: 50 })).output).toBe("");
  });

  test("console_close ends it; a second close has nothing to do", async () => {
    await openVm();
    expect(await h.ok("console_close", { session: vm })).toEqual({
      session: vm,
      closed: true,
      message: `console ${vm} closed`,
    });
    expect((await h.ok("console_close", { session: vm })).closed).toBe(false);
    expect(await h.fails("console_read", { session: vm })).toContain(
      `console ${vm} is closed: closed by console_close`,
    );
  });
});

describe("opening guest consoles", () => {
  test("console_run opens a console for its target, refuses at the login prompt, then reuses it", async () => {
    const text = await h.fails("console_run", { vmid: 200, command: "hostname" });
    const id = /console (ct200-[0-9a-f]{6}) is at a login prompt/.exec(text)?.[1] as string;
    expect(id).toBeDefined();
    await h.ok("console_send", { session: id, text: "root\n" });
    await h.ok("console_read", { session: id, until: "Password: $" });
    await h.ok("console_send", { session: id, secret: GUEST_ROOT_PASSWORD, press: ["enter"] });
    await h.ok("console_read", { session: id, until: "# $" });
    const r = await h.ok<Run>("console_run", { vmid: 200, command: "hostname" });
    expect(r).toMatchObject({ session: id, opened: false, output: "dns-01\n", prompt: "shell" });
    expect((await h.ok("console_close", { session: id })).closed).toBe(true);
  });

  test("a stopped guest is refused before anything is sent", async () => {
    h.mock.requests.length = 0;
    const text = await h.fails("console_open", { vmid: 102 });
    expect(text).toContain("VM 102 (win-build) on pve2 is stopped");
    expect(text).toContain("start_vm");
    expect(h.writes()).toEqual([]);
  });

  test("a VM without a serial port: the console closes at once and says what to configure", async () => {
    const text = await h.fails("console_open", { vmid: 101, wait_ms: 2000 });
    expect(text).toContain(
      "the serial0 console of VM 101 closed right after it opened: serial interface 'serial0' is not configured",
    );
    expect(text).toContain("serial0: socket");
  });

  test("arguments that cannot work are refused and nothing is sent", async () => {
    h.mock.requests.length = 0;
    expect(await h.fails("console_open", {})).toContain("say which console");
    expect(await h.fails("console_open", { vmid: 200, serial: "serial1" })).toContain(
      "is a container: it has one console, no serial ports",
    );
    expect(await h.fails("console_open", { node: "pve1", serial: "serial1" })).toContain(
      "type and serial apply to guest consoles",
    );
    expect(await h.fails("console_read", { session: "vm100-000000", until: "(" })).toContain(
      "until is not a valid regular expression",
    );
    expect(await h.fails("console_run", { node: "pve1", command: "a\nb" })).toContain(
      "one line: no newlines",
    );
    expect(h.writes()).toEqual([]);
    expect(await h.fails("console_send", { session: "vm100-000000" })).toContain("nothing to send");
    expect(await h.fails("console_read", { session: "vm100-000000" })).toContain(
      'no console "vm100-000000"',
    );
  });
});
