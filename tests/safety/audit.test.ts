// The audit log: an intent line stands on disk before a mutating request reaches Proxmox, its
// outcome follows, whatever sent it (tool, raw API, console); guest-agent file contents and stdin
// appear only as size and SHA-256; a write the guard keeps is logged as refused.

import { describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RecordedRequest } from "../../src/mock/index.ts";
import { createAuditLog } from "../../src/server/audit.ts";
import { scoped, scopedApi } from "./support.ts";

type Line = Record<string, unknown> & { event: string };

function auditFile() {
  const file = join(mkdtempSync(join(tmpdir(), "pmcp-audit-")), "audit.jsonl");
  const lines = (): Line[] =>
    existsSync(file)
      ? readFileSync(file, "utf8")
          .trim()
          .split("\n")
          .filter(Boolean)
          .map((l) => JSON.parse(l))
      : [];
  return { file, lines };
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

describe("intent before the request leaves", () => {
  test("when Proxmox receives a write, its intent is already on disk; the outcome follows", async () => {
    const log = auditFile();
    const seen: { path: string; intents: Line[] }[] = [];
    const onRequest = (req: RecordedRequest) => {
      if (req.method === "GET" || req.path === "/access/ticket") return;
      seen.push({ path: req.path, intents: log.lines().filter((l) => l.event === "intent") });
    };
    const h = await scoped(
      {},
      { server: { audit: createAuditLog(log.file) }, mock: { onRequest } },
    );
    h.guest(102).status = "stopped";
    await h.ok("start_vm", { vmid: 102 });
    expect(seen).toHaveLength(1);
    expect(seen[0]?.intents.map((l) => l.path)).toEqual(["/nodes/pve2/qemu/102/status/start"]);
    const [intent, outcome, call] = log.lines();
    expect(intent).toMatchObject({ event: "intent", tool: "start_vm", method: "POST" });
    expect(outcome).toMatchObject({ event: "outcome", status: "ok", request: intent?.request });
    expect(String(outcome?.upid)).toContain(":qmstart:102:");
    expect(call).toMatchObject({ event: "call", tool: "start_vm", outcome: "ok" });
  });

  test("raw API writes and consoles are covered, with the tool that sent them", async () => {
    const log = auditFile();
    const h = await scopedApi({}, { server: { audit: createAuditLog(log.file) } });
    h.guest(102).status = "stopped";
    await h.ok("proxmox_api", { method: "POST", path: "/nodes/pve2/qemu/102/status/start" });
    const opened = await h.ok<{ session: string }>("console_open", { node: "pve1", wait_ms: 0 });
    await h.ok("console_close", { session: opened.session });
    const intents = log.lines().filter((l) => l.event === "intent");
    expect(intents.map((l) => `${l.tool} ${l.method} ${l.path}`)).toEqual([
      "proxmox_api POST /nodes/pve2/qemu/102/status/start",
      "console_open POST /nodes/pve1/termproxy",
    ]);
  });

  test("a write the guard keeps is logged as refused, with nothing sent", async () => {
    const log = auditFile();
    const h = await scoped(
      { allowed_vmids: ["100-101"] },
      { server: { audit: createAuditLog(log.file) } },
    );
    await h.fails("add_firewall_rule", { type: "in", action: "DROP" });
    const lines = log.lines();
    expect(lines.map((l) => `${l.event} ${l.tool}`)).toEqual([
      "refused add_firewall_rule",
      "call add_firewall_rule",
    ]);
    expect(lines[0]).toMatchObject({ method: "POST", path: "/cluster/firewall/rules" });
    expect(String(lines[0]?.message)).toContain("cluster-wide change");
    expect(h.writes()).toEqual([]);
  });
});

describe("what the guest agent is given", () => {
  test("file contents and stdin are recorded as size and SHA-256, never in clear", async () => {
    const log = auditFile();
    const h = await scoped({}, { server: { audit: createAuditLog(log.file) } });
    const content = "db_password=s3cr3t-in-a-file\n";
    const stdin = "token-given-on-stdin";
    await h.ok("vm_write_file", { vmid: 100, file: "/etc/app.conf", content });
    await h.ok("vm_exec", { vmid: 100, command: ["cat"], input_data: stdin });
    const text = readFileSync(log.file, "utf8");
    expect(text).not.toContain("s3cr3t-in-a-file");
    expect(text).not.toContain("token-given-on-stdin");
    const lines = log.lines();
    const write = lines.find((l) => l.event === "call" && l.tool === "vm_write_file");
    expect((write?.args as Record<string, unknown> | undefined)?.content).toEqual({
      bytes: Buffer.byteLength(content),
      sha256: sha256(content),
    });
    const exec = lines.find((l) => l.event === "intent" && l.tool === "vm_exec");
    expect((exec?.params as Record<string, unknown> | undefined)?.["input-data"]).toEqual({
      bytes: stdin.length,
      sha256: sha256(stdin),
    });
  });
});
