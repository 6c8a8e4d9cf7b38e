// The project's own promises: one pinned Bun version used everywhere, README set-up commands.

import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";

const pkg = JSON.parse(readFileSync("package.json", "utf8"));
const pinned = String(pkg.packageManager).replace("bun@", "");

test("Bun is pinned once (packageManager) and the README and CI use that version", () => {
  expect(pinned).toMatch(/^\d+\.\d+\.\d+$/);
  const readme = readFileSync("README.md", "utf8");
  const versions = [...readme.matchAll(/bun@(\d+\.\d+\.\d+)/g)].map((m) => m[1]);
  expect(versions.length).toBeGreaterThanOrEqual(2);
  expect(new Set(versions)).toEqual(new Set([pinned]));
  expect(readFileSync(".ci/run", "utf8")).toContain("packageManager");
});

test("the README gives the two set-up commands: demo and tests", () => {
  const readme = readFileSync("README.md", "utf8");
  expect(readme).toContain(
    `npm install -g bun@${pinned} --allow-scripts=bun && bun install --frozen-lockfile && bun run demo`,
  );
  expect(readme).toContain(
    `npm install -g bun@${pinned} --allow-scripts=bun && bun install --frozen-lockfile && bun test`,
  );
});
