// Builds each MCP Apps view from TypeScript into one self-contained HTML file: the script and
// the style sheet inline, minified, nothing to fetch from anywhere. `bun run docs` writes them
// to src/ui/generated/ (embedded in the binary from there) and its --check says when one is stale.

import { readFileSync } from "node:fs";
import { join } from "node:path";

export const VIEWS = {
  cluster: "Proxmox VE cluster",
  guest: "Proxmox VE guest",
} as const;

export type ViewName = keyof typeof VIEWS;

/**
 * The view's own policy, whatever the host's: inline code and style only, images from data:
 * URLs, and no network at all (it talks to the host by postMessage, which no CSP limits).
 */
const CSP =
  "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; connect-src 'none'; base-uri 'none'; form-action 'none'";

/** The largest a view may be: it travels in a resources/read to every host that shows it. */
export const MAX_VIEW_BYTES = 300 * 1024;

const dir = import.meta.dir;

async function bundle(options: Parameters<typeof Bun.build>[0]): Promise<string> {
  const result = await Bun.build({ minify: true, sourcemap: "none", ...options });
  const [output] = result.outputs;
  if (!result.success || !output) {
    throw new Error(`view build failed:\n${result.logs.map(String).join("\n")}`);
  }
  return output.text();
}

/**
 * The style sheet without comments and spare white space. Not Bun's CSS bundler: it lowers
 * light-dark() into variables set from the system's colour scheme, and the views must follow
 * the host's theme (color-scheme on the root) instead.
 */
function styles(): string {
  return readFileSync(join(dir, "views/shared/styles.css"), "utf8")
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/\s+/g, " ")
    .replace(/\s*([{};,>])\s*/g, "$1")
    .replace(/;}/g, "}")
    .trim();
}

export async function buildView(name: ViewName): Promise<string> {
  // ESM: the iife output leaves a `__require` from ext-apps' own bundle undefined in a browser.
  const script = await bundle({
    entrypoints: [join(dir, "views", name, "main.ts")],
    target: "browser",
    format: "esm",
    define: { "process.env.NODE_ENV": '"production"' },
  });
  const style = styles();
  // Inline, a closing tag inside the code would end the element early.
  const safe = (text: string, tag: string) =>
    text.replace(new RegExp(`</(${tag})`, "gi"), "<\\/$1").trim();
  const html = [
    "<!doctype html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${CSP}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${VIEWS[name]}</title>`,
    `<style>${safe(style, "style")}</style>`,
    "</head>",
    "<body>",
    `<script type="module">${safe(script, "script")}</script>`,
    "</body>",
    "</html>",
    "",
  ].join("\n");
  const size = Buffer.byteLength(html);
  if (size > MAX_VIEW_BYTES) {
    throw new Error(`the ${name} view is ${size} bytes, over the ${MAX_VIEW_BYTES} allowed`);
  }
  return html;
}
