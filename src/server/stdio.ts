// One MCP client over stdin/stdout until it closes stdin. Requests still being answered when
// stdin ends (a script that writes its requests and closes the pipe) are answered first, within
// the task wait and a margin, then the server closes.

import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import { buildServer } from "./build.ts";
import { lineWithoutNullParams } from "./jsonrpc-in.ts";
import { log } from "./log.ts";
import type { ServerOptions } from "./options.ts";
import { RPC } from "./rpc-errors.ts";
import { startMark, traceFirstAnswers, tracingStart } from "./start-trace.ts";
import { boundedLines } from "./stdio-lines.ts";
import { TrackedTransport } from "./tracked-transport.ts";
import { within } from "./within.ts";

/** Beyond the task wait, how long answers in flight at end of input may take. */
const EOF_MARGIN_MS = 15_000;

export async function serveStdio(options: ServerOptions, maxLineBytes: number): Promise<void> {
  const server = buildServer(options);
  let transport: StdioServerTransport | undefined;
  const input = process.stdin.pipe(
    boundedLines(
      maxLineBytes,
      (bytes) => {
        const message = `Request too large: a line of ${bytes} bytes was dropped (limit ${maxLineBytes})`;
        const answer = { jsonrpc: "2.0", id: null, error: { code: RPC.invalidRequest, message } };
        transport?.send(answer as unknown as JSONRPCMessage).catch(() => {});
      },
      lineWithoutNullParams,
    ),
  );
  transport = new StdioServerTransport(input, process.stdout);
  if (tracingStart) traceFirstAnswers(transport);
  const tracked = new TrackedTransport(transport);
  tracked.onerror = answerUnreadableLines(transport);
  const ended = new Promise<"end" | "closed">((resolve) => {
    tracked.onclose = () => resolve("closed");
    input.once("end", () => resolve("end"));
  });
  await server.connect(tracked);
  startMark("stdio connected");
  log.debug("serving MCP over stdio");
  if (process.stdin.isTTY) {
    // Someone ran it by hand: say what it is waiting for.
    log.info(
      "MCP server on stdio: it speaks JSON-RPC to an MCP client (see the README for Claude, VS Code, Cursor…). `proxmox-mcp tools` lists the tools; Ctrl-D stops it.",
    );
  }
  if ((await ended) === "end" && tracked.inflight > 0) {
    log.debug(`end of input: answering ${tracked.inflight} request(s) still in flight`);
    await within(tracked.settled(), options.taskWaitMs + EOF_MARGIN_MS);
  }
  await server.close().catch(() => {});
}

/**
 * The SDK drops a line that is not JSON (or not JSON-RPC) in silence; JSON-RPC prescribes an
 * error with id null (-32700 parse error, -32600 invalid request), so a client does not wait.
 */
function answerUnreadableLines(transport: StdioServerTransport): (error: Error) => void {
  return (error) => {
    const code =
      error instanceof SyntaxError
        ? RPC.parseError
        : error.name === "ZodError"
          ? RPC.invalidRequest
          : undefined;
    if (code === undefined) return;
    const message =
      code === RPC.parseError
        ? "Parse error: a line is not valid JSON"
        : "Invalid Request: a line is not a JSON-RPC 2.0 message (batches are not supported)";
    const answer = { jsonrpc: "2.0", id: null, error: { code, message } };
    transport.send(answer as unknown as JSONRPCMessage).catch(() => {});
  };
}
