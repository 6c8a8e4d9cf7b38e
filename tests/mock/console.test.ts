// The mock's termproxy and vncwebsocket over real HTTP and a real WebSocket (Bun's client):
// PVE's ticket checks (user, path, −20…+40 s, URL-encoding, the first line), the xterm.js
// frames, the simulated terminals, and the node-shell rules before and since pve-manager 9.0.13.

import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import type { MockServer } from "../../src/mock/index.ts";
import { GUEST_ROOT_PASSWORD } from "../../src/mock/seed.ts";
import { login, type Session, startTestMock, waitTask } from "./helpers.ts";

let mock: MockServer;
let root: Session;
beforeEach(async () => {
  mock = await startTestMock();
  root = await login(mock);
});
afterEach(() => mock.stop());

interface Reply {
  user: string;
  ticket: string;
  port: string;
  upid: string;
}

async function termproxy(s: Session, path: string, params = {}): Promise<Reply> {
  const res = await s.call("POST", `${path}/termproxy`, params);
  if (res.status !== 200) throw new Error(`${res.status} ${res.reason}`);
  return res.json.data;
}

interface Client {
  ws: WebSocket;
  opened: Promise<string | undefined>;
  closed: Promise<number>;
  received(): string;
  waitFor(pattern: RegExp): Promise<string>;
  type(text: string): void;
}

/** A WebSocket to …/vncwebsocket; `opened` resolves to undefined or the failure message. */
function websocket(
  path: string,
  query: string,
  headers: Record<string, string>,
  protocols: string[] = ["binary"],
): Client {
  const url = `${mock.url.replace(/^http/, "ws")}/api2/json${path}/vncwebsocket?${query}`;
  const ws = new WebSocket(url, { headers, protocols });
  ws.binaryType = "arraybuffer";
  let text = "";
  const waiters = new Set<() => void>();
  ws.onmessage = (e) => {
    text += typeof e.data === "string" ? e.data : new TextDecoder().decode(e.data as ArrayBuffer);
    for (const w of [...waiters]) w();
  };
  const opened = new Promise<string | undefined>((resolve) => {
    ws.onopen = () => resolve(undefined);
    ws.onerror = (e) => resolve((e as ErrorEvent).message);
  });
  const closed = new Promise<number>((resolve) => {
    ws.onclose = (e) => {
      resolve(e.code);
      for (const w of [...waiters]) w();
    };
  });
  return {
    ws,
    opened,
    closed,
    received: () => text,
    type: (t) => ws.send(`0:${new TextEncoder().encode(t).length}:${t}`),
    waitFor: (pattern) =>
      new Promise((resolve, reject) => {
        // A bound (under the test's timeout) that says what did arrive, not a measure.
        const timer = setTimeout(() => stop(`no ${pattern} in 20 s`), 20_000);
        const stop = (why?: string) => {
          clearTimeout(timer);
          waiters.delete(check);
          if (why) reject(new Error(`${why}: ${JSON.stringify(text)}`));
          else resolve(text);
        };
        const check = () => {
          if (pattern.test(text)) stop();
          else if (ws.readyState === WebSocket.CLOSED) stop(`closed before ${pattern}`);
        };
        waiters.add(check);
        check();
      }),
  };
}

const cookie = (s: Session) => ({ Cookie: `PVEAuthCookie=${encodeURIComponent(s.ticket)}` });
const token = () => ({
  Authorization: `PVEAPIToken=${mock.credentials.tokenId}=${mock.credentials.tokenSecret}`,
});
const q = (r: Reply, ticket = encodeURIComponent(r.ticket), port = r.port) =>
  `port=${port}&vncticket=${ticket}`;

describe("termproxy", () => {
  test("answers user, VNC ticket, port (a string, 5900-5999) and a vncproxy task", async () => {
    const r = await termproxy(root, "/nodes/pve1/qemu/100", { serial: "serial0" });
    expect(r.user).toBe("root@pam");
    expect(r.ticket).toMatch(/^PVEVNC:[0-9A-F]{8}::\S+$/);
    expect(r.port).toMatch(/^59\d\d$/);
    expect(r.upid).toMatch(
      /^UPID:pve1:[0-9A-F]{8}:[0-9A-F]{8,9}:[0-9A-F]{8}:vncproxy:100:root@pam:$/,
    );
    const nodeShell = await termproxy(root, "/nodes/pve1");
    expect(nodeShell.upid).toContain(":vncshell::root@pam:");
    expect(Number(nodeShell.port)).not.toBe(Number(r.port));
  });

  test("a missing guest, an invalid serial and a missing privilege are refused as PVE does", async () => {
    const missing = await root.call("POST", "/nodes/pve1/qemu/999/termproxy");
    expect([missing.status, missing.reason]).toEqual([
      500,
      "Configuration file 'nodes/pve1/qemu-server/999.conf' does not exist",
    ]);
    const serial = await root.call("POST", "/nodes/pve1/qemu/100/termproxy", { serial: "com1" });
    expect(serial.json.errors.serial).toContain("does not have a value in the enumeration");
    const auditor = await login(mock, "auditor@pve", mock.credentials.auditorPassword);
    const denied = await auditor.call("POST", "/nodes/pve1/qemu/100/termproxy");
    expect([denied.status, denied.reason]).toEqual([
      403,
      "Permission check failed (/vms/100, VM.Console)",
    ]);
    const shell = await auditor.call("POST", "/nodes/pve1/termproxy");
    expect(shell.reason).toBe("Permission check failed (/nodes/pve1, Sys.Console)");
  });

  test("without a connection within its wait, termproxy gives up and its task fails", async () => {
    mock.consoles.acceptTimeoutMs = 30;
    try {
      const r = await termproxy(root, "/nodes/pve1");
      const status = await waitTask(root, r.upid);
      expect(status.exitstatus).toContain("failed: exit code 1");
      const c = websocket("/nodes/pve1", q(r), cookie(root));
      expect(await c.opened).toContain("Connection ended"); // nobody listens on the port
    } finally {
      mock.consoles.acceptTimeoutMs = 10_000;
    }
  });
});

describe("the vncwebsocket checks the VNC ticket", () => {
  test("a valid ticket opens; `OK`, then the terminal; the task ends OK when it closes", async () => {
    const r = await termproxy(root, "/nodes/pve1");
    const c = websocket("/nodes/pve1", q(r), cookie(root));
    expect(await c.opened).toBeUndefined();
    expect(c.ws.protocol).toBe("binary");
    c.ws.send(`${r.user}:${r.ticket}\n`);
    await c.waitFor(/root@pve1:~# $/);
    expect(c.received().startsWith("OK")).toBe(true);
    c.type("hostname\r");
    // biome-ignore lint/suspicious/noControlCharactersInRegex: terminal output has escapes
    await c.waitFor(/hostname\r\n\x1b\[\?2004l\rpve1\r\n/);
    c.type("exit\r");
    await c.closed;
    expect((await waitTask(root, r.upid)).exitstatus).toBe("OK");
  });

  test("a ticket not URL-encoded in the query is refused (+ becomes a space)", async () => {
    // A ticket signs user, path and second: other seconds give other tickets, one with a "+".
    let r = await termproxy(root, "/nodes/pve1");
    const issued = Date.now();
    try {
      for (let i = 1; i < 20 && !r.ticket.includes("+"); i++) {
        mock.consoles.now = () => issued + i * 1000;
        r = await termproxy(root, "/nodes/pve1");
      }
    } finally {
      mock.consoles.now = Date.now;
    }
    expect(r.ticket).toContain("+");
    const plain = await root.call("GET", "/nodes/pve1/vncwebsocket", {
      port: r.port,
      vncticket: r.ticket,
    });
    expect(plain.status).toBe(200); // properly encoded by the form helper
    const c = websocket("/nodes/pve1", q(r, r.ticket), cookie(root));
    expect(await c.opened).toContain("Expected 101 status code: 500");
  });

  test("the ticket is bound to its path and its user (not yet its port, in PVE 9.1.3)", async () => {
    const a = await termproxy(root, "/nodes/pve1");
    const b = await termproxy(root, "/nodes/pve1");
    const otherPort = await root.call("GET", "/nodes/pve1/vncwebsocket", {
      port: b.port,
      vncticket: a.ticket,
    });
    expect(otherPort.status).toBe(200);
    const wrongPath = await root.call("GET", "/nodes/pve1/qemu/100/vncwebsocket", {
      port: a.port,
      vncticket: a.ticket,
    });
    expect(wrongPath.reason).toBe("permission denied - invalid PVEVNC ticket");
    const asToken = websocket("/nodes/pve1", q(a), token());
    expect(await asToken.opened).toContain("Expected 101 status code: 500");
  });

  test("valid from 20 s before to 40 s after it was issued", async () => {
    // The mock's clock stands still while the ticket is issued, then is moved.
    const issued = Date.now();
    mock.consoles.now = () => issued;
    try {
      const r = await termproxy(root, "/nodes/pve1");
      const check = () =>
        root.call("GET", "/nodes/pve1/vncwebsocket", { port: r.port, vncticket: r.ticket });
      mock.consoles.now = () => issued + 39_000;
      expect((await check()).status).toBe(200);
      mock.consoles.now = () => issued + 42_000;
      expect((await check()).reason).toBe("permission denied - invalid PVEVNC ticket");
      mock.consoles.now = () => issued - 22_000;
      expect((await check()).status).toBe(500);
    } finally {
      mock.consoles.now = Date.now;
    }
  });

  test("no credentials: 401 before any upgrade", async () => {
    const r = await termproxy(root, "/nodes/pve1");
    const c = websocket("/nodes/pve1", q(r), {});
    expect(await c.opened).toContain("Expected 101 status code: 401");
  });

  test("pveproxy wants the binary or base64 subprotocol", async () => {
    const r = await termproxy(root, "/nodes/pve1");
    const c = websocket("/nodes/pve1", q(r), cookie(root), ["chat"]);
    expect(await c.opened).toContain("Expected 101 status code: 501");
  });

  test("termproxy drops the connection when the first line is not user:ticket", async () => {
    const cases = [
      (r: Reply) => `auditor@pve:${r.ticket}\n`,
      (r: Reply) => `${r.user}:PVEVNC:00000000::xyz\n`,
      (r: Reply) => `${r.user}${r.ticket}\n`,
    ];
    for (const make of cases) {
      const r = await termproxy(root, "/nodes/pve1");
      const c = websocket("/nodes/pve1", q(r), cookie(root));
      expect(await c.opened).toBeUndefined();
      c.ws.send(make(r));
      expect(await c.closed).toBe(1006);
      expect(c.received()).toBe("");
      expect((await waitTask(root, r.upid)).exitstatus).toBe("authentication failed");
    }
  });
});

describe("terminals", () => {
  async function open(path: string, params = {}, s = root, headers = cookie(root)) {
    const r = await termproxy(s, path, params);
    const c = websocket(path, q(r), headers);
    expect(await c.opened).toBeUndefined();
    c.ws.send(`${r.user}:${r.ticket}\n`);
    return { r, c };
  }

  test("a VM's serial console starts at a login prompt; root logs in with the seed password", async () => {
    const { c } = await open("/nodes/pve1/qemu/100", { serial: "serial0" });
    await c.waitFor(/Debian GNU\/Linux 13 web-01 ttyS0\r\n\r\nweb-01 login: $/);
    c.type("root\r");
    await c.waitFor(/Password: $/);
    c.type("wrong\r");
    await c.waitFor(/Login incorrect\r\nweb-01 login: $/);
    c.type("root\r");
    await c.waitFor(/Password: $/);
    c.type(`${GUEST_ROOT_PASSWORD}\r`);
    await c.waitFor(/root@web-01:~# $/);
    expect(c.received()).not.toContain(GUEST_ROOT_PASSWORD); // passwords are not echoed
    c.type("exit\r");
    await c.waitFor(/logout\r\n\r\nDebian GNU\/Linux 13 web-01 ttyS0\r\n\r\nweb-01 login: $/);
    c.ws.close();
  });

  test("input frames carry UTF-8 byte lengths; split frames are reassembled", async () => {
    const { c } = await open("/nodes/pve1");
    await c.waitFor(/# $/);
    const bytes = new TextEncoder().encode("echo héllo ✓\r").length; // 13 characters, 16 bytes
    c.ws.send(`0:${bytes}:echo héllo`); // the frame's data continues in the next message
    c.ws.send(" ✓\r");
    await c.waitFor(/\rhéllo ✓\r\n/);
    c.ws.send("1:120:40:2");
    c.type("whoami\r");
    // biome-ignore lint/suspicious/noControlCharactersInRegex: terminal output has escapes
    await c.waitFor(/whoami\r\n\x1b\[\?2004l\rroot\r\n/);
    c.ws.close();
  });

  test("ctrl-c interrupts a running command; ctrl-c at the prompt prints ^C", async () => {
    const { c } = await open("/nodes/pve2");
    await c.waitFor(/root@pve2:~# $/);
    c.type("ping 10.0.0.1\r");
    await c.waitFor(/icmp_seq=2 /);
    c.type("\x03");
    await c.waitFor(/\^C\r\n--- 10.0.0.1 ping statistics ---[\s\S]*root@pve2:~# $/);
    c.type("abc\x03");
    // biome-ignore lint/suspicious/noControlCharactersInRegex: terminal output has escapes
    await c.waitFor(/abc\^C\r\n\x1b\[\?2004h[^\n]*root@pve2:~# $/);
    c.ws.close();
  });

  test("a stopped VM, a VM without serial port and an unreachable node print why and close", async () => {
    const noSerial = await open("/nodes/pve1/qemu/101");
    await noSerial.c.closed;
    expect(noSerial.c.received()).toBe("OKserial interface 'serial0' is not configured\r\n");
    expect((await waitTask(root, noSerial.r.upid)).exitstatus).toContain("exit code 1");
    const vm102 = mock.state.guests.get(102);
    if (!vm102) throw new Error("no VM 102");
    vm102.config.serial0 = "socket";
    const stopped = await open("/nodes/pve2/qemu/102", { serial: "serial0" });
    await stopped.c.closed;
    expect(stopped.c.received()).toBe("OKVM 102 not running\r\n");
    delete vm102.config.serial0;
    mock.faults.offlineNodes.add("pve3");
    try {
      const off = await open("/nodes/pve3");
      await off.c.closed;
      expect(off.c.received()).toBe(
        "OKssh: connect to host 10.0.0.13 port 22: No route to host\r\n",
      );
    } finally {
      mock.faults.offlineNodes.delete("pve3");
    }
  });

  test("a container's console starts at its getty", async () => {
    const { c } = await open("/nodes/pve1/lxc/200");
    await c.waitFor(/Debian GNU\/Linux 13 dns-01 tty1\r\n\r\ndns-01 login: $/);
    c.ws.close();
  });
});

describe("node shells and who may open them", () => {
  test("root@pam with a ticket gets a root shell; a token gets /bin/login (PVE >= 9.0.13)", async () => {
    const res = await fetch(`${mock.url}/api2/json/nodes/pve1/termproxy`, {
      method: "POST",
      headers: token(),
    });
    const tokenReply = ((await res.json()) as { data: Reply }).data;
    expect(tokenReply.user).toBe("root@pam!mcp");
    const c = websocket("/nodes/pve1", q(tokenReply), token());
    expect(await c.opened).toBeUndefined();
    c.ws.send(`${tokenReply.user}:${tokenReply.ticket}\n`);
    await c.waitFor(/^OK\r\npve1 login: $/);
    c.type(`root\r`);
    await c.waitFor(/Password: $/);
    c.type(`${mock.credentials.password}\r`);
    await c.waitFor(/root@pve1:~# $/);
    c.ws.close();
  });

  test("before pve-manager 9.0.13 a token is refused, and so is a user outside the pam realm", async () => {
    const version = mock.state.version.version;
    mock.state.version.version = "9.0.12";
    try {
      const res = await fetch(`${mock.url}/api2/json/nodes/pve1/termproxy`, {
        method: "POST",
        headers: token(),
      });
      expect([res.status, res.statusText]).toEqual([
        500,
        "value 'root@pam!mcp' does not look like a valid user name",
      ]);
      mock.state.acl.push({
        path: "/",
        ugid: "auditor@pve",
        roleid: "Administrator",
        propagate: true,
      });
      const auditor = await login(mock, "auditor@pve", mock.credentials.auditorPassword);
      const pve = await auditor.call("POST", "/nodes/pve1/termproxy");
      expect([pve.status, pve.reason]).toEqual([403, "Permission check failed (realm != pam)"]);
      mock.state.acl.pop();
      expect((await root.call("POST", "/nodes/pve1/termproxy")).status).toBe(200);
    } finally {
      mock.state.version.version = version;
    }
  });
});
