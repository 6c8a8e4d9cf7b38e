// Compiles standalone executables with `bun build --compile` into dist/, one per target, packs
// each into its release archive (binary, completions, man page, LICENSE) and writes SHA256SUMS
// over the archives. `--host` builds only this machine's target; `--target a,b` picks targets;
// `--out DIR` writes elsewhere. Nothing counts until the host binary passed the smoke test (a broken binary
// can come out of a build that exited 0), and every cross-compiled file must carry the header of
// its target. Any failure stops the build with a non-zero exit.

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import pkg from "../package.json" with { type: "json" };
import { archiveDocs, packArchive } from "./archive.ts";
import { INIT_MESSAGES } from "./bench/stdio-probe.ts";
import { checkBinaryFormat } from "./binary-format.ts";
import { writeSums } from "./release.ts";
import {
  ALL_TARGETS,
  archiveName,
  binaryName,
  hostTarget,
  isTarget,
  TARGETS,
  type Target,
} from "./targets.ts";

export { binaryName, hostTarget, TARGETS, type Target };

const root = join(import.meta.dir, "..");

/** How every binary is built. */
export const COMPILE_FLAGS = [
  "--compile",
  "--minify",
  "--bytecode",
  "--format=esm",
  // Each dynamic import() its own chunk: a module that is not imported is not loaded. In one
  // chunk every module's code and node: imports (http, tls, crypto…) load at start, ~5 ms.
  "--splitting",
];

/** Compiles one entry point; throws with bun's output when the build fails. */
export async function compile(
  entry: string,
  target: Target | "host",
  outfile: string,
): Promise<void> {
  const args = [
    "build",
    entry,
    ...COMPILE_FLAGS,
    `--outfile=${outfile}`,
    ...(target === "host" ? [] : [`--target=${TARGETS[target]}`]),
  ];
  rmSync(outfile, { force: true }); // a stale file must not pass for a fresh one
  const proc = Bun.spawn([process.execPath, ...args], {
    cwd: root,
    stdout: "pipe",
    stderr: "pipe",
  });
  const [out, err, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  // bun can print an error yet exit 0 (e.g. --bytecode without --format=esm): trust neither alone.
  if (code !== 0 || /\berror\b/i.test(err)) {
    throw new Error(`build of ${target} failed (exit ${code}):\n${err || out}`);
  }
  await checkBinaryFormat(outfile, target === "host" ? hostTarget() : target);
}

/** version, initialize + tools/list, and one demo call must work on the host binary. */
export async function smokeTest(binary: string): Promise<void> {
  const ran = Bun.spawnSync([binary, "--version"], { timeout: 15_000 });
  const version = ran.stdout.toString().trim();
  if (ran.exitCode !== 0 || version !== pkg.version) {
    throw new Error(
      `${binary} --version said "${version}" (exit ${ran.exitCode}), not ${pkg.version}\n${ran.stderr}`,
    );
  }
  const messages = [
    ...INIT_MESSAGES,
    { jsonrpc: "2.0", id: 3, method: "tools/call", params: { name: "list_nodes", arguments: {} } },
  ];
  const proc = Bun.spawn([binary, "--demo"], { stdin: "pipe", stdout: "pipe", stderr: "pipe" });
  proc.stdin.write(`${messages.map((m) => JSON.stringify(m)).join("\n")}\n`);
  proc.stdin.flush();
  const answers = new Map<number, { result?: { tools?: unknown[]; isError?: boolean } }>();
  const noise: string[] = [];
  let buffer = "";
  const timer = setTimeout(() => proc.kill(), 15_000);
  const decoder = new TextDecoder();
  for await (const chunk of proc.stdout) {
    buffer += decoder.decode(chunk, { stream: true });
    const lines = buffer.split("\n");
    buffer = lines.pop() ?? "";
    for (const line of lines) {
      try {
        const msg = JSON.parse(line);
        if (typeof msg.id === "number") answers.set(msg.id, msg);
      } catch {
        noise.push(line); // anything but JSON-RPC on stdout corrupts the stdio transport
      }
    }
    if (answers.has(3)) break;
  }
  clearTimeout(timer);
  proc.kill();
  await proc.exited;
  const tools = answers.get(2)?.result?.tools?.length ?? 0;
  const call = answers.get(3)?.result;
  if (tools === 0 || !call || call.isError || noise.length > 0) {
    const stderr = await new Response(proc.stderr).text();
    throw new Error(
      [
        `smoke test of ${binary} failed: tools=${tools}, call=${JSON.stringify(call)}`,
        ...(noise.length > 0 ? [`non-JSON on stdout: ${noise.slice(0, 3).join(" | ")}`] : []),
        stderr,
      ].join("\n"),
    );
  }
}

export function parseTargets(argv: readonly string[]): Target[] {
  if (argv.includes("--host")) return [hostTarget()];
  const i = argv.findIndex((a) => a === "--target" || a.startsWith("--target="));
  if (i < 0) return [...ALL_TARGETS];
  const arg = argv[i] ?? "";
  const list = arg.includes("=") ? arg.slice(arg.indexOf("=") + 1) : (argv[i + 1] ?? "");
  const wanted = list.split(",").filter(Boolean);
  if (wanted.length === 0)
    throw new Error(`--target needs a list; known: ${ALL_TARGETS.join(", ")}`);
  for (const t of wanted) {
    if (!isTarget(t)) throw new Error(`unknown target "${t}"; known: ${ALL_TARGETS.join(", ")}`);
  }
  return [...new Set(wanted as Target[])];
}

function optionValue(argv: readonly string[], name: string): string | undefined {
  const i = argv.findIndex((a) => a === name || a.startsWith(`${name}=`));
  if (i < 0) return undefined;
  const arg = argv[i] ?? "";
  return arg.includes("=") ? arg.slice(arg.indexOf("=") + 1) : argv[i + 1];
}

const seconds = (since: number) => `${((performance.now() - since) / 1000).toFixed(1)} s`;

async function main(argv: string[]): Promise<void> {
  const targets = parseTargets(argv);
  const dist = resolve(root, optionValue(argv, "--out") ?? "dist");
  const host = hostTarget();
  // The host binary first: if it fails its smoke test, cross-compiling the rest is wasted time.
  targets.sort((a, b) => Number(b === host) - Number(a === host));
  if (!targets.includes(host)) {
    const scratch = mkdtempSync(join(tmpdir(), "pmcp-build-"));
    try {
      const probe = join(scratch, binaryName(host));
      await compile("src/main.ts", host, probe);
      await smokeTest(probe);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
    console.error(`smoke-tested a ${host} build of the same source`);
  }
  rmSync(dist, { recursive: true, force: true });
  mkdirSync(dist, { recursive: true });
  for (const target of targets) {
    const out = join(dist, binaryName(target));
    const started = performance.now();
    await compile("src/main.ts", target, out);
    console.error(`built ${basename(out)} in ${seconds(started)}`);
    if (target === host) {
      await smokeTest(out);
      console.error(`smoke-tested ${basename(out)}: --version, initialize, tools/list, list_nodes`);
    }
  }
  const docs = archiveDocs(root);
  for (const target of targets) {
    const started = performance.now();
    const archive = packArchive(target, readFileSync(join(dist, binaryName(target))), docs);
    writeFileSync(join(dist, archiveName(target)), archive);
    const mb = (archive.byteLength / 1e6).toFixed(1);
    console.error(`packed ${archiveName(target)} (${mb} MB) in ${seconds(started)}`);
  }
  const count = writeSums(dist);
  console.error(`wrote ${join(dist, "SHA256SUMS")} (${count} files)`);
}

if (import.meta.main) {
  await main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(`build failed: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  });
}
