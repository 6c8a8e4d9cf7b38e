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

test("the README fits in 40 KB; the generated reference lives in docs/", () => {
  const readme = readFileSync("README.md", "utf8");
  expect(Buffer.byteLength(readme)).toBeLessThanOrEqual(40 * 1024);
  expect(readme).toContain("(docs/tools.md)");
  expect(readme).toContain("(docs/settings.md)");
});

test("docs/ tables keep their columns (every | in a cell escaped) and pad no cell", () => {
  for (const file of ["docs/tools.md", "docs/settings.md"]) {
    const tables = readFileSync(file, "utf8")
      .split(/\n(?!\|)/)
      .map((chunk) => chunk.split("\n").filter((l) => l.startsWith("|")))
      .filter((rows) => rows.length > 2);
    expect(tables.length).toBeGreaterThan(0);
    for (const rows of tables) {
      const cells = (row: string) => row.replaceAll("\\\\", "").split(/(?<!\\)\|/).length;
      const width = cells(rows[0] ?? "");
      for (const row of rows) {
        expect({ file, row: row.slice(0, 60), cells: cells(row) }).toEqual({
          file,
          row: row.slice(0, 60),
          cells: width,
        });
        expect(row).not.toMatch(/[^|\s] {2,}\||\| {2,}[^|\s]/);
      }
    }
  }
  expect(readFileSync("docs/settings.md", "utf8")).toContain(
    "`/nodes/**/{termproxy\\|vncshell\\|spiceshell}`",
  );
});
