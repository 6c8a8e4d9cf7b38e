// Logging to the MCP client (notifications/message), at the level it sets with logging/setLevel
// (warning until it sets one: task lines are for clients that ask): each Proxmox request of its
// calls at debug (method, path, status, time), task log lines at info while a tool waits,
// warnings (an offline node, a renewed ticket, a slow task, a lost connection) at warning. Each
// line rides the stream of the request that caused it, and passes redact(): no secret leaves.

import type { Server } from "@modelcontextprotocol/sdk/server/index.js";
import type { RequestId } from "@modelcontextprotocol/sdk/types.js";
import {
  type LoggingLevel,
  LoggingLevelSchema,
  SetLevelRequestSchema,
} from "@modelcontextprotocol/sdk/types.js";
import type { CallLog } from "../pve/index.ts";
import { redact } from "./log.ts";

const SEVERITY = new Map(LoggingLevelSchema.options.map((level, rank) => [level, rank]));
const rank = (level: LoggingLevel): number => SEVERITY.get(level) ?? 0;

export class McpLogging {
  #threshold: LoggingLevel = "warning";

  constructor(private readonly server: Server) {
    // Ours rather than the SDK's: it knows the level a client that never sets one gets.
    server.setRequestHandler(SetLevelRequestSchema, async (request) => {
      this.#threshold = request.params.level;
      return {};
    });
  }

  wants(level: LoggingLevel): boolean {
    return rank(level) >= rank(this.#threshold);
  }

  /** Sends one line; on the stream of `relatedRequestId` while that request is open. */
  send(level: LoggingLevel, message: string, logger = "proxmox", relatedRequestId?: RequestId) {
    if (!this.wants(level) || !this.server.transport) return;
    const notification = {
      method: "notifications/message" as const,
      params: { level, logger, data: redact(message) },
    };
    this.server
      .notification(notification, { relatedRequestId })
      // Answered already (a tool run as an MCP task): the session's own stream carries it.
      .catch(() =>
        relatedRequestId === undefined ? undefined : this.server.notification(notification),
      )
      .catch(() => {});
  }

  /** Where the Proxmox traffic of one client request is told (see pve/call-log.ts). */
  sinkFor(requestId: RequestId): CallLog {
    return {
      request: (method, path, status, ms) => {
        if (!this.wants("debug")) return;
        this.send(
          "debug",
          `${method} ${path} → ${status} (${ms.toFixed(1)} ms)`,
          "proxmox.api",
          requestId,
        );
      },
      line: (level, message) => this.send(level, message, "proxmox", requestId),
    };
  }
}
