import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import { buildServer } from "./build.ts";
import { log } from "./log.ts";
import type { ServerOptions } from "./options.ts";
import { startMark, traceFirstAnswers, tracingStart } from "./start-trace.ts";
import { boundedLines } from "./stdio-lines.ts";

/** Serves one MCP client over stdin/stdout until it closes the pipe. */
export async function serveStdio(options: ServerOptions, maxLineBytes: number): Promise<void> {
  const server = buildServer(options);
  let transport: StdioServerTransport | undefined;
  const input = process.stdin.pipe(
    boundedLines(maxLineBytes, (bytes) => {
      const message = `Request too large: a line of ${bytes} bytes was dropped (limit ${maxLineBytes})`;
      const answer = { jsonrpc: "2.0", id: null, error: { code: -32600, message } };
      transport?.send(answer as unknown as JSONRPCMessage).catch(() => {});
    }),
  );
  transport = new StdioServerTransport(input, process.stdout);
  answerUnreadableLines(transport);
  if (tracingStart) traceFirstAnswers(transport);
  const closed = new Promise<void>((resolve) => {
    transport.onclose = resolve;
    input.once("end", resolve);
  });
  await server.connect(transport);
  startMark("stdio connected");
  log.debug("serving MCP over stdio");
  if (process.stdin.isTTY) {
    // Someone ran it by hand: say what it is waiting for.
    log.info(
      "MCP server on stdio: it speaks JSON-RPC to an MCP client (see the README for Claude, VS Code, Cursor…). `proxmox-mcp tools` lists the tools; Ctrl-D stops it.",
    );
  }
  await closed;
  await server.close().catch(() => {});
}

/**
 * The SDK drops a line that is not JSON (or not JSON-RPC) in silence; JSON-RPC prescribes an
 * error with id null (-32700 parse error, -32600 invalid request), so a client does not wait.
 */
function answerUnreadableLines(transport: StdioServerTransport): void {
  transport.onerror = (error) => {
    const code =
      error instanceof SyntaxError ? -32700 : error.name === "ZodError" ? -32600 : undefined;
    if (code === undefined) return;
    const message =
      code === -32700
        ? "Parse error: a line is not valid JSON"
        : "Invalid Request: a line is not a JSON-RPC 2.0 message (batches are not supported)";
    const answer = { jsonrpc: "2.0", id: null, error: { code, message } };
    transport.send(answer as unknown as JSONRPCMessage).catch(() => {});
  };
}
