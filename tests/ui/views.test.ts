// The built views as shipped: one self-contained HTML file each, within the size limit, fresh
// from their sources, and the browser code (views and test host) type-checked with the DOM's
// types, which the rest of the project does not use.

import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { buildView, MAX_VIEW_BYTES, VIEWS, type ViewName } from "../../src/ui/build.ts";

const root = join(import.meta.dir, "../..");

for (const name of Object.keys(VIEWS) as ViewName[]) {
  test(`the ${name} view is one self-contained HTML file of at most 300 KB, built from src/ui`, async () => {
    const shipped = readFileSync(join(root, "src/ui/generated", `${name}.html`), "utf8");
    expect(Buffer.byteLength(shipped)).toBeLessThanOrEqual(MAX_VIEW_BYTES);
    expect(shipped.startsWith("<!doctype html>")).toBe(true);
    // Nothing from elsewhere: no external script, style sheet, image, frame or font.
    expect(shipped).not.toMatch(/<(script|img|iframe|link)\b[^>]*\b(src|href)=/i);
    expect(shipped).not.toMatch(/@import|url\(\s*["']?https?:/i);
    expect(await buildView(name)).toBe(shipped);
  });
}

test("the browser code type-checks against the DOM (views and the test host)", () => {
  const tsc = join(root, "node_modules/.bin/tsc");
  for (const project of ["src/ui", "tests/ui/host"]) {
    const run = Bun.spawnSync([tsc, "--noEmit", "-p", project], { cwd: root });
    expect(`${project}: ${run.stdout}${run.stderr}`.trim()).toBe(`${project}:`);
  }
});
