// Packs an MCP Bundle (dist/proxmox-mcp-<target>.mcpb) around each built desktop binary with the
// official tool, @anthropic-ai/mcpb: it validates manifest.json against the bundle schema and
// zips it with server/proxmox-mcp[.exe], keeping the executable bit. Run after `bun run build`;
// it refreshes SHA256SUMS so the bundles are checksummed like the archives.
// `--dist DIR` reads and writes elsewhere.

import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { currentRelease, type Release, writeSums } from "./release.ts";
import { bundledBinary, mcpbManifest } from "./render/mcpb-manifest.ts";
import { binaryName, MCPB_TARGETS, mcpbName, type Target } from "./targets.ts";

const MCPB_CLI = join(
  dirname(require.resolve("@anthropic-ai/mcpb/package.json")),
  "dist/cli/cli.js",
);

/** Runs the official mcpb CLI; throws with its output when it refuses. */
export function mcpb(...args: string[]): void {
  const run = Bun.spawnSync([process.execPath, MCPB_CLI, ...args], {
    stdout: "pipe",
    stderr: "pipe",
  });
  if (run.exitCode !== 0) {
    throw new Error(`mcpb ${args[0]} failed:\n${run.stdout}${run.stderr}`);
  }
}

/** Validates the manifest and packs `binary` with it into `out`; throws with mcpb's words. */
export function packBundle(release: Release, target: Target, binary: string, out: string): void {
  const dir = mkdtempSync(join(tmpdir(), "pmcp-mcpb-"));
  try {
    const manifest = join(dir, "manifest.json");
    writeFileSync(manifest, `${JSON.stringify(mcpbManifest(release, target), null, 2)}\n`);
    const inside = join(dir, bundledBinary(target));
    mkdirSync(dirname(inside), { recursive: true });
    copyFileSync(binary, inside);
    chmodSync(inside, 0o755);
    mcpb("validate", manifest);
    mcpb("pack", dir, out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.main) {
  const argv = process.argv.slice(2);
  const i = argv.indexOf("--dist");
  const dist = resolve(import.meta.dir, "..", i >= 0 ? (argv[i + 1] ?? "dist") : "dist");
  const release = currentRelease(); // a manifest needs no checksums
  const packed: string[] = [];
  try {
    for (const target of MCPB_TARGETS) {
      const binary = join(dist, binaryName(target));
      if (!existsSync(binary)) {
        console.error(`skipped ${mcpbName(target)}: ${binaryName(target)} is not built`);
        continue;
      }
      packBundle(release, target, binary, join(dist, mcpbName(target)));
      packed.push(mcpbName(target));
    }
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
  if (packed.length === 0) {
    console.error(`no binaries in ${dist}: run \`bun run build\` first`);
    process.exit(1);
  }
  writeSums(dist);
  console.error(`packed ${packed.join(", ")} with mcpb; refreshed SHA256SUMS`);
}
