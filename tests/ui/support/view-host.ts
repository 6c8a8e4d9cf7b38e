// The browser harness of the MCP Apps views: the simulated cluster, our HTTP server on it
// (Streamable HTTP, confirmation on), the test host page (tests/ui/host) served on another
// loopback port, and Debian's chromium driven by playwright-core. Used by the browser tests,
// `bun run screenshots` and the bench's time-to-first-render.

import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, chromium, type Frame, type Page } from "playwright-core";
import type { MockOptions, MockServer } from "../../../src/mock/index.ts";
import type { HttpServer } from "../../../src/server/http.ts";
import { startFixture, TOKEN } from "../../http/support.ts";
import type { HostParams } from "../host/params.ts";

export const CHROMIUM = process.env.PROXMOX_MCP_CHROMIUM ?? "/usr/bin/chromium";

/** The flags that keep chromium from reaching for the network or a profile of its own. */
const FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/**
 * Why the browser tests cannot run here, or undefined when they can. Outside CI a developer
 * without chromium gets a printed reason and a skip; in CI (CI=true) the tests fail instead.
 */
export function browserMissing(): string | undefined {
  if (existsSync(CHROMIUM)) return undefined;
  return `${CHROMIUM} not found: install Debian's chromium (apt-get install chromium) or set PROXMOX_MCP_CHROMIUM`;
}

let hostScript: Promise<string> | undefined;

/** The host page's script, bundled for the browser once per process. */
function buildHostScript(): Promise<string> {
  hostScript ??= Bun.build({
    entrypoints: [join(import.meta.dir, "../host/host-page.ts")],
    target: "browser",
    format: "esm",
    minify: true,
    define: { "process.env.NODE_ENV": '"production"' },
  }).then(async (result) => {
    const [output] = result.outputs;
    if (!result.success || !output) throw new Error(result.logs.map(String).join("\n"));
    return output.text();
  });
  return hostScript;
}

const HOST_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>proxmox-mcp test host</title>
<link rel="icon" href="data:,">
<style>
  :root { color-scheme: light dark; font-family: system-ui, sans-serif; }
  body { margin: 0; padding: 16px; background: light-dark(#eef0f3, #0d0e11); }
  iframe { display: block; width: 100%; border: 0; border-radius: 12px; background: transparent; }
  dialog { max-width: 560px; white-space: pre-line; }
</style></head>
<body>
<div id="stage"></div>
<dialog id="confirm"><form method="dialog">
  <p class="question"></p>
  <button value="decline">Decline</button> <button value="allow">Allow</button>
</form></dialog>
<script type="module" src="/host.js"></script>
</body></html>`;

export interface ViewHostOptions {
  mock?: MockOptions;
  /** Ask before destructive calls (default true, as the shipped server does). */
  confirm?: boolean;
}

export interface OpenOptions {
  tool: string;
  args?: Record<string, unknown>;
  theme?: "light" | "dark";
  width?: number;
  height?: number;
  /** A fixed height for the view instead of its own. */
  fixedHeight?: number;
  /** The host can ask the person (default true). */
  elicitation?: boolean;
}

export interface OpenedView {
  page: Page;
  /** The view's own frame (inside the sandboxed iframe). */
  view: Frame;
  /** Console errors and uncaught exceptions of the host page and the view, so far. */
  errors: string[];
}

export interface ViewHost {
  mock: MockServer;
  server: HttpServer;
  open(options: OpenOptions): Promise<OpenedView>;
  close(): Promise<void>;
}

export async function startViewHost(options: ViewHostOptions = {}): Promise<ViewHost> {
  const missing = browserMissing();
  if (missing) throw new Error(missing);
  // Our HTTP server on a fresh simulated cluster, as the HTTP tests have it, confirmation on.
  const fixture = await startFixture({}, options.mock, { confirm: options.confirm ?? true });
  const { mock, server } = fixture;
  const script = await buildHostScript();
  const site = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch: (req) => {
      const path = new URL(req.url).pathname;
      if (path === "/host.js") {
        return new Response(script, { headers: { "Content-Type": "text/javascript" } });
      }
      if (path === "/")
        return new Response(HOST_HTML, { headers: { "Content-Type": "text/html" } });
      return new Response("not found", { status: 404 });
    },
  });
  const profile = mkdtempSync(join(tmpdir(), "proxmox-mcp-chromium-"));
  let browser: BrowserContext | undefined;
  const context = async () => {
    browser ??= await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: FLAGS,
    });
    return browser;
  };

  return {
    mock,
    server,
    async open(o) {
      const page = await (await context()).newPage();
      const errors: string[] = [];
      page.on("console", (m) => {
        if (m.type() === "error") errors.push(m.text());
      });
      page.on("pageerror", (e) => errors.push(e.message));
      await page.setViewportSize({ width: o.width ?? 1200, height: o.height ?? 900 });
      await page.emulateMedia({ colorScheme: o.theme ?? "light" });
      const params: HostParams = {
        server: `${server.origin}/mcp`,
        token: TOKEN,
        tool: o.tool,
        args: o.args ?? {},
        theme: o.theme ?? "light",
        height: o.fixedHeight,
        elicitation: o.elicitation,
      };
      await page.goto(
        `http://127.0.0.1:${site.port}/#${encodeURIComponent(JSON.stringify(params))}`,
      );
      await page.waitForFunction(() => {
        const host = (globalThis as unknown as { host?: { ready: boolean; error: string } }).host;
        return host?.ready || host?.error;
      });
      const failure = await page.evaluate(
        () => (globalThis as unknown as { host: { error: string } }).host.error,
      );
      if (failure) throw new Error(`the test host failed: ${failure}`);
      const view = page.frames().find((f) => f !== page.mainFrame());
      if (!view) throw new Error("the view's frame is missing");
      return { page, view, errors };
    },
    async close() {
      await browser?.close();
      rmSync(profile, { recursive: true, force: true });
      site.stop(true);
      await fixture.close();
    },
  };
}
