// Tests that run an installed program (a shell, shellcheck, groff, unzip) skip without it, and
// say so in their name: the skipped line tells the reader what to install.

import { test } from "bun:test";
import { spawnSync } from "node:child_process";

/** `test`, or a skip naming the missing program; `probe` is the arguments that test for it. */
export function testWithProgram(
  program: string,
  name: string,
  fn: () => void | Promise<void>,
  probe: string[] = ["--version"],
): void {
  if (spawnSync(program, probe).status === 0) test(name, fn);
  else test.skip(`${name} (skipped: ${program} is not installed)`, fn);
}
