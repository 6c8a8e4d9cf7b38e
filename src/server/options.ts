// What one MCP server is made of: its name, its tools and who may use them, the Proxmox client
// with what hangs on it (raw API access, consoles), and the safety settings. One value, built
// at start (run.ts) and shared by every session an HTTP server opens.

import type { ConsoleRegistry } from "../pve/console/registry.ts";
import type { PveClient } from "../pve/index.ts";
import type { RawApi } from "../tools/api-access.ts";
import type { AuditLog } from "./audit.ts";
import type { ToolPolicy } from "./policy.ts";
import type { ToolSource } from "./tool-source.ts";

export interface ServerOptions {
  name: string;
  version: string;
  tools: ToolSource;
  /** The client; it sends nothing before the first tool call. */
  pve: () => PveClient;
  taskWaitMs: number;
  /** How long a task wait retries while Proxmox does not answer (ms; default 30 s). */
  taskReconnectMs?: number;
  instructions?: string;
  /** Which tools to expose; default: every tool, no lazy mode. */
  policy?: ToolPolicy;
  /** Ask before destructive calls (elicitation, else a single-use code). */
  confirm?: boolean;
  /** Tool-call lines; the client's own hook (the same log) writes each request's intent. */
  audit?: AuditLog;
  /** For the audit log: stdio, streamable, sse… */
  transport?: string;
  /** How often a subscribed resource is polled for changes (ms; default 5000). */
  resourcePollMs?: number;
  /** The raw API tools' access (settings and schema); without it they refuse every call. */
  api?: RawApi;
  /** The open consoles, shared by every session of this server. */
  consoles: ConsoleRegistry;
}
