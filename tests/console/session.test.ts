// Console lifecycle and safety: idle consoles close, all close at shutdown, limits, one wait at a
// time, the audit log never sees a secret, confirmation happens at console_open, and the
// console toolset is opt-in and absent in read-only mode.

import { afterAll, afterEach, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GUEST_ROOT_PASSWORD } from "../../src/mock/seed.ts";
import { createAuditLog } from "../../src/server/audit.ts";
import { OPEN_POLICY } from "../../src/server/policy.ts";
import { toolByName } from "../../src/tools/registry.ts";
import { type Harness, type HarnessOptions, startHarness } from "../support/harness.ts";

const harnesses: Harness[] = [];
async function harness(options: HarnessOptions = {}): Promise<Harness> {
  const h = await startHarness({ auth: "ticket", ...options });
  harnesses.push(h);
  return h;
}
afterEach(() => {
  for (const h of harnesses) h.consoles.closeAll();
});
afterAll(async () => {
  for (const h of harnesses) await h.close();
});

/** Waits for a condition the console engine will make true (the test's timeout bounds it). */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await Bun.sleep(10);
}

describe("lifecycle", () => {
  test("a console unused for the idle time closes by itself, and says so", async () => {
    const h = await harness({ consoles: { idleMs: 50 } });
    const { session } = await h.ok<{ session: string }>("console_open", {
      node: "pve1",
      wait_ms: 0,
    });
    await until(() => h.consoles.list().every((s) => s.id !== session));
    expect(await h.fails("console_read", { session })).toContain(
      `console ${session} is closed: closed after 0 s without use`,
    );
    await until(() => h.mock.consoles.connected === 0); // the connection really ended
  });

  test("every console closes when the server shuts down", async () => {
    const h = await harness();
    const a = await h.ok<{ session: string }>("console_open", { node: "pve1", wait_ms: 0 });
    const b = await h.ok<{ session: string }>("console_open", { vmid: 100, wait_ms: 0 });
    expect(h.consoles.closeAll()).toBe(2);
    for (const { session } of [a, b]) {
      expect(await h.fails("console_send", { session, text: "x" })).toContain(
        "the server is shutting down",
      );
    }
    await until(() => h.mock.consoles.connected === 0);
  });

  test("the server's hooks close one MCP session's consoles, or all at shutdown", async () => {
    const h = await harness();
    const [a, b] = [{}, {}];
    const mine = await h.consoles.open({ kind: "node", node: "pve1" }, { owner: a });
    const theirs = await h.consoles.open({ kind: "node", node: "pve2" }, { owner: b });
    expect(h.consoles.closeOwnedBy(a)).toBe(1);
    expect([mine.closedReason, theirs.open]).toEqual(["the MCP session ended", true]);
    expect(h.consoles.closeAll()).toBe(1);
    expect(theirs.closedReason).toBe("the server is shutting down");
  });

  test("beyond the limit of open consoles, console_open says which are open", async () => {
    const h = await harness({ consoles: { maxSessions: 1 } });
    const { session } = await h.ok<{ session: string }>("console_open", {
      node: "pve1",
      wait_ms: 0,
    });
    const text = await h.fails("console_open", { node: "pve2" });
    expect(text).toContain(`too many open consoles (limit 1): ${session}`);
    expect(text).toContain("console_close");
  });

  test("one wait at a time per console: a second read is refused, not interleaved", async () => {
    const h = await harness();
    const { session } = await h.ok<{ session: string }>("console_open", {
      node: "pve1",
      wait_ms: 0,
    });
    const slow = h.ok<{ ended: string }>("console_read", {
      session,
      until: "never",
      timeout_ms: 2000,
    });
    let waiting = true;
    void slow.finally(() => {
      waiting = false;
    });
    // Read again until the slow read holds the console (a read that came first just returns).
    let refused: string | undefined;
    while (waiting && refused === undefined) {
      const r = await h.call("console_read", { session, quiet_ms: 0 });
      if (r.isError) refused = (r.content[0] as { text: string }).text;
    }
    expect(refused).toContain("is busy");
    expect((await slow).ended).toBe("timeout");
  });
});

describe("secrets and the audit log", () => {
  test("console_send's text is audited; its secret is recorded as *** and never shown", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "console-audit-")), "audit.jsonl");
    const h = await harness({ server: { audit: createAuditLog(file) } });
    const { session } = await h.ok<{ session: string }>("console_open", { vmid: 100, wait_ms: 50 });
    await h.ok("console_send", { session, text: "root\n" });
    await h.ok("console_read", { session, until: "Password: $" });
    await h.ok("console_send", { session, secret: GUEST_ROOT_PASSWORD, press: ["enter"] });
    await h.ok("console_read", { session, until: "# $" });
    // A secret typed at the wrong place would be echoed: later output hides it anyway.
    await h.ok("console_send", { session, text: `echo ${GUEST_ROOT_PASSWORD}\n` });
    const echoed = await h.ok("console_read", { session, until: "# $" });
    expect(echoed.output).toBe("echo ***\n***\nroot@web-01:~# ");
    const lines = readFileSync(file, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    const calls = lines.filter((l) => l.event === "call");
    const sends = calls.filter((l) => l.tool === "console_send");
    expect(sends.map((l) => l.args)).toEqual([
      { session, text: "root\n" },
      { session, secret: "***", press: ["enter"] },
      { session, text: `echo ${GUEST_ROOT_PASSWORD}\n` },
    ]);
    expect(calls.filter((l) => l.tool === "console_open")[0]).toMatchObject({
      target: { vmid: 100 },
      outcome: "ok",
    });
  });
});

describe("confirmation", () => {
  test("console_open is the confirmed step (two-step confirm without elicitation)", async () => {
    const h = await harness({ server: { confirm: true } });
    h.mock.requests.length = 0;
    const asked = await h.call("console_open", { node: "pve1", wait_ms: 0 });
    const text = asked.content.map((c) => (c.type === "text" ? c.text : "")).join("\n");
    expect(text).toContain("console_open is destructive and needs the user's confirmation");
    expect(text).toContain("Target: node pve1");
    expect(h.writes()).toEqual([]);
    const opened = await h.ok<{ session: string }>("console_open", {
      node: "pve1",
      confirm: (asked.structuredContent as { confirm: string }).confirm,
      wait_ms: 0,
    });
    // Typing into a console whose opening was confirmed is covered by that confirmation.
    const ctx = { session: {}, consoles: h.consoles } as never;
    const send = toolByName.get("console_send");
    expect(send?.annotations.destructiveHint).toBe(true);
    expect(send?.confirmedBy?.({ session: opened.session }, ctx)).toBe(true);
    expect(send?.confirmedBy?.({ session: "pve1-shell-000000" }, ctx)).toBe(false);
    const run = toolByName.get("console_run");
    expect(run?.confirmedBy?.({ session: opened.session }, ctx)).toBe(true);
    expect(run?.confirmedBy?.({ vmid: 100 }, ctx)).toBe(false);
  });

  test("console_send on a confirmed console runs without asking again", async () => {
    const h = await harness({ server: { confirm: true } });
    const asked = await h.call("console_open", { node: "pve1", wait_ms: 0 });
    const { session } = await h.ok<{ session: string }>("console_open", {
      node: "pve1",
      confirm: (asked.structuredContent as { confirm: string }).confirm,
      wait_ms: 0,
    });
    expect((await h.ok("console_send", { session, text: "hostname\n" })).sent_bytes).toBe(9);
    // hostname's output and the prompt after it, so the run starts clean
    const read = await h.ok("console_read", { session, until: "^pve1\\n[^\\n]*# $" });
    expect(read.ended).toBe("pattern");
    expect((await h.ok("console_run", { session, command: "whoami" })).output).toBe("root\n");
  });
});

describe("which servers offer consoles", () => {
  const consoleTools = [
    "console_open",
    "console_send",
    "console_read",
    "console_run",
    "console_close",
  ];
  const listed = async (policy: Partial<typeof OPEN_POLICY>) => {
    const h = await harness({ server: { policy: { ...OPEN_POLICY, ...policy } } });
    return (await h.client.listTools()).tools.map((t) => t.name);
  };

  test("opt-in: not in the default toolsets, there when asked for", async () => {
    const byDefault = await listed({ toolsets: ["default"] });
    for (const name of consoleTools) expect(byDefault).not.toContain(name);
    const asked = await listed({ toolsets: ["console"] });
    for (const name of consoleTools) expect(asked).toContain(name);
  });

  test("none in read-only mode", async () => {
    const names = await listed({ readOnly: true });
    for (const name of consoleTools) expect(names).not.toContain(name);
  });
});
