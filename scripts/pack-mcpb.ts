// Packs an MCP Bundle (dist/proxmox-mcp-<target>.mcpb) around each built desktop binary:
// manifest.json + server/proxmox-mcp[.exe]. Run after `bun run build`; it refreshes SHA256SUMS
// so the bundles are checksummed like the binaries. `--dist DIR` reads and writes elsewhere.

import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { currentRelease, type Release, writeSums } from "./release.ts";
import { bundledBinary, mcpbManifest } from "./render/mcpb-manifest.ts";
import { zip } from "./render/zip.ts";
import { binaryName, MCPB_TARGETS, mcpbName, type Target } from "./targets.ts";

export function packBundle(release: Release, target: Target, binary: Uint8Array): Uint8Array {
  const manifest = `${JSON.stringify(mcpbManifest(release, target), null, 2)}\n`;
  return zip([
    { name: "manifest.json", data: new TextEncoder().encode(manifest) },
    { name: bundledBinary(target), data: binary, mode: 0o755 },
  ]);
}

if (import.meta.main) {
  const argv = process.argv.slice(2);
  const i = argv.indexOf("--dist");
  const dist = resolve(import.meta.dir, "..", i >= 0 ? (argv[i + 1] ?? "dist") : "dist");
  const release = currentRelease(); // a manifest needs no checksums
  const packed: string[] = [];
  for (const target of MCPB_TARGETS) {
    const binary = join(dist, binaryName(target));
    if (!existsSync(binary)) {
      console.error(`skipped ${mcpbName(target)}: ${binaryName(target)} is not built`);
      continue;
    }
    writeFileSync(join(dist, mcpbName(target)), packBundle(release, target, readFileSync(binary)));
    packed.push(mcpbName(target));
  }
  if (packed.length === 0) {
    console.error(`no binaries in ${dist}: run \`bun run build\` first`);
    process.exit(1);
  }
  writeSums(dist);
  console.error(`packed ${packed.join(", ")}; refreshed SHA256SUMS`);
}
