// Warnings a user should see reach the MCP client as notifications/message, at the level the
// client chose with logging/setLevel.

import { afterAll, beforeAll, expect, test } from "bun:test";
import { LoggingMessageNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import { type Harness, startHarness } from "../support/harness.ts";

let h: Harness;
const notes: { level: string; data: string }[] = [];

beforeAll(async () => {
  h = await startHarness({ taskWaitMs: 200 });
  h.client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => {
    notes.push({ level: n.params.level, data: String(n.params.data) });
  });
});
afterAll(() => h.close());

const settle = () => Bun.sleep(20);

test("an offline node is announced as a warning", async () => {
  await h.client.setLoggingLevel("info");
  h.mock.faults.offlineNodes.add("pve3");
  try {
    notes.length = 0;
    await h.ok("list_nodes");
    await settle();
    expect(notes).toContainEqual({ level: "warning", data: "node(s) offline: pve3" });
  } finally {
    h.mock.faults.offlineNodes.delete("pve3");
  }
});

test("a slow task is announced when the wait bound passes", async () => {
  h.mock.faults.hangTasks.add("qmstart");
  h.guest(102).status = "stopped";
  notes.length = 0;
  await h.ok("start_vm", { vmid: 102 });
  await settle();
  expect(notes.some((n) => n.level === "warning" && n.data.includes("is slow"))).toBe(true);
  h.mock.faults.hangTasks.delete("qmstart");
});

test("logging/setLevel error silences warnings", async () => {
  await h.client.setLoggingLevel("error");
  h.mock.faults.offlineNodes.add("pve3");
  try {
    notes.length = 0;
    await h.ok("list_nodes");
    await settle();
    expect(notes).toEqual([]);
  } finally {
    h.mock.faults.offlineNodes.delete("pve3");
  }
});
