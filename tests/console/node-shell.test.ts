// Node shells and PVE's auth realities: root@pam with a ticket gets a root shell; a token gets
// /bin/login (since pve-manager 9.0.13) or a refusal (before); a password configured beside a
// token lets the console log in with a ticket (the client's ticketClient()).

import { afterAll, afterEach, describe, expect, test } from "bun:test";
import { PveClient } from "../../src/pve/index.ts";
import { type Harness, startHarness } from "../support/harness.ts";

const harnesses: Harness[] = [];
async function harness(auth: "token" | "ticket"): Promise<Harness> {
  const h = await startHarness({ auth });
  harnesses.push(h);
  return h;
}
afterEach(() => {
  for (const h of harnesses) h.consoles.closeAll();
});
afterAll(async () => {
  for (const h of harnesses) await h.close();
});

/** What the lead is asked to add to PveClient: a ticket twin built from the configured password. */
function withTicketTwin(h: Harness): PveClient {
  const twin = new PveClient({
    origin: h.mock.url,
    verifyTls: true,
    timeoutMs: 10_000,
    user: h.mock.credentials.user,
    password: h.mock.credentials.password,
  });
  Object.assign(h.pve, { ticketClient: () => twin });
  return twin;
}

interface Opened {
  session: string;
  user: string;
  auth: string;
  prompt: string;
  output: string;
  note?: string;
}

describe("a node shell", () => {
  test("root@pam with a ticket: a root shell; exit ends the console and its task", async () => {
    const h = await harness("ticket");
    h.mock.requests.length = 0;
    const o = await h.ok<Opened>("console_open", { node: "pve2", wait_ms: 50 });
    expect(o).toMatchObject({ user: "root@pam", auth: "ticket", prompt: "shell" });
    expect(o.session).toMatch(/^pve2-shell-[0-9a-f]{6}$/);
    expect(o.output).toStartWith("Linux pve2 6.17.2-1-pve #1 SMP PREEMPT_DYNAMIC");
    expect(o.output).toEndWith("root@pve2:~# ");
    expect(o.note).toBeUndefined();
    expect(h.writes().map((w) => `${w.method} ${w.path}`)).toEqual(["POST /nodes/pve2/termproxy"]);
    const run = await h.ok("console_run", { session: o.session, command: "uname -a" });
    expect(run.output).toBe(
      "Linux pve2 6.17.2-1-pve #1 SMP PREEMPT_DYNAMIC PMX 6.17.2-1 (2025-10-21T11:55Z) x86_64 GNU/Linux\n",
    );
    await h.ok("console_send", { session: o.session, text: "exit\n" });
    const last = await h.ok("console_read", { session: o.session, timeout_ms: 2000 });
    expect(last).toMatchObject({ ended: "closed", closed: true, output: "exit\nlogout\n" });
    expect(await h.fails("console_read", { session: o.session })).toContain("is closed");
    const task = h.mock.state.tasks.find((t) => t.type === "vncshell" && t.node === "pve2");
    expect(task?.exitstatus).toBe("OK");
  });

  test("console_run by node opens a shell, then reuses it", async () => {
    const h = await harness("ticket");
    const first = await h.ok("console_run", { node: "pve1", command: "hostname" });
    expect(first).toMatchObject({ opened: true, output: "pve1\n", prompt: "shell" });
    const again = await h.ok("console_run", { node: "pve1", command: "whoami" });
    expect(again).toMatchObject({ opened: false, session: first.session, output: "root\n" });
  });

  test("an API token (PVE >= 9.0.13) gets /bin/login: the result says so; logging in works", async () => {
    const h = await harness("token");
    const o = await h.ok<Opened>("console_open", { node: "pve1", wait_ms: 50 });
    expect(o).toMatchObject({ user: "root@pam!mcp", auth: "token", prompt: "login" });
    expect(o.output).toBe("\npve1 login: ");
    expect(o.note).toContain("/bin/login");
    expect(o.note).toContain("--password");
    await h.ok("console_send", { session: o.session, text: "root\n" });
    await h.ok("console_read", { session: o.session, until: "Password: $" });
    await h.ok("console_send", {
      session: o.session,
      secret: h.mock.credentials.password,
      press: ["enter"],
    });
    const shell = await h.ok("console_read", { session: o.session, until: "# $" });
    expect(shell.prompt).toBe("shell");
    expect(JSON.stringify(shell)).not.toContain(h.mock.credentials.password);
  });

  test("an API token before pve-manager 9.0.13: refused, and the error says what to configure", async () => {
    const h = await harness("token");
    h.mock.state.version.version = "9.0.12";
    const text = await h.fails("console_open", { node: "pve1" });
    expect(text).toContain("Proxmox refused the API token root@pam!mcp for the shell of node pve1");
    expect(text).toContain("500 value 'root@pam!mcp' does not look like a valid user name");
    expect(text).toContain("before pve-manager 9.0.13");
    expect(text).toContain("--password");
    expect(text).toContain("guest consoles (by vmid) work with tokens");
  });

  test("a password beside the token: node shells log in with a ticket, guests keep the token", async () => {
    const h = await harness("token");
    h.mock.state.version.version = "9.0.12";
    withTicketTwin(h);
    const shell = await h.ok<Opened>("console_open", { node: "pve1", wait_ms: 50 });
    expect(shell).toMatchObject({ user: "root@pam", auth: "ticket", prompt: "shell" });
    const guest = await h.ok<Opened>("console_open", { vmid: 200, wait_ms: 50 });
    expect(guest).toMatchObject({ user: "root@pam!mcp", auth: "token", prompt: "login" });
  });
});

describe("the VNC ticket through the tool", () => {
  test("a ticket PVE no longer accepts: the refusal is PVE's own words", async () => {
    const h = await harness("ticket");
    // The ticket is issued "a minute ago" (the first clock reading) and checked now.
    let readings = 0;
    h.mock.consoles.now = () => Date.now() - (readings++ === 0 ? 60_000 : 0);
    try {
      const text = await h.fails("console_open", { node: "pve1" });
      expect(text).toContain("GET /nodes/pve1/vncwebsocket");
      expect(text).toContain("500 permission denied - invalid PVEVNC ticket");
    } finally {
      h.mock.consoles.now = Date.now;
    }
  });

  test("an unreachable node: the shell closes at once with ssh's words", async () => {
    const h = await harness("ticket");
    h.mock.faults.offlineNodes.add("pve3");
    const text = await h.fails("console_open", { node: "pve3", wait_ms: 2000 });
    expect(text).toContain(
      "the shell of node pve3 closed right after it opened: ssh: connect to host 10.0.0.13 port 22: No route to host",
    );
    expect(text).toContain("offline");
  });
});
