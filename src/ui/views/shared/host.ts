// The view's side of MCP Apps: connect to the host (ext-apps' App over postMessage), follow its
// theme, style variables, fonts and container size, and call server tools through it the same
// way the model does, so every call passes the server's scope guard and confirmation.

import {
  App,
  applyDocumentTheme,
  applyHostFonts,
  applyHostStyleVariables,
  type McpUiAppCapabilities,
  type McpUiHostContext,
} from "@modelcontextprotocol/ext-apps";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { useLocale } from "./format.ts";

export type { App };

/** A tool answered with isError (the server's words), or the host refused the call. */
export class ToolFailure extends Error {
  override name = "ToolFailure";
}

function applyContext(ctx: McpUiHostContext): void {
  if (ctx.theme) applyDocumentTheme(ctx.theme);
  if (ctx.styles?.variables) applyHostStyleVariables(ctx.styles.variables);
  if (ctx.styles?.css?.fonts) applyHostFonts(ctx.styles.css.fonts);
  if (ctx.locale || ctx.timeZone) useLocale(ctx.locale, ctx.timeZone);
  const size = ctx.containerDimensions as
    | { height?: number; maxHeight?: number; width?: number; maxWidth?: number }
    | undefined;
  const root = document.documentElement;
  if (size) {
    // A fixed height is filled (and scrolled inside); a maximum caps the view's own height.
    root.classList.toggle("fixed-height", size.height !== undefined);
    root.style.maxHeight = size.maxHeight ? `${size.maxHeight}px` : "";
    root.style.maxWidth = size.maxWidth ? `${size.maxWidth}px` : "";
  }
  const insets = ctx.safeAreaInsets;
  if (insets) {
    document.body.style.padding = `${insets.top}px ${insets.right}px ${insets.bottom}px ${insets.left}px`;
  }
}

/** Registers the handlers set before connecting (the host may send at once), then connects. */
export async function connect(
  name: string,
  before: (app: App) => void,
  capabilities: McpUiAppCapabilities = {},
): Promise<App> {
  const app = new App({ name, version: "1.0.0" }, capabilities, { autoResize: true });
  app.onhostcontextchanged = (ctx) => applyContext(ctx);
  app.onerror = (error) => console.warn(`[${name}]`, error);
  before(app);
  await app.connect();
  const ctx = app.getHostContext();
  if (ctx) applyContext(ctx);
  return app;
}

export function resultText(result: CallToolResult): string {
  return result.content
    .map((c) => (c.type === "text" ? c.text : ""))
    .filter(Boolean)
    .join("\n");
}

/** Reads data from an app-only tool: its structuredContent, or a ToolFailure with its text. */
export async function read<T>(app: App, name: string, args: Record<string, unknown> = {}) {
  const result = (await app.callServerTool({ name, arguments: args })) as CallToolResult;
  if (result.isError) throw new ToolFailure(resultText(result) || `${name} failed`);
  return result.structuredContent as T;
}

/** A person may take minutes to answer the host's confirmation question. */
export const ACTION_TIMEOUT_MS = 15 * 60 * 1000;
