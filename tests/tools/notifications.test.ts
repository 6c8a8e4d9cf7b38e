// Warnings a user should see reach the MCP client as notifications/message, at the level the
// client chose with logging/setLevel.

import { afterEach, beforeEach, expect, test } from "bun:test";
import { LoggingMessageNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import { type Harness, startHarness } from "../support/harness.ts";

interface Note {
  level: string;
  data: string;
}

let h: Harness;
let notes: Note[];
let arrived: () => void;

beforeEach(async () => {
  notes = [];
  h = await startHarness({ taskWaitMs: 200 });
  h.client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => {
    notes.push({ level: n.params.level, data: String(n.params.data) });
    arrived?.();
  });
});
afterEach(() => h.close());

/** Resolves with the first note that matches (one already there, or the next to arrive). */
async function noteWhere(match: (n: Note) => boolean): Promise<Note> {
  for (;;) {
    const found = notes.find(match);
    if (found) return found;
    await new Promise<void>((resolve) => {
      arrived = resolve;
    });
  }
}

const OFFLINE = { level: "warning", data: "node(s) offline: pve3" };

test("an offline node is announced as a warning", async () => {
  await h.client.setLoggingLevel("info");
  h.mock.faults.offlineNodes.add("pve3");
  await h.ok("list_nodes");
  expect(await noteWhere((n) => n.data === OFFLINE.data)).toEqual(OFFLINE);
});

test("a slow task is announced when the wait bound passes", async () => {
  h.mock.faults.hangTasks.add("qmstart");
  h.guest(102).status = "stopped";
  await h.ok("start_vm", { vmid: 102 });
  const slow = await noteWhere((n) => n.data.includes("is slow"));
  expect(slow.level).toBe("warning");
});

test("logging/setLevel error silences warnings", async () => {
  await h.client.setLoggingLevel("error");
  h.mock.faults.offlineNodes.add("pve3");
  await h.ok("list_nodes");
  // Notes arrive in order: once a later warning is in, an earlier one would be in too.
  await h.client.setLoggingLevel("warning");
  await h.ok("list_nodes");
  await noteWhere((n) => n.data === OFFLINE.data);
  expect(notes).toEqual([OFFLINE]);
});
