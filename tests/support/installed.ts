// Tests that run an installed program (a shell, shellcheck, groff, unzip, python3-proxmoxer,
// chromium) skip without it, and say so in their name: the skipped line tells the reader what to
// install.

import { describe, test } from "bun:test";
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

/** `describe`, or, when `missing` says what is absent, a skip whose name says it. */
export function describeUnlessMissing(
  missing: string | undefined,
  name: string,
  body: () => void,
): void {
  if (missing === undefined) describe(name, body);
  else describe.skip(`${name} (skipped: ${missing})`, body);
}
