// Confirmation belongs to a person. With elicitation the person is asked every time and the
// model's `confirm` counts for nothing; without it, only the single-use code the describing
// first call returned runs the action: in the same session, with the same arguments, within
// five minutes. Calls that cannot lose anything are not asked about.

import { afterEach, describe, expect, setSystemTime, test } from "bun:test";
import { type CallToolResult, ElicitRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import type { Harness } from "../support/harness.ts";
import { scoped, textOf } from "./support.ts";

const CONFIRMING = { server: { confirm: true } };

afterEach(() => {
  setSystemTime(); // back to the real clock
});

/** The first call of a destructive tool: nothing done, a code and the impact returned. */
async function codeFor(h: Harness, tool: string, args: Record<string, unknown>) {
  const r = await h.call(tool, args);
  expect(r.isError).toBe(true);
  expect(textOf(r)).toContain("Not done yet");
  const { confirm } = r.structuredContent as { confirm: string };
  expect(confirm).toMatch(/^[A-Z2-9]{8}$/);
  return confirm;
}

const refusedWith = (r: CallToolResult, words: string) => {
  expect(r.isError).toBe(true);
  expect(textOf(r)).toContain(words);
  // Every refusal hands out a fresh code for exactly these arguments.
  expect((r.structuredContent as { confirm?: string }).confirm).toMatch(/^[A-Z2-9]{8}$/);
};

describe("with elicitation", () => {
  test("a declined question stays declined: confirm from the model asks again, never runs", async () => {
    const h = await scoped({}, { ...CONFIRMING, capabilities: { elicitation: {} } });
    const asked: string[] = [];
    h.client.setRequestHandler(ElicitRequestSchema, async (req) => {
      asked.push(String(req.params.message));
      return { action: "decline" };
    });
    expect(await h.fails("stop_vm", { vmid: 100 })).toContain("the user declined");
    // A code the model makes up (or one from before) does not stand in for the person.
    expect(await h.fails("stop_vm", { vmid: 100, confirm: "ABCDEFGH" })).toContain(
      "the user declined",
    );
    // The old boolean is not an answer either: the arguments are refused as they are.
    expect(await h.fails("stop_vm", { vmid: 100, confirm: true })).toContain(
      "Invalid arguments for stop_vm",
    );
    expect(asked).toHaveLength(2);
    expect(h.writes()).toEqual([]);
    expect(h.guest(100).status).toBe("running");
  });
});

describe("without elicitation: single-use codes", () => {
  test("a first call carrying a code it was never given only describes", async () => {
    const h = await scoped({}, CONFIRMING);
    const r = await h.call("stop_vm", { vmid: 100, confirm: "K7M2QX9P" });
    refusedWith(r, "not one this session was given");
    expect(h.writes()).toEqual([]);
    expect(h.guest(100).status).toBe("running");
  });

  test("the code runs the call it was given for, once", async () => {
    const h = await scoped({}, CONFIRMING);
    const code = await codeFor(h, "stop_vm", { vmid: 100 });
    expect(h.writes()).toEqual([]);
    await h.ok("stop_vm", { vmid: 100, confirm: code });
    expect(h.guest(100).status).toBe("stopped");
    await h.ok("start_vm", { vmid: 100 });
    const again = await h.call("stop_vm", { vmid: 100, confirm: code });
    refusedWith(again, "or it was used already");
    expect(h.guest(100).status).toBe("running");
  });

  test("a code is for the same arguments and the same tool", async () => {
    const h = await scoped({}, CONFIRMING);
    const code = await codeFor(h, "stop_vm", { vmid: 100 });
    refusedWith(await h.call("stop_vm", { vmid: 101, confirm: code }), "given for other arguments");
    const other = await codeFor(h, "stop_vm", { vmid: 100 });
    refusedWith(
      await h.call("reboot_vm", { vmid: 100, confirm: other }),
      "given for other arguments",
    );
    expect(h.writes()).toEqual([]);
    expect(h.guest(100).status).toBe("running");
    expect(h.guest(101).status).toBe("running");
  });

  test("a code expires after five minutes", async () => {
    const h = await scoped({}, CONFIRMING);
    const code = await codeFor(h, "stop_vm", { vmid: 100 });
    setSystemTime(new Date(Date.now() + 5 * 60_000 + 1000));
    refusedWith(await h.call("stop_vm", { vmid: 100, confirm: code }), "has expired");
    expect(h.writes()).toEqual([]);
    expect(h.guest(100).status).toBe("running");
  });

  test("a code from another session is not this session's", async () => {
    const first = await scoped({}, CONFIRMING);
    const code = await codeFor(first, "stop_vm", { vmid: 100 });
    const second = await scoped({}, CONFIRMING);
    refusedWith(
      await second.call("stop_vm", { vmid: 100, confirm: code }),
      "not one this session was given",
    );
    expect(second.writes()).toEqual([]);
    expect(second.guest(100).status).toBe("running");
  });
});

describe("calls that lose nothing are not asked about", () => {
  test("stopping a stopped guest, and a restore to a new vmid", async () => {
    const h = await scoped({}, CONFIRMING);
    h.guest(102).status = "stopped";
    const stopped = await h.ok<{ message: string }>("stop_vm", { vmid: 102 });
    expect(stopped.message).toContain("already stopped");
    await h.ok("restore_backup", {
      archive: "backups:backup/vzdump-qemu-101-2026_11_21-01_03_41.vma.zst",
      vmid: 150,
      node: "pve1",
    });
    expect(h.guest(150).type).toBe("qemu");
    // Overwriting an existing guest (force) loses its disks: that is asked.
    h.guest(150).status = "stopped";
    const overwrite = await h.call("restore_backup", {
      archive: "backups:backup/vzdump-qemu-101-2026_11_21-01_03_41.vma.zst",
      vmid: 150,
      force: true,
    });
    expect(textOf(overwrite)).toContain("Not done yet");
  });
});
