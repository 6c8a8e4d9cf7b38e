// The baseline of the start-up benchmark: a one-tool server on the same SDK, compiled the same
// way as proxmox-mcp. Our start-up budget is within 10% of this. With PROXMOX_MCP_TRACE_START=1
// it prints the same start-up marks as proxmox-mcp (see scripts/bench/trace.ts).

import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";
import { startMark, traceFirstAnswers, tracingStart } from "../../src/server/start-trace.ts";

const server = new McpServer({ name: "bare", version: "1.0.0" });
server.registerTool(
  "echo",
  { description: "Echo a text", inputSchema: { text: z.string() } },
  async ({ text }) => ({ content: [{ type: "text", text }] }),
);
const transport = new StdioServerTransport();
if (tracingStart) traceFirstAnswers(transport);
await server.connect(transport);
startMark("stdio connected");
