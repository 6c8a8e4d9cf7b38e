// Who hears about the Proxmox traffic of the call being served: the MCP server handles each
// client request inside withCallLog(sink, …), and the client and the task waits report to
// callLog(). So a session's log pane shows its own requests and task lines, never another's;
// outside any call (the health probe) nobody is told.

import { AsyncLocalStorage } from "node:async_hooks";

export type CallLogLevel = "debug" | "info" | "warning";

export interface CallLog {
  /** One API request: method, path (never the query or body: they may hold secrets), status, time. */
  request(method: string, path: string, status: number, ms: number): void;
  /** Something worth telling: task log lines (info), a lost connection or a renewed ticket (warning). */
  line(level: CallLogLevel, message: string): void;
}

const current = new AsyncLocalStorage<CallLog>();

export const withCallLog = <T>(sink: CallLog, run: () => T): T => current.run(sink, run);

export const callLog = (): CallLog | undefined => current.getStore();
