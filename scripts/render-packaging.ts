// Renders the packaging of one release from its SHA256SUMS: the Homebrew formula and the Scoop
// manifest (from the templates under packaging/) and the MCP Registry server.json.
//   bun scripts/render-packaging.ts [--sums dist/SHA256SUMS] [--out dist/packaging]
// The version is package.json's; the repository is package.json's or PROXMOX_MCP_REPO.

import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { loadRelease, type Release } from "./release.ts";
import { serverJson } from "./render/server-json.ts";
import { escapeFor, renderTemplate } from "./render/template.ts";

const root = join(import.meta.dir, "..");

const TEMPLATES = {
  "proxmox-mcp.rb": "packaging/homebrew/proxmox-mcp.rb.tmpl",
  "proxmox-mcp.json": "packaging/scoop/proxmox-mcp.json.tmpl",
} as const;

/** file name → content of every packaging file of `release`. */
export function renderPackaging(release: Release): Record<string, string> {
  const files: Record<string, string> = {};
  for (const [name, template] of Object.entries(TEMPLATES)) {
    const text = readFileSync(join(root, template), "utf8");
    files[name] = renderTemplate(text, release, escapeFor(template));
  }
  JSON.parse(files["proxmox-mcp.json"] ?? ""); // a template edit must not ship broken JSON
  files["server.json"] = `${JSON.stringify(serverJson(release), null, 2)}\n`;
  return files;
}

function option(argv: string[], name: string, fallback: string): string {
  const i = argv.indexOf(name);
  return resolve(root, i >= 0 ? (argv[i + 1] ?? fallback) : fallback);
}

if (import.meta.main) {
  const argv = process.argv.slice(2);
  const out = option(argv, "--out", "dist/packaging");
  try {
    const files = renderPackaging(loadRelease(option(argv, "--sums", "dist/SHA256SUMS")));
    mkdirSync(out, { recursive: true });
    for (const [name, text] of Object.entries(files)) writeFileSync(join(out, name), text);
    console.error(`rendered ${Object.keys(files).join(", ")} into ${out}`);
  } catch (error) {
    console.error(`render failed: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  }
}
