// A task belongs to the guest in its UPID's id field (and to the UPID's node): under a vmid
// scope another guest's task can be neither stopped nor read, nor waited for, and task lists
// and the cluster log leave such tasks out.

import { describe, expect, test } from "bun:test";
import type { Harness } from "../support/harness.ts";
import { scoped, touching } from "./support.ts";

const SCOPE = { allowed_vmids: ["100-101"] };

/** Starts guest 102 behind the server's back (as another admin would): its task's UPID. */
async function othersRunningTask(h: Harness): Promise<string> {
  const c = h.mock.credentials;
  h.guest(102).status = "stopped";
  const res = await fetch(`${h.mock.url}/api2/json/nodes/pve2/qemu/102/status/start`, {
    method: "POST",
    headers: { Authorization: `PVEAPIToken=${c.tokenId}=${c.tokenSecret}` },
  });
  const { data } = (await res.json()) as { data: string };
  h.mock.requests.length = 0;
  return data;
}

const running = (h: Harness, upid: string) =>
  h.mock.state.tasks.find((t) => t.upid === upid)?.status === "running";

describe("other guests' tasks", () => {
  test("stop_task of another guest's task is refused unsent; the task runs on", async () => {
    const h = await scoped(SCOPE, { mock: { taskDurationMs: 60_000 } });
    const upid = await othersRunningTask(h);
    expect(upid).toContain(":qmstart:102:");
    expect(running(h, upid)).toBe(true);
    const text = await h.fails("stop_task", { upid });
    expect(text).toContain("guest 102 is outside this server's scope");
    expect(touching(h, 102)).toEqual([]);
    expect(h.mock.requests).toEqual([]);
    expect(running(h, upid)).toBe(true);
  });

  test("get_task_status, read_task_log and wait_for_task of another guest's task are refused", async () => {
    const h = await scoped(SCOPE);
    const upid = h.mock.state.tasks.find((t) => t.id === "103")?.upid ?? "";
    expect(upid).toContain(":qmstart:103:");
    for (const tool of ["get_task_status", "read_task_log", "wait_for_task"]) {
      expect(await h.fails(tool, { upid })).toContain("guest 103 is outside this server's scope");
    }
    expect(h.mock.requests).toEqual([]);
    // Waiting never stops a task (stop_task's job, confirmed and audited): no such option.
    expect(await h.fails("wait_for_task", { upid, stop_on_cancel: true })).toContain(
      "Invalid arguments for wait_for_task",
    );
    const own = h.mock.state.tasks.find((t) => t.id === "100")?.upid ?? "";
    expect((await h.ok<{ id: string }>("get_task_status", { upid: own })).id).toBe("100");
  });

  test("list_tasks and get_cluster_log leave other guests' tasks out", async () => {
    const everything = await scoped({});
    const log = JSON.stringify(await everything.ok("get_cluster_log"));
    expect(log).toContain(":qmstart:103:");
    const h = await scoped(SCOPE);
    const tasks = await h.ok<{ tasks: { id?: string }[] }>("list_tasks");
    const ids = tasks.tasks.map((t) => t.id);
    expect(ids).toContain("100");
    expect(
      ids.filter((id) => /^\d+$/.test(id ?? "")).every((id) => id === "100" || id === "101"),
    ).toBe(true);
    const scopedLog = JSON.stringify(await h.ok("get_cluster_log"));
    expect(scopedLog).toContain(":qmstart:100:");
    for (const other of [102, 103, 105, 202]) expect(scopedLog).not.toContain(`:${other}:`);
  });
});
