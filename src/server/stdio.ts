import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { buildServer, type ServerOptions } from "./build.ts";
import { log } from "./log.ts";

/** Serves one MCP client over stdin/stdout until it closes the pipe. */
export async function serveStdio(options: ServerOptions): Promise<void> {
  const server = buildServer(options);
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    transport.onclose = resolve;
    process.stdin.once("end", resolve);
  });
  await server.connect(transport);
  log.debug("serving MCP over stdio");
  await closed;
  await server.close().catch(() => {});
}
