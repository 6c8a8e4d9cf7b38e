// Logging through MCP at the level the client sets: each Proxmox request of a call at debug
// (method, path, status, time), task log lines at info while a tool waits, warnings at warning,
// nothing below the level, and never a secret.

import { afterEach, expect, test } from "bun:test";
import {
  type LoggingLevel,
  LoggingMessageNotificationSchema,
} from "@modelcontextprotocol/sdk/types.js";
import { type Harness, type HarnessOptions, startHarness } from "../support/harness.ts";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

interface Line {
  level: string;
  logger?: string;
  data: string;
}

async function open(level: LoggingLevel | undefined, options: HarnessOptions = {}) {
  const x = await startHarness(options);
  const lines: Line[] = [];
  x.client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => {
    lines.push({ level: n.params.level, logger: n.params.logger, data: String(n.params.data) });
  });
  if (level) await x.client.setLoggingLevel(level);
  h = x;
  return { x, lines };
}

test("at debug, every Proxmox request of a call is logged with method, path, status and time", async () => {
  const { x, lines } = await open("debug");
  x.mock.requests.length = 0;
  await x.ok("get_vm_stats", { vmid: 100 });
  const api = lines.filter((l) => l.logger === "proxmox.api");
  expect(api.length).toBe(x.mock.requests.length);
  for (const [i, req] of x.mock.requests.entries()) {
    expect(api[i]?.level).toBe("debug");
    expect(api[i]?.data).toMatch(
      new RegExp(`^${req.method} ${req.path.replace(/[/.]/g, "\\$&")} → 200 \\(\\d+\\.\\d ms\\)$`),
    );
  }
});

test("task log lines arrive at info while a tool waits; debug lines stay out at info", async () => {
  const { x, lines } = await open("info");
  await x.ok("clone_vm", { vmid: 100, newid: 152 });
  const task = lines.filter((l) => l.data.startsWith("qmclone 100: "));
  expect(task.length).toBeGreaterThan(0);
  expect(task.every((l) => l.level === "info")).toBe(true);
  const log = x.mock.state.tasks.find((t) => t.type === "qmclone")?.lines.map((l) => l.text);
  expect(task.map((l) => l.data.slice("qmclone 100: ".length))).toEqual(
    expect.arrayContaining(log?.slice(0, 2) ?? ["?"]),
  );
  expect(lines.some((l) => l.level === "debug")).toBe(false);
});

test("a client that never sets a level gets warnings only", async () => {
  const { x, lines } = await open(undefined);
  x.mock.faults.offlineNodes.add("pve3");
  await x.ok("clone_vm", { vmid: 100, newid: 153 });
  await x.ok("list_nodes");
  expect(lines).toContainEqual({
    level: "warning",
    logger: "proxmox",
    data: "node(s) offline: pve3",
  });
  expect(lines.every((l) => l.level === "warning")).toBe(true);
});

test("warnings arrive at warning: an offline node, a renewed ticket; info stays out", async () => {
  const { x, lines } = await open("warning", { auth: "ticket" });
  x.mock.faults.offlineNodes.add("pve3");
  await x.ok("list_nodes");
  x.mock.faults.expireTickets();
  await x.ok("list_nodes");
  expect(lines).toContainEqual({
    level: "warning",
    logger: "proxmox",
    data: "node(s) offline: pve3",
  });
  expect(lines).toContainEqual({
    level: "warning",
    logger: "proxmox",
    data: "Proxmox ticket was refused (expired?); logged in again.",
  });
  expect(lines.every((l) => l.level === "warning")).toBe(true);
});

test("no secret reaches the log: not the password, the ticket, the CSRF token or the token", async () => {
  for (const auth of ["ticket", "token"] as const) {
    const { x, lines } = await open("debug", { auth });
    await x.ok("clone_vm", { vmid: 100, newid: 154 });
    await x.ok("list_nodes");
    const all = lines.map((l) => l.data).join("\n");
    expect(lines.length).toBeGreaterThan(5);
    const c = x.mock.credentials;
    for (const secret of [c.password, c.tokenSecret, "PVEAuthCookie", "CSRFPreventionToken"]) {
      expect(all).not.toContain(secret);
    }
    await x.close();
    h = undefined;
  }
});
