// What the test host page is told, as JSON in its URL's hash (shared with the Bun side).

export interface HostParams {
  /** The MCP endpoint, e.g. http://127.0.0.1:PORT/mcp */
  server: string;
  token: string;
  /** The tool whose view is shown, and its arguments. */
  tool: string;
  args: Record<string, unknown>;
  theme: "light" | "dark";
  /** The host can ask the person (MCP elicitation); default true. */
  elicitation?: boolean;
  /** Fixed iframe height (px); otherwise the view's own, up to maxHeight. */
  height?: number;
  maxHeight?: number;
}
