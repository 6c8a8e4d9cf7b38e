// packaging/install.sh, run by /bin/sh against a local directory of fake release archives
// (--from-dir, or a fake curl), with a fake `uname` choosing the OS and CPU it sees.

import { describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import {
  appendFileSync,
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defaultRepo } from "../../scripts/release.ts";
import { testWithProgram } from "../support/installed.ts";
import { FAKE_DOCS, FAKE_VERSION, fakeReleaseDir } from "./fake-release.ts";

const script = join(import.meta.dir, "../../packaging/install.sh");

/** A bin directory whose `uname` answers as told, and whose `curl` serves from a directory. */
function fakeTools(kernel: string, machine: string, releaseDir: string): string {
  const bin = mkdtempSync(join(tmpdir(), "pmcp-bin-"));
  const tool = (name: string, body: string) => {
    writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`);
    chmodSync(join(bin, name), 0o755);
  };
  tool(
    "uname",
    `case "$1" in -s) echo ${kernel} ;; -m) echo ${machine} ;; *) echo ${kernel} ;; esac`,
  );
  tool(
    "curl",
    `out= url=
while [ $# -gt 0 ]; do case "$1" in -o) out=$2; shift ;; https://*) url=$1 ;; esac; shift; done
echo "$url" >> "${releaseDir}/curl.log"
cp "${releaseDir}/\${url##*/}" "$out"`,
  );
  return bin;
}

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function install(
  args: string[],
  { kernel = "Linux", machine = "x86_64", dir = fakeReleaseDir(), fromDir = true, env = {} } = {},
): Run {
  const home = mkdtempSync(join(tmpdir(), "pmcp-home-"));
  const bin = fakeTools(kernel, machine, dir);
  const run = spawnSync("sh", [script, ...(fromDir ? ["--from-dir", dir] : []), ...args], {
    encoding: "utf8",
    env: {
      HOME: home,
      ...env,
      PATH: `${bin}:${(env as { PATH?: string }).PATH ?? process.env.PATH}`,
    },
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe("install.sh installs the verified binary for this machine", () => {
  test("linux x86_64 (glibc): checksum OK → installed, executable, runs", () => {
    const p = join(mkdtempSync(join(tmpdir(), "pmcp-p-")), "opt");
    const ok = install(["--libc", "glibc", "--prefix", p]);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain("checksum OK: proxmox-mcp-linux-x64");
    const bin = join(p, "bin/proxmox-mcp");
    expect(statSync(bin).mode & 0o777).toBe(0o755);
    expect(spawnSync(bin, ["--version"], { encoding: "utf8" }).stdout.trim()).toBe(
      `${FAKE_VERSION} linux-x64`,
    );
    expect(ok.stdout).toContain(`installed proxmox-mcp ${FAKE_VERSION} linux-x64 as ${bin}`);
  });

  test.each([
    ["Linux", "aarch64", ["--libc", "glibc"], "linux-arm64"],
    ["Darwin", "arm64", [], "darwin-arm64"],
    ["Darwin", "x86_64", [], "darwin-x64"],
  ])("%s %s %j → %s", (kernel, machine, extra, target) => {
    const p = mkdtempSync(join(tmpdir(), "pmcp-p-"));
    const r = install([...extra, "--prefix", p], {
      kernel,
      machine,
      env: { PATH: `${p}/bin:${process.env.PATH}` },
    });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const out = spawnSync(join(p, "bin/proxmox-mcp"), ["--version"], { encoding: "utf8" });
    expect(out.stdout.trim()).toBe(`${FAKE_VERSION} ${target}`);
  });

  test("downloads from the repository's release for the version asked (or the latest)", () => {
    const dir = fakeReleaseDir();
    const p = mkdtempSync(join(tmpdir(), "pmcp-p-"));
    const env = { PROXMOX_MCP_REPO: "acme/pmcp" };
    const args = ["--libc", "glibc", "--prefix", p];
    const pinned = install([...args, "--version", "v1.2.3"], { dir, env, fromDir: false });
    expect(pinned.status).toBe(0);
    const latest = install(args, { dir, env, fromDir: false });
    expect(latest.status).toBe(0);
    expect(readFileSync(join(dir, "curl.log"), "utf8").trim().split("\n")).toEqual([
      "https://github.com/acme/pmcp/releases/download/v1.2.3/SHA256SUMS",
      "https://github.com/acme/pmcp/releases/download/v1.2.3/proxmox-mcp-linux-x64.tar.gz",
      "https://github.com/acme/pmcp/releases/latest/download/SHA256SUMS",
      "https://github.com/acme/pmcp/releases/latest/download/proxmox-mcp-linux-x64.tar.gz",
    ]);
  });

  test("its default repository is package.json's", () => {
    const text = readFileSync(script, "utf8");
    expect(text).toContain(`REPO="\${PROXMOX_MCP_REPO:-${defaultRepo({})}}"`);
  });
});

describe("install.sh refuses", () => {
  test("an archive whose checksum does not match SHA256SUMS, saying so", () => {
    const dir = fakeReleaseDir();
    appendFileSync(join(dir, "proxmox-mcp-linux-x64.tar.gz"), "tampered\n");
    const p = mkdtempSync(join(tmpdir(), "pmcp-p-"));
    const r = install(["--libc", "glibc", "--prefix", p], { dir });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(
      /checksum mismatch for proxmox-mcp-linux-x64.tar.gz: expected [0-9a-f]{64}, got [0-9a-f]{64}.*refusing to install/,
    );
    expect(existsSync(join(p, "bin/proxmox-mcp"))).toBe(false);
  });

  test("an archive SHA256SUMS does not list", () => {
    const dir = fakeReleaseDir();
    const sums = readFileSync(join(dir, "SHA256SUMS"), "utf8");
    writeFileSync(
      join(dir, "SHA256SUMS"),
      sums
        .split("\n")
        .filter((l) => !l.endsWith(" proxmox-mcp-linux-x64.tar.gz"))
        .join("\n"),
    );
    const r = install(["--libc", "glibc", "--prefix", mkdtempSync(join(tmpdir(), "p-"))], { dir });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("SHA256SUMS has no entry for proxmox-mcp-linux-x64.tar.gz");
  });

  test.each([
    ["Linux", "mips64", "unsupported architecture: mips64"],
    ["Linux", "armv7l", "unsupported architecture: armv7l"],
    ["FreeBSD", "amd64", "unsupported operating system: FreeBSD"],
  ])("%s on %s", (kernel, machine, message) => {
    const r = install(["--prefix", mkdtempSync(join(tmpdir(), "p-"))], { kernel, machine });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(message);
  });

  test("musl on aarch64 (there is no such build)", () => {
    const r = install(["--libc", "musl", "--prefix", mkdtempSync(join(tmpdir(), "p-"))], {
      machine: "aarch64",
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("unsupported platform: musl on aarch64");
  });

  test("unknown options, and a relative prefix", () => {
    expect(install(["--bogus"]).stderr).toContain("unknown option: --bogus");
    expect(install(["--prefix", "rel/dir"]).stderr).toContain("--prefix must be an absolute path");
  });
});

describe("install.sh beside the binary", () => {
  test("installs the completions and the man page under PREFIX/share", () => {
    const p = mkdtempSync(join(tmpdir(), "pmcp-p-"));
    const r = install(["--libc", "glibc", "--prefix", p]);
    expect(r.status).toBe(0);
    const files = {
      "share/bash-completion/completions/proxmox-mcp": "completions/proxmox-mcp.bash",
      "share/zsh/site-functions/_proxmox-mcp": "completions/_proxmox-mcp",
      "share/fish/vendor_completions.d/proxmox-mcp.fish": "completions/proxmox-mcp.fish",
      "share/man/man1/proxmox-mcp.1": "man/proxmox-mcp.1",
    } as const;
    for (const [installed, source] of Object.entries(files)) {
      expect(readFileSync(join(p, installed), "utf8")).toBe(FAKE_DOCS[source]);
    }
    expect(r.stdout).toContain(
      `installed completions and man page under ${p}/share: bash, zsh, fish, man page`,
    );
  });

  test("warns when PREFIX/bin is not on PATH, and not when it is", () => {
    const p = mkdtempSync(join(tmpdir(), "pmcp-p-"));
    const away = install(["--libc", "glibc", "--prefix", p]);
    expect(away.status).toBe(0);
    expect(away.stderr).toContain(`warning: ${p}/bin is not on your PATH; add it`);
    const onPath = install(["--libc", "glibc", "--prefix", p], {
      env: { PATH: `${p}/bin:${process.env.PATH}` },
    });
    expect(onPath.status).toBe(0);
    expect(onPath.stderr).toBe("");
  });

  test("on musl, needs libstdc++ and libgcc, and says how to get them", () => {
    const root = mkdtempSync(join(tmpdir(), "pmcp-root-"));
    const bare = install(["--libc", "musl", "--root", root]);
    expect(bare.status).toBe(1);
    expect(bare.stderr).toContain("the musl build needs libstdc++ and libgcc");
    expect(bare.stderr).toContain("apk add libstdc++ libgcc");
    expect(existsSync(join(root, "usr/local/bin/proxmox-mcp"))).toBe(false);
    mkdirSync(join(root, "usr/lib"), { recursive: true });
    for (const lib of ["libstdc++.so.6", "libgcc_s.so.1"])
      writeFileSync(join(root, "usr/lib", lib), "");
    const ok = install(["--libc", "musl", "--root", root]);
    expect(ok.status).toBe(0);
    const out = spawnSync(join(root, "usr/local/bin/proxmox-mcp"), ["--version"], {
      encoding: "utf8",
    });
    expect(out.stdout.trim()).toBe(`${FAKE_VERSION} linux-x64-musl`);
  });
});

describe("install.sh --dry-run", () => {
  test("verifies, then writes nothing", () => {
    const p = join(mkdtempSync(join(tmpdir(), "pmcp-p-")), "x");
    const r = install(["--libc", "glibc", "--prefix", p, "--dry-run", "--systemd"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("checksum OK");
    expect(r.stdout).toContain(
      `dry run: would install ${p}/bin/proxmox-mcp and the systemd service`,
    );
    expect(existsSync(p)).toBe(false);
  });
});

describe("install.sh --systemd", () => {
  /** A PVE host's root (its CA in /etc/pve) after install.sh --systemd. */
  const systemdInstall = () => {
    const root = mkdtempSync(join(tmpdir(), "pmcp-root-"));
    mkdirSync(join(root, "etc/pve"), { recursive: true });
    writeFileSync(join(root, "etc/pve/pve-root-ca.pem"), "-----BEGIN CERTIFICATE-----\n");
    const run = install(["--libc", "glibc", "--root", root, "--systemd"]);
    return { root, run, envFile: join(root, "etc/proxmox-mcp/env") };
  };
  // Read, never changed, by the tests below but the one that runs it again on its own root.
  const { root, run: first, envFile } = systemdInstall();
  const unit = readFileSync(join(root, "etc/systemd/system/proxmox-mcp.service"), "utf8");

  test("installs the binary under the root and a unit running it in HTTP mode", () => {
    expect(first.stderr).toBe("");
    expect(first.status).toBe(0);
    expect(existsSync(join(root, "usr/local/bin/proxmox-mcp"))).toBe(true);
    expect(unit).toContain("ExecStart=/usr/local/bin/proxmox-mcp --server-type http");
    expect(unit).toContain("EnvironmentFile=/etc/proxmox-mcp/env");
    expect(unit).toContain("WantedBy=multi-user.target");
  });

  test("hardens the unit", () => {
    for (const line of [
      "DynamicUser=yes",
      "NoNewPrivileges=yes",
      "ProtectSystem=strict",
      "ProtectHome=yes",
      "PrivateTmp=yes",
      "CapabilityBoundingSet=",
    ]) {
      expect(unit.split("\n")).toContain(line);
    }
    // the JIT needs writable+executable memory
    expect(unit).not.toMatch(/^MemoryDenyWriteExecute=/m);
  });

  test("writes the secrets file mode 600 with a random bearer token and the host's CA", () => {
    expect(statSync(envFile).mode & 0o777).toBe(0o600);
    const env = readFileSync(envFile, "utf8");
    expect(env).toMatch(/^PROXMOX_HTTP_AUTH_TOKEN=[0-9a-f]{64}$/m);
    expect(env).toContain("PROXMOX_HOST=localhost");
    expect(env).toContain("PROXMOX_CA_FILE=/etc/proxmox-mcp/pve-root-ca.pem");
    expect(statSync(join(root, "etc/proxmox-mcp/pve-root-ca.pem")).mode & 0o777).toBe(0o644);
    const names = [...env.matchAll(/^(PROXMOX_[A-Z_]+)=/gm)].map((m) => m[1]);
    expect(names.length).toBeGreaterThan(5);
  });

  test("keeps an existing secrets file when run again", () => {
    const own = systemdInstall();
    writeFileSync(own.envFile, "PROXMOX_TOKEN_VALUE=mine\n");
    const again = install(["--libc", "glibc", "--root", own.root, "--systemd"]);
    expect(again.status).toBe(0);
    expect(again.stdout).toContain("kept");
    expect(readFileSync(own.envFile, "utf8")).toBe("PROXMOX_TOKEN_VALUE=mine\n");
  });

  test("is refused on macOS, before anything is installed", () => {
    const elsewhere = mkdtempSync(join(tmpdir(), "r-"));
    const r = install(["--root", elsewhere, "--systemd"], { kernel: "Darwin", machine: "arm64" });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("--systemd needs Linux");
    expect(existsSync(join(elsewhere, "usr"))).toBe(false);
  });
});

testWithProgram("shellcheck", "shellcheck finds nothing", () => {
  const r = spawnSync("shellcheck", ["-s", "sh", script], { encoding: "utf8" });
  expect(r.stdout).toBe("");
  expect(r.status).toBe(0);
});
