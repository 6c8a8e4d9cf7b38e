// A task wait across a Proxmox that goes away (pveproxy restarting): the wait retries and carries
// on when it comes back; past the reconnect bound the answer says what was started (the UPID,
// decoded), that it may still run, and how to follow it. The outage is arranged with the
// simulated cluster's stop/listen faults; nothing here waits in order to assert.

import { afterEach, expect, test } from "bun:test";
import { LoggingMessageNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import { type Harness, startHarness } from "../support/harness.ts";

let h: Harness | undefined;
afterEach(async () => {
  await h?.mock.listenAgain();
  await h?.close();
  h = undefined;
});

/** Resolves once the tool has polled its clone's status: the wait is under way. */
async function waitingForClone(x: Harness): Promise<void> {
  while (!x.mock.requests.some((r) => r.method === "GET" && /qmclone.*\/status$/.test(r.path))) {
    await Bun.sleep(10);
  }
}

test("a clone's wait survives Proxmox going away for 5 s and coming back", async () => {
  h = await startHarness({ mock: { taskDurationMs: 1000 } });
  const x = h;
  const lines: { level: string; data: string }[] = [];
  x.client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => {
    lines.push({ level: n.params.level, data: String(n.params.data) });
  });
  await x.client.setLoggingLevel("info");
  const call = x.call("clone_vm", { vmid: 100, newid: 156 });
  await waitingForClone(x);
  await x.mock.stopListening();
  const back = setTimeout(() => void x.mock.listenAgain(), 5000);
  const result = await call;
  clearTimeout(back);
  expect(result.isError).toBeFalsy();
  expect(result.structuredContent).toMatchObject({ vmid: 156, task_status: "ok" });
  expect(x.guest(156).lock).toBeUndefined();
  expect(lines.some((l) => l.level === "warning" && l.data.startsWith("lost Proxmox"))).toBe(true);
  expect(lines.some((l) => l.data.startsWith("Proxmox answers again after"))).toBe(true);
});

test("past the reconnect bound the answer names the started task and how to follow it", async () => {
  h = await startHarness({ mock: { taskDurationMs: 1000 }, server: { taskReconnectMs: 1000 } });
  const call = h.call("clone_vm", { vmid: 100, newid: 157 });
  await waitingForClone(h);
  const upid = h.mock.state.tasks.find((t) => t.type === "qmclone")?.upid as string;
  await h.mock.stopListening();
  const result = await call;
  const text = result.content.map((c) => (c.type === "text" ? c.text : "")).join("\n");
  expect(result.isError).toBe(true);
  expect(text).toContain(`task ${upid}`);
  expect(text).toContain("qmclone of 100 on node pve1, started ");
  expect(text).toContain("The task was started and may still be running.");
  expect(text).toContain(`get_task_status or wait_for_task with upid "${upid}"`);
  expect(text).not.toContain("%3A"); // the UPID as it is, not URL-encoded
});
