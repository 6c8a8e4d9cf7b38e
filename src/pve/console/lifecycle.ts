// Closing consoles from the server without loading the console engine at start: this file
// imports nothing. The engine registers its closers when it loads (first console tool call);
// until then there is nothing to close and these calls do nothing.

interface Closers {
  owned(owner: object, reason?: string): number;
  all(reason?: string): number;
}

let closers: Closers | undefined;

/** Called once by the console registry when it loads. */
export function registerConsoleClosers(c: Closers): void {
  closers = c;
}

/** An MCP session ended: close the consoles it opened (owner = its ToolContext.session). */
export function closeConsolesOfSession(owner: object): number {
  return closers?.owned(owner) ?? 0;
}

/** The server is shutting down: close every console. */
export function closeConsolesOnShutdown(): number {
  return closers?.all() ?? 0;
}
