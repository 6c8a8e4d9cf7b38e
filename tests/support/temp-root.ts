// Every test run keeps its temporary files under one folder of its own (TMPDIR, which os.tmpdir()
// and the processes the tests start read), removed when the run ends: thousands of runs on a
// machine must not fill its disk with audit logs, caches, release archives and fake roots.
import { afterAll } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const root = mkdtempSync(join(tmpdir(), "pmcp-test-run-"));
process.env.TMPDIR = root;
// A preload's afterAll runs once, after every file (see preload.ts).
afterAll(() => rmSync(root, { recursive: true, force: true }));
