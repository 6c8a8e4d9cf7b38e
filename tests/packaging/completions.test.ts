// `proxmox-mcp completions bash|zsh|fish` and `proxmox-mcp man`, from the real command tree:
// every flag of the settings table and every subcommand is there, the scripts parse in their
// shell, and bash and fish complete what a user would type.

import { describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { envName, flagName, SETTINGS, type SettingDef } from "../../src/config/index.ts";
import { testWithProgram } from "../support/installed.ts";

const main = join(import.meta.dir, "../../src/main.ts");
const settings = SETTINGS as readonly SettingDef[];
const SUBCOMMANDS = ["doctor", "role", "mock", "tools", "version", "completions", "man"];

function cli(...args: string[]) {
  const run = spawnSync(process.execPath, [main, ...args], { encoding: "utf8" });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

function saved(text: string, name: string): string {
  const file = join(mkdtempSync(join(tmpdir(), "pmcp-compl-")), name);
  writeFileSync(file, text);
  return file;
}

const scripts = {
  bash: cli("completions", "bash").stdout,
  zsh: cli("completions", "zsh").stdout,
  fish: cli("completions", "fish").stdout,
};

describe.each(["bash", "zsh"] as const)("%s completions", (shell) => {
  test("offer every flag and alias of the settings table, and every subcommand", () => {
    const script = scripts[shell];
    for (const def of settings) {
      expect(script).toContain(`--${flagName(def)}`);
      if (def.alias) expect(script).toContain(`-${def.alias}`);
    }
    for (const sub of SUBCOMMANDS) expect(script).toContain(sub);
    expect(script).toContain("--bind-host"); // a subcommand's own flag
  });
});

describe("fish completions", () => {
  test("offer every flag and alias of the settings table, and every subcommand", () => {
    for (const def of settings) {
      expect(scripts.fish).toMatch(
        new RegExp(`-l ${flagName(def)}${def.alias ? ` -s ${def.alias}` : ""} `),
      );
    }
    for (const sub of SUBCOMMANDS) expect(scripts.fish).toContain(`-a ${sub} `);
  });

  testWithProgram("fish", "parse, and complete values and subcommands", () => {
    const file = saved(scripts.fish, "proxmox-mcp.fish");
    const complete = (line: string) =>
      spawnSync("fish", ["-c", `source ${file}; complete -C '${line}'`], { encoding: "utf8" })
        .stdout.split("\n")
        .map((l) => l.split("\t")[0])
        .filter(Boolean);
    expect(complete("proxmox-mcp --log-rotate ")).toEqual(["daily", "hourly", "never"]);
    expect(complete("proxmox-mcp mo")).toEqual(["mock"]);
    expect(complete("proxmox-mcp completions ")).toEqual(["bash", "fish", "zsh"]);
    expect(complete("proxmox-mcp mock --p")).toEqual(["--port"]);
  });
});

testWithProgram("bash", "bash completes flags, values and subcommands", () => {
  const file = saved(scripts.bash, "proxmox-mcp.bash");
  const complete = (...words: string[]) => {
    const quoted = words.map((w) => `'${w}'`).join(" ");
    const run = spawnSync(
      "bash",
      [
        "-c",
        `source ${file}; COMP_WORDS=(${quoted}); COMP_CWORD=${words.length - 1}; _proxmox_mcp; printf '%s\\n' "\${COMPREPLY[@]}"`,
      ],
      { encoding: "utf8" },
    );
    expect(run.stderr).toBe("");
    return run.stdout.split("\n").filter(Boolean);
  };
  expect(complete("proxmox-mcp", "").sort()).toEqual([...SUBCOMMANDS].sort());
  expect(complete("proxmox-mcp", "--server-type", "")).toEqual(["stdio", "http"]);
  expect(complete("proxmox-mcp", "-L", "")).toEqual(["error", "warn", "info", "debug", "trace"]);
  expect(complete("proxmox-mcp", "--token-v")).toEqual(["--token-value"]);
  expect(complete("proxmox-mcp", "--host", "")).toEqual([]);
  expect(complete("proxmox-mcp", "mock", "--b")).toEqual(["--bind-host"]);
  expect(complete("proxmox-mcp", "completions", "z")).toEqual(["zsh"]);
});

testWithProgram("zsh", "the zsh function parses", () => {
  const run = spawnSync("zsh", ["-n", saved(scripts.zsh, "_proxmox-mcp")], { encoding: "utf8" });
  expect(run.stderr).toBe("");
  expect(run.status).toBe(0);
});

test("an unknown shell is refused", () => {
  const run = cli("completions", "tcsh");
  expect(run.status).not.toBe(0);
  expect(run.stderr).toContain('unknown shell "tcsh"; one of: bash, zsh, fish');
});

describe("man page", () => {
  const page = cli("man").stdout;

  test("documents every flag with its env var, and every subcommand", () => {
    expect(page).toStartWith('.\\" proxmox-mcp(1)');
    expect(page).toContain(".TH PROXMOX\\-MCP 1");
    for (const def of settings) {
      expect(page).toContain(`\\fB\\-\\-${flagName(def).replaceAll("-", "\\-")}\\fR`);
      const env = envName(def);
      if (env) expect(page).toContain(`\\fB${env}\\fR`);
    }
    for (const sub of SUBCOMMANDS) expect(page).toContain(`\\fB${sub}\\fR`);
  });

  testWithProgram("groff", "renders without groff warnings", () => {
    const run = spawnSync("groff", ["-man", "-Tutf8", "-ww", "-z", saved(page, "proxmox-mcp.1")], {
      encoding: "utf8",
    });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
  });
});
