// scripts/build.ts fails loudly: on an unknown target, on an entry that does not compile, on a
// file that is not an executable of its target, and on a binary that fails its smoke test. No
// real cross-compilation here (≈ 100 MB and seconds per target): headers and fake binaries.

import { describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { unzipSync } from "fflate";
import pkg from "../../package.json" with { type: "json" };
import { packArchive } from "../../scripts/archive.ts";
import { formatProblem } from "../../scripts/binary-format.ts";
import { compile, parseTargets, smokeTest } from "../../scripts/build.ts";
import { writeSums } from "../../scripts/release.ts";
import { ALL_TARGETS } from "../../scripts/targets.ts";

const root = join(import.meta.dir, "../..");
const scratch = () => mkdtempSync(join(tmpdir(), "pmcp-build-test-"));

describe("target selection", () => {
  test("all targets by default; a list with --target; duplicates once", () => {
    expect(parseTargets([])).toEqual(ALL_TARGETS);
    expect(parseTargets(["--target", "linux-x64,windows-x64,linux-x64"])).toEqual([
      "linux-x64",
      "windows-x64",
    ]);
    expect(parseTargets(["--target=darwin-arm64"])).toEqual(["darwin-arm64"]);
  });

  test("an unknown or empty target list is an error naming the known ones", () => {
    expect(() => parseTargets(["--target", "linux-x64,amiga"])).toThrow(
      /unknown target "amiga"; known: linux-x64, linux-arm64/,
    );
    expect(() => parseTargets(["--target"])).toThrow(/needs a list/);
  });

  test("the build script exits non-zero on an unknown target, before writing anything", () => {
    const out = join(scratch(), "dist");
    const run = spawnSync(
      process.execPath,
      ["scripts/build.ts", "--target", "bogus", "--out", out],
      {
        cwd: root,
        encoding: "utf8",
      },
    );
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('build failed: unknown target "bogus"');
    expect(existsSync(out)).toBe(false);
  });
});

describe("compile", () => {
  test("an entry that does not compile fails with bun's message", async () => {
    const dir = scratch();
    const entry = join(dir, "broken.ts");
    writeFileSync(entry, 'import { nothing } from "./missing.ts";\nconsole.log(nothing);\n');
    const result = compile(entry, "linux-x64", join(dir, "out"));
    await expect(result).rejects.toThrow(/build of linux-x64 failed[\s\S]*missing\.ts/);
    expect(existsSync(join(dir, "out"))).toBe(false);
  });
});

/** The first bytes of an executable of each kind, as a compiler writes them. */
function header(kind: "elf" | "macho" | "pe", machine: number, loader = ""): Uint8Array {
  const bytes = new Uint8Array(4096);
  const view = new DataView(bytes.buffer);
  if (kind === "elf") {
    bytes.set([0x7f, 0x45, 0x4c, 0x46, 2, 1]);
    view.setUint16(18, machine, true);
    bytes.set(new TextEncoder().encode(loader), 0x238);
  } else if (kind === "macho") {
    view.setUint32(0, 0xfeedfacf, true);
    view.setUint32(4, machine, true);
  } else {
    bytes.set([0x4d, 0x5a]);
    view.setUint32(0x3c, 0x80, true);
    bytes.set([0x50, 0x45, 0, 0], 0x80);
    view.setUint16(0x84, machine, true);
  }
  return bytes;
}

describe("the header of a built file must match its target", () => {
  const glibcX64 = header("elf", 0x3e, "/lib64/ld-linux-x86-64.so.2");
  const muslX64 = header("elf", 0x3e, "/lib/ld-musl-x86_64.so.1");
  const arm64 = header("elf", 0xb7, "/lib/ld-linux-aarch64.so.1");

  test("right format, CPU and C library: no problem", () => {
    expect(formatProblem(glibcX64, "linux-x64")).toBeUndefined();
    expect(formatProblem(muslX64, "linux-x64-musl")).toBeUndefined();
    expect(formatProblem(arm64, "linux-arm64")).toBeUndefined();
    expect(formatProblem(header("macho", 0x0100000c), "darwin-arm64")).toBeUndefined();
    expect(formatProblem(header("macho", 0x01000007), "darwin-x64")).toBeUndefined();
    expect(formatProblem(header("pe", 0x8664), "windows-x64")).toBeUndefined();
  });

  test("anything else is named", () => {
    expect(formatProblem(glibcX64, "linux-arm64")).toBe("ELF machine 0x3e");
    expect(formatProblem(glibcX64, "linux-x64-musl")).toMatch(/musl loader/);
    expect(formatProblem(muslX64, "linux-x64")).toMatch(/glibc loader/);
    expect(formatProblem(glibcX64, "darwin-x64")).toMatch(/not a 64-bit Mach-O/);
    expect(formatProblem(header("macho", 0x01000007), "darwin-arm64")).toMatch(/cputype/);
    expect(formatProblem(header("pe", 0xaa64), "windows-x64")).toMatch(/PE machine 0xaa64/);
    expect(formatProblem(new TextEncoder().encode("error: ".repeat(20)), "linux-x64")).toBe(
      "not an ELF executable",
    );
    expect(formatProblem(new Uint8Array(8), "windows-x64")).toMatch(/too small/);
  });
});

/** A stand-in for the host binary: a shell script with canned stdio answers. */
function fakeBinary(version: string, stdout: string[]): string {
  const file = join(scratch(), "proxmox-mcp");
  const lines = stdout.map((l) => `printf '%s\\n' '${l}'`).join("\n");
  writeFileSync(
    file,
    `#!/bin/sh\nif [ "$1" = --version ]; then echo ${version}; exit 0; fi\n${lines}\ncat >/dev/null\n`,
  );
  chmodSync(file, 0o755);
  return file;
}

const answers = (call: object) => [
  '{"jsonrpc":"2.0","id":1,"result":{"protocolVersion":"2025-06-18"}}',
  '{"jsonrpc":"2.0","id":2,"result":{"tools":[{"name":"list_nodes"}]}}',
  JSON.stringify({ jsonrpc: "2.0", id: 3, result: call }),
];

describe("the smoke test", () => {
  test("passes a binary that answers version, initialize, tools/list and the call", async () => {
    await smokeTest(fakeBinary(pkg.version, answers({ content: [] })));
  });

  test("fails on the wrong version", async () => {
    await expect(smokeTest(fakeBinary("0.0.0-other", answers({})))).rejects.toThrow(
      /--version said "0.0.0-other"/,
    );
  });

  test("fails when the demo call is an error", async () => {
    const binary = fakeBinary(pkg.version, answers({ isError: true, content: [] }));
    await expect(smokeTest(binary)).rejects.toThrow(/smoke test .* failed/);
  });

  test("fails when anything but JSON-RPC reaches stdout", async () => {
    const binary = fakeBinary(pkg.version, ["[info] starting", ...answers({ content: [] })]);
    await expect(smokeTest(binary)).rejects.toThrow(/non-JSON on stdout: \[info\] starting/);
  });
});

test("SHA256SUMS covers the published files (archives and bundles), sorted, in sha256sum's format", () => {
  const dir = scratch();
  writeFileSync(join(dir, "proxmox-mcp-linux-x64.tar.gz"), "a");
  writeFileSync(join(dir, "proxmox-mcp-darwin-arm64.mcpb"), "b");
  writeFileSync(join(dir, "proxmox-mcp-windows-x64.zip"), "c");
  writeFileSync(
    join(dir, "proxmox-mcp-linux-x64"),
    "the bare binary: for the image, not published",
  );
  writeFileSync(join(dir, "notes.txt"), "not a release file");
  expect(writeSums(dir)).toBe(3);
  const text = readFileSync(join(dir, "SHA256SUMS"), "utf8");
  expect(text).toBe(
    [
      "3e23e8160039594a33894f6564e1b1348bbd7a0088d42c4acb73eeaed59c009d  proxmox-mcp-darwin-arm64.mcpb",
      "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb  proxmox-mcp-linux-x64.tar.gz",
      "2e7d2c03a9507ae265ecf5b5356885a53393a2029d241394997265a1a25aefc6  proxmox-mcp-windows-x64.zip",
      "",
    ].join("\n"),
  );
  const check = spawnSync("sha256sum", ["--check", "--strict", "SHA256SUMS"], { cwd: dir });
  if (check.error === undefined) expect(check.status).toBe(0);
});

describe("release archives", () => {
  const docs = {
    LICENSE: "MIT\n",
    "completions/proxmox-mcp.bash": "b\n",
    "completions/_proxmox-mcp": "z\n",
    "completions/proxmox-mcp.fish": "f\n",
    "man/proxmox-mcp.1": ".TH X 1\n",
  };
  const binary = new TextEncoder().encode("#!/bin/sh\necho 9.9.9\n");

  test("a .tar.gz holds one folder: the executable binary, completions, man page, LICENSE", () => {
    const dir = scratch();
    writeFileSync(join(dir, "a.tar.gz"), packArchive("linux-x64", binary, docs));
    const list = spawnSync("tar", ["-tvzf", "a.tar.gz"], { cwd: dir, encoding: "utf8" });
    expect(list.status).toBe(0);
    const names = list.stdout
      .trim()
      .split("\n")
      .map((l) => l.split(/\s+/).at(-1));
    expect(names.sort()).toEqual(
      [
        "proxmox-mcp-linux-x64/LICENSE",
        "proxmox-mcp-linux-x64/completions/_proxmox-mcp",
        "proxmox-mcp-linux-x64/completions/proxmox-mcp.bash",
        "proxmox-mcp-linux-x64/completions/proxmox-mcp.fish",
        "proxmox-mcp-linux-x64/man/proxmox-mcp.1",
        "proxmox-mcp-linux-x64/proxmox-mcp",
      ].sort(),
    );
    expect(spawnSync("tar", ["-xzf", "a.tar.gz"], { cwd: dir }).status).toBe(0);
    const run = spawnSync(join(dir, "proxmox-mcp-linux-x64/proxmox-mcp"), { encoding: "utf8" });
    expect(run.stdout).toBe("9.9.9\n");
  });

  test("Windows gets a .zip with proxmox-mcp.exe", () => {
    const entries = unzipSync(packArchive("windows-x64", binary, docs));
    expect(Object.keys(entries)).toContain("proxmox-mcp-windows-x64/proxmox-mcp.exe");
    expect(Object.keys(entries)).toContain("proxmox-mcp-windows-x64/LICENSE");
  });

  test("the same inputs give the same bytes (a stable checksum)", () => {
    const a = packArchive("darwin-arm64", binary, docs);
    expect(Buffer.from(packArchive("darwin-arm64", binary, docs)).equals(Buffer.from(a))).toBe(
      true,
    );
  });
});
