// The command line a new user meets first: help that fits any terminal (never past 100 columns),
// no colour codes in a pipe or under NO_COLOR, one placeholder style, every command refusing
// unknown flags, and exit status 2 for usage and settings mistakes, 1 for failures.

import { describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { commandSpec } from "../../src/commands/cli-spec.ts";
import { MAX_WIDTH, renderHelp, wantsColor } from "../../src/commands/help.ts";
import { mockCommand } from "../../src/commands/mock.ts";
import { testWithProgram } from "../support/installed.ts";

const main = join(import.meta.dir, "../../src/main.ts");
const COMMANDS = ["doctor", "role", "mock", "tools", "completions", "man", "version"];
const ESC = "\x1b[";

function cli(args: string[], env: Record<string, string> = {}) {
  const run = spawnSync(process.execPath, [main, ...args], {
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "", ...env },
    cwd: join(import.meta.dir, "../.."),
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

const widest = (text: string) => Math.max(...text.split("\n").map((l) => l.length));

describe("help in a pipe", () => {
  for (const args of [["--help"], ["--help-all"], ...COMMANDS.map((c) => [c, "--help"])]) {
    test(`${args.join(" ")}: at most 80 columns, no colour, exit 0`, () => {
      const run = cli(args);
      expect(run.status).toBe(0);
      expect(run.stderr).toBe("");
      expect(run.stdout).not.toContain(ESC);
      expect(widest(run.stdout)).toBeLessThanOrEqual(80);
    });
  }

  test("the top help lists every command, and long defaults are summarised", () => {
    const { stdout } = cli(["--help"]);
    for (const c of COMMANDS) expect(stdout).toMatch(new RegExp(`^ {2}${c} `, "m"));
    expect(stdout).toContain("--api-deny-paths <list>");
    expect(stdout.replaceAll(/\s+/g, " ")).toContain("[default: 16 entries, see --help-all]");
    expect(stdout).not.toContain("/nodes/*/execute");
  });

  test("--help-all gives env var, config key and the whole default", () => {
    const { stdout } = cli(["--help-all"]);
    expect(stdout).toContain("env PROXMOX_HOST; config key host");
    expect(stdout).toContain("/nodes/*/execute");
    expect(stdout).toContain("/cluster/config/nodes/**");
  });

  test("one placeholder style: every value is <name>", () => {
    const { stdout } = cli(["--help"]);
    const flagLines = stdout.split("\n").filter((l) => /^ {2}(-\w, | {4})--/.test(l));
    expect(flagLines.length).toBeGreaterThan(40);
    for (const line of flagLines) {
      const [flags = ""] = line.trim().split(/ {2,}/);
      expect(flags).toMatch(/^(-\w, )?--[\w-]+( <[^>\s]+>)?$/);
    }
    expect(cli(["mock", "--help"]).stdout).toContain("--port <n>");
  });
});

describe("help at any terminal width", () => {
  test("never wider than 100 columns, and as narrow as the terminal down to 60", async () => {
    const root = await commandSpec(mockCommand, "mock", false);
    for (const columns of [20, 40, 60, 80, 100, 120, 200, 1000]) {
      for (const all of [false, true]) {
        const text = renderHelp(root, "proxmox-mcp mock", false, { columns, all });
        expect(widest(text)).toBeLessThanOrEqual(Math.min(MAX_WIDTH, Math.max(60, columns)));
      }
    }
    const top = cli(["--help-all"], { COLUMNS: "1000" });
    expect(widest(top.stdout)).toBeLessThanOrEqual(MAX_WIDTH);
  });

  test("colour only on a terminal, and never with NO_COLOR", () => {
    expect(wantsColor({ isTTY: true }, {})).toBe(true);
    expect(wantsColor({ isTTY: true }, { NO_COLOR: "1" })).toBe(false);
    expect(wantsColor({ isTTY: false }, {})).toBe(false);
    expect(wantsColor({}, {})).toBe(false);
  });

  testWithProgram("script", "on a real terminal: colour, unless NO_COLOR is set", () => {
    const onTty = (env: string) =>
      spawnSync(
        "script",
        ["-qc", `stty cols 132; ${env} ${process.execPath} ${main} --help`, "/dev/null"],
        {
          encoding: "utf8",
        },
      ).stdout;
    const coloured = onTty("");
    expect(coloured).toContain(ESC);
    const sgr = new RegExp(`${String.fromCharCode(27)}\\[\\d+m|\r`, "g");
    const visible = coloured.replaceAll(sgr, "");
    expect(widest(visible)).toBeLessThanOrEqual(MAX_WIDTH);
    expect(onTty("NO_COLOR=1")).not.toContain(ESC);
  });
});

describe("usage errors", () => {
  for (const command of COMMANDS) {
    test(`${command} refuses an unknown flag with exit 2`, () => {
      const run = cli([command, "--bogus"]);
      expect(run.status).toBe(2);
      expect(run.stderr).toContain(`unknown option --bogus; see proxmox-mcp ${command} --help`);
      expect(run.stdout).toBe("");
    });
  }

  test("the server refuses unknown flags, stray words and unknown commands with exit 2", () => {
    expect(cli(["--bogus"]).status).toBe(2);
    expect(cli(["--hots", "pve"]).stderr).toContain("did you mean --host?");
    const serve = cli(["serve"]);
    expect(serve.status).toBe(2);
    expect(serve.stderr).toContain('unknown command "serve"');
  });

  test("configuration errors exit 2, whichever setting is wrong", () => {
    const cases = [
      ["--port", "abc"],
      ["--host", "pve", "--user", "root"],
      ["--host", "pve"],
      ["--host", "pve", "--user", "root@pam", "--password", "x", "--ca-file", "/nonexistent"],
      ["--demo", "--toolsets", "nonsense"],
      ["--config", "/nonexistent.toml"],
    ];
    for (const args of cases) {
      const run = cli(args);
      expect({ args, status: run.status }).toEqual({ args, status: 2 });
      expect(run.stderr).toStartWith("proxmox-mcp: ");
    }
    const missing = cli(["completions"]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain("needs <shell>: one of bash, zsh, fish");
  });
});
