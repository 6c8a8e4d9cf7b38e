// A fake release for the packaging tests: every release file with made-up content and a real
// SHA256SUMS over it, so renderers and install.sh see exactly what a tag would publish.

import { createHash } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { formatSums, type Release } from "../../scripts/release.ts";
import { ALL_TARGETS, binaryName, MCPB_TARGETS, mcpbName } from "../../scripts/targets.ts";

export const FAKE_VERSION = "1.2.3";

/** What a fake binary prints for --version: which file ran, so a test can tell. */
export const fakeBinary = (label: string): string => `#!/bin/sh\necho "${FAKE_VERSION} ${label}"\n`;

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

export function fakeReleaseFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const t of ALL_TARGETS) files.set(binaryName(t), fakeBinary(t));
  for (const t of MCPB_TARGETS) files.set(mcpbName(t), `bundle for ${t}\n`);
  return files;
}

export function fakeRelease(repo = "acme/proxmox-mcp"): Release {
  const sums = new Map([...fakeReleaseFiles()].map(([name, text]) => [name, sha256(text)]));
  return {
    version: FAKE_VERSION,
    repo,
    description: "Proxmox VE server for the Model Context Protocol",
    license: "MIT",
    sums,
  };
}

/** Writes the fake release files and their SHA256SUMS into a fresh directory. */
export function fakeReleaseDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "pmcp-release-"));
  const files = fakeReleaseFiles();
  for (const [name, text] of files) writeFileSync(join(dir, name), text, { mode: 0o644 });
  writeFileSync(join(dir, "SHA256SUMS"), formatSums(fakeRelease().sums));
  return dir;
}
