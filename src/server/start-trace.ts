// PROXMOX_MCP_TRACE_START=1: where start-up time goes. Each mark prints performance.now() (ms
// since the process started) to stderr. Off, a mark costs one boolean test; main.ts imports this
// module first, so its own evaluation is the earliest mark.

import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";

export const tracingStart = process.env.PROXMOX_MCP_TRACE_START === "1";

export function startMark(what: string): void {
  if (tracingStart) process.stderr.write(`[start] ${performance.now().toFixed(2)} ms ${what}\n`);
}

startMark("first module evaluated");

/** Marks when the first initialize and tools/list answers have been written. */
export function traceFirstAnswers(transport: { send(message: JSONRPCMessage): Promise<void> }) {
  const send = transport.send.bind(transport);
  const pending = new Set(["protocolVersion", "tools"]);
  transport.send = async (message: JSONRPCMessage) => {
    await send(message);
    const result = (message as { result?: Record<string, unknown> }).result ?? {};
    for (const key of pending) {
      if (!(key in result)) continue;
      pending.delete(key);
      startMark(key === "tools" ? "first tools/list answered" : "initialize answered");
    }
  };
}
