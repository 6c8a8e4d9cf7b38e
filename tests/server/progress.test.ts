// Progress a client can draw, through a real client: one scale per call (0–100 with total 100
// for tasks that log percent, a counter without total for the rest), values that only grow and
// never pass the total.

import { afterEach, expect, test } from "bun:test";
import type { Progress } from "@modelcontextprotocol/sdk/types.js";
import { type Harness, startHarness } from "../support/harness.ts";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function progressOf(name: string, args: Record<string, unknown>): Promise<Progress[]> {
  h = await startHarness({ mock: { taskDurationMs: 700 } });
  const notes: Progress[] = [];
  const result = await h.client.callTool({ name, arguments: args }, undefined, {
    onprogress: (p) => notes.push(p),
  });
  expect(result.isError).toBeFalsy();
  return notes;
}

function expectGrowing(notes: Progress[]) {
  const values = notes.map((n) => n.progress);
  for (let i = 1; i < values.length; i++) {
    expect(values[i] as number).toBeGreaterThan(values[i - 1] as number);
  }
}

test.each([
  ["clone_vm", { vmid: 100, newid: 155 }],
  ["create_backup", { vmid: 100, storage: "local" }],
])("%s reports 0–100 of total 100, only growing", async (name, args) => {
  const notes = await progressOf(name, args);
  expect(notes.length).toBeGreaterThan(1);
  expect(notes.every((n) => n.total === 100)).toBe(true);
  expect(notes.every((n) => n.progress >= 0 && n.progress <= 100)).toBe(true);
  expect(notes.some((n) => n.progress > 0)).toBe(true);
  expect(notes.every((n) => typeof n.message === "string" && n.message.length > 0)).toBe(true);
  expectGrowing(notes);
});

test("a task without percent in its log counts heartbeats, without a total", async () => {
  h = await startHarness({ mock: { taskDurationMs: 700 } });
  h.guest(102).status = "stopped";
  const notes: Progress[] = [];
  await h.client.callTool({ name: "start_vm", arguments: { vmid: 102 } }, undefined, {
    onprogress: (p) => notes.push(p),
  });
  expect(notes.length).toBeGreaterThan(1);
  expect(notes.map((n) => n.progress)).toEqual(notes.map((_, i) => i + 1));
  expect(notes.every((n) => n.total === undefined)).toBe(true);
});
