// A fake release for the packaging tests: every release file (real archives holding a fake
// binary, completions, man page and LICENSE; bundles with made-up content) and a real SHA256SUMS
// over them, so renderers and install.sh see exactly what a tag would publish.

import { createHash } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { packArchive } from "../../scripts/archive.ts";
import { formatSums, type Release } from "../../scripts/release.ts";
import { ALL_TARGETS, archiveName, MCPB_TARGETS, mcpbName } from "../../scripts/targets.ts";

export const FAKE_VERSION = "1.2.3";

/** What a fake binary prints for --version: which file ran, so a test can tell. */
export const fakeBinary = (label: string): string => `#!/bin/sh\necho "${FAKE_VERSION} ${label}"\n`;

export const FAKE_DOCS = {
  LICENSE: "MIT License (fake)\n",
  "completions/proxmox-mcp.bash": "complete -F _proxmox_mcp proxmox-mcp # fake\n",
  "completions/_proxmox-mcp": "#compdef proxmox-mcp\n# fake\n",
  "completions/proxmox-mcp.fish": "complete -c proxmox-mcp # fake\n",
  "man/proxmox-mcp.1": ".TH PROXMOX-MCP 1\n.SH NAME\nproxmox-mcp \\- fake\n",
};

const sha256 = (data: Uint8Array) => createHash("sha256").update(data).digest("hex");

let files: Map<string, Uint8Array> | undefined;

export function fakeReleaseFiles(): Map<string, Uint8Array> {
  if (files) return files;
  files = new Map();
  const text = (s: string) => new TextEncoder().encode(s);
  for (const t of ALL_TARGETS) {
    files.set(archiveName(t), packArchive(t, text(fakeBinary(t)), FAKE_DOCS));
  }
  for (const t of MCPB_TARGETS) files.set(mcpbName(t), text(`bundle for ${t}\n`));
  return files;
}

export function fakeRelease(repo = "acme/proxmox-mcp"): Release {
  const sums = new Map([...fakeReleaseFiles()].map(([name, data]) => [name, sha256(data)]));
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
  for (const [name, data] of fakeReleaseFiles())
    writeFileSync(join(dir, name), data, { mode: 0o644 });
  writeFileSync(join(dir, "SHA256SUMS"), formatSums(fakeRelease().sums));
  return dir;
}
