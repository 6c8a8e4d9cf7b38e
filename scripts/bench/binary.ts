// The compiled binaries the sections measure, built once per bench run into a scratch directory
// that is removed when the process exits.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compile } from "../build.ts";

let dir: string | undefined;
const built = new Map<string, Promise<string>>();

/** `entry` compiled for this machine (cached for the run). */
export function compiled(entry: string, name: string): Promise<string> {
  let binary = built.get(entry);
  if (!binary) {
    dir ??= mkdtempSync(join(tmpdir(), "pmcp-bench-"));
    const out = join(dir, name);
    binary = compile(entry, "host", out).then(() => out);
    built.set(entry, binary);
  }
  return binary;
}

export const ourBinary = () => compiled("src/main.ts", "proxmox-mcp");

process.on("exit", () => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});
