// One release archive per target: `proxmox-mcp-<target>/` holding the binary, the shell
// completions, the man page and LICENSE; gzip-compressed tar (nanotar) for Linux and macOS, zip
// (fflate) for Windows. A fixed time and owner make the same inputs give the same bytes.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { zipSync } from "fflate";
import { createTar } from "nanotar";
import { archiveDir, isWindows, type Target } from "./targets.ts";

/** What every archive holds beside the binary: path inside the folder → text. */
export type ArchiveDocs = Record<string, string>;

/** 2026-01-01T00:00:00Z: archives carry no build time. */
const FIXED_TIME = Date.UTC(2026, 0, 1);

export function packArchive(target: Target, binary: Uint8Array, docs: ArchiveDocs): Uint8Array {
  const dir = archiveDir(target);
  const exe = isWindows(target) ? "proxmox-mcp.exe" : "proxmox-mcp";
  const text = Object.entries(docs).map(([name, body]) => ({
    name: `${dir}/${name}`,
    data: new TextEncoder().encode(body),
  }));
  if (isWindows(target)) {
    const files = Object.fromEntries([
      [`${dir}/${exe}`, binary] as const,
      ...text.map((f) => [f.name, f.data] as const),
    ]);
    return zipSync(files, { level: 9, mtime: new Date(FIXED_TIME) });
  }
  const attrs = (mode: string) => ({
    mode,
    uid: 0,
    gid: 0,
    user: "root",
    group: "root",
    mtime: FIXED_TIME,
  });
  const tar = createTar([
    { name: `${dir}/${exe}`, data: binary, attrs: attrs("755") },
    ...text.map((f) => ({ ...f, attrs: attrs("644") })),
  ]);
  return gzipSync(tar, { level: 9 });
}

/** The archive docs of this checkout: completions and man page from the CLI, and LICENSE. */
export function archiveDocs(root: string): ArchiveDocs {
  const cli = (...args: string[]) => {
    const run = Bun.spawnSync([process.execPath, join(root, "src/main.ts"), ...args], {
      cwd: root,
    });
    if (run.exitCode !== 0) throw new Error(`proxmox-mcp ${args.join(" ")} failed: ${run.stderr}`);
    return run.stdout.toString();
  };
  return {
    LICENSE: readFileSync(join(root, "LICENSE"), "utf8"),
    "completions/proxmox-mcp.bash": cli("completions", "bash"),
    "completions/_proxmox-mcp": cli("completions", "zsh"),
    "completions/proxmox-mcp.fish": cli("completions", "fish"),
    "man/proxmox-mcp.1": cli("man"),
  };
}
