import { describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { logFilePath, redact, registerSecret } from "../../src/server/log.ts";

describe("redaction", () => {
  test("registered secrets and credential shapes never survive", () => {
    registerSecret("s3cr3t-value-123");
    const line = redact(
      'login with s3cr3t-value-123; Authorization: PVEAPIToken=root@pam!mcp=0b6d-uuid; Cookie: PVEAuthCookie=PVE:root@pam:65F1A2B3::sig; Bearer abc.def; {"password":"hunter2"}',
    );
    for (const secret of [
      "s3cr3t-value-123",
      "0b6d-uuid",
      "PVE:root@pam:65F1A2B3::sig",
      "abc.def",
      "hunter2",
    ]) {
      expect(line).not.toContain(secret);
    }
    expect(line).toContain("PVEAPIToken=root@pam!mcp=***");
  });
});

describe("log file rotation names", () => {
  const at = new Date("2026-11-25T14:05:00Z");
  test("daily, hourly, never", () => {
    const base = { dir: "logs", filename: "proxmox-mcp.log" };
    expect(logFilePath({ ...base, rotate: "daily" }, at)).toBe(
      join("logs", "proxmox-mcp.log.2026-11-25"),
    );
    expect(logFilePath({ ...base, rotate: "hourly" }, at)).toBe(
      join("logs", "proxmox-mcp.log.2026-11-25-14"),
    );
    expect(logFilePath({ ...base, rotate: "never" }, at)).toBe(join("logs", "proxmox-mcp.log"));
  });
});

test("--log-file-enable writes the log to log_dir/log_filename, secrets redacted", async () => {
  const dir = mkdtempSync(join(tmpdir(), "pmcp-logs-"));
  const proc = Bun.spawn(
    [
      "bun",
      "src/main.ts",
      "--demo",
      "--log-file-enable",
      "--log-dir",
      dir,
      "--log-filename",
      "x.log",
      "--log-rotate",
      "never",
      "--log-level",
      "debug",
      "--password",
      "very-secret-pw",
    ],
    { stdin: "pipe", stdout: "pipe", stderr: "pipe" },
  );
  const file = join(dir, "x.log");
  const logged = () =>
    existsSync(file) && readFileSync(file, "utf8").includes("demo cluster running");
  while (!logged()) await Bun.sleep(20); // the server is up (the test's timeout bounds this)
  proc.stdin.end(); // the client goes away: the server exits
  await proc.exited;
  expect(readdirSync(dir)).toEqual(["x.log"]);
  const text = readFileSync(join(dir, "x.log"), "utf8");
  expect(text).toContain("demo cluster running");
  expect(text).toContain('"password":"***"'); // the settings dump at debug level
  expect(text).not.toContain("very-secret-pw");
  expect(await new Response(proc.stdout).text()).toBe("");
});
