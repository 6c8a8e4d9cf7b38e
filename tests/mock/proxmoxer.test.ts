// A Proxmox client nobody here wrote: Debian's python3-proxmoxer runs its common flows
// (tests/mock/proxmoxer_flow.py) against `proxmox-mcp mock` started as its own process, over
// HTTPS with the self-signed certificate. .ci/run installs python3-proxmoxer.
import { afterEach, expect, test } from "bun:test";
import { join } from "node:path";
import { describeUnlessMissing } from "../support/installed.ts";
import { type MockProcess, startMockProcess } from "./mock-process.ts";

const FLOW = join(import.meta.dir, "proxmoxer_flow.py");

/** A python that can import proxmoxer: Debian's own first (pyenv and others may lack it). */
function findPython(): string | undefined {
  for (const python of ["/usr/bin/python3", "python3"]) {
    const probe = Bun.spawnSync([python, "-c", "import proxmoxer, requests"], { stderr: "ignore" });
    if (probe.exitCode === 0) return python;
  }
  return undefined;
}

const python = findPython();
const missing = python ? undefined : "python3-proxmoxer is not installed (.ci/run installs it)";

describeUnlessMissing(missing, "proxmoxer against proxmox-mcp mock", () => {
  let running: MockProcess | undefined;
  afterEach(() => running?.stop());

  test("ticket and token login, CSRF, task polling, digest, snapshot, clone, a 400", async () => {
    running = await startMockProcess(["--no-auth-delay", "--task-ms", "200"]);
    const flow = Bun.spawn(
      [
        python as string,
        FLOW,
        running.host,
        String(running.port),
        "root@pam",
        "demo-password",
        "root@pam!mcp",
        "5f0e8a3c-4b6d-4e2a-9c1f-7d3b2a1e0c9d",
      ],
      { stdout: "pipe", stderr: "pipe" },
    );
    const [code, out, err] = await Promise.all([
      flow.exited,
      new Response(flow.stdout).text(),
      new Response(flow.stderr).text(),
    ]);
    expect(`${out}${err}`).toContain("proxmoxer flow passed");
    expect(code).toBe(0);
  }, 60_000);
});
