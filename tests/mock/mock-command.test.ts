// `proxmox-mcp mock` delays failed logins as PVE does (every 401 waits ~3 s), unless told not to.
// Judged by order, not by the clock: a good login sent after the bad one is answered first.
import { afterEach, expect, test } from "bun:test";
import { join } from "node:path";
import { exchange, initialize, initialized } from "../support/stdio.ts";
import { type MockProcess, startMockProcess } from "./mock-process.ts";

const MAIN = join(import.meta.dir, "../../src/main.ts");

let running: MockProcess | undefined;
afterEach(() => running?.stop());

const login = (url: string, password: string, signal?: AbortSignal) =>
  fetch(`${url}/api2/json/access/ticket`, {
    method: "POST",
    body: new URLSearchParams({ username: "root@pam", password }),
    signal,
  });

test("a failed login is held back while a good one is answered", async () => {
  running = await startMockProcess(["--http"]);
  const abort = new AbortController();
  const order: string[] = [];
  const bad = login(running.url, "wrong", abort.signal).then(
    (res) => order.push(`bad ${res.status}`),
    () => order.push("bad still waiting"),
  );
  const good = await login(running.url, "demo-password");
  order.push(`good ${good.status}`);
  // More round trips than an undelayed 401 would need to come back.
  const { ticket } = ((await good.json()) as { data: { ticket: string } }).data;
  for (let i = 0; i < 20; i++) {
    await fetch(`${running.url}/api2/json/version`, {
      headers: { Cookie: `PVEAuthCookie=${encodeURIComponent(ticket)}` },
    });
  }
  abort.abort();
  await bad;
  expect(order).toEqual(["good 200", "bad still waiting"]);
});

test("--no-auth-delay answers a failed login at once", async () => {
  running = await startMockProcess(["--http", "--no-auth-delay"]);
  let answer: [number, string] | undefined;
  const bad = login(running.url, "wrong").then((res) => {
    answer = [res.status, res.statusText];
  });
  // Round trips that a delayed 401 would still be waiting behind: this one is back by then.
  for (let i = 0; i < 20; i++) await login(running.url, "demo-password");
  expect(answer).toEqual([401, "authentication failure"]);
  await bad;
});

for (const mode of [["--http"], []]) {
  test(`the command it prints connects the MCP server to it (${mode[0] ?? "https"}), with the token as PVE prints it`, async () => {
    running = await startMockProcess([...mode, "--no-auth-delay"]);
    const line = running.printed.split("\n").find((l) => l.trim().startsWith("proxmox-mcp "));
    expect(line).toContain("--user 'root@pam!mcp=");
    // The shell's words: single quotes keep `!` and `=` as they are.
    const words = [...(line ?? "").matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? "");
    const { messages } = await exchange(
      [process.execPath, MAIN, ...words.slice(1)],
      [
        initialize("2025-11-25"),
        initialized,
        {
          jsonrpc: "2.0",
          id: 2,
          method: "tools/call",
          params: { name: "list_nodes", arguments: {} },
        },
      ],
      2,
    );
    const answer = messages.find((m) => m.id === 2) as { result?: { structuredContent?: unknown } };
    expect(JSON.stringify(answer.result?.structuredContent)).toContain('"pve1"');
  });
}
