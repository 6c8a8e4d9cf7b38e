// Every failure of a tool call becomes an isError result that says what failed, why, and what
// to try. Nothing here may echo a secret: PVE errors carry no credentials, and argument errors
// name the argument, never its value.

import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { z } from "zod";
import {
  GuestNotFoundError,
  InvalidSegmentError,
  PveConnectionError,
  PveError,
  ScopeError,
  TaskWaitLostError,
} from "../pve/index.ts";
import { ToolError } from "../tools/errors.ts";

export function errorResult(tool: string, error: unknown): CallToolResult {
  return { isError: true, content: [{ type: "text", text: explain(tool, error) }] };
}

export function argumentErrorResult(tool: string, issues: z.core.$ZodIssue[]): CallToolResult {
  const lines = issues.map(
    (i) => `- ${i.path.length > 0 ? i.path.join(".") : "(arguments)"}: ${i.message}`,
  );
  return {
    isError: true,
    content: [
      {
        type: "text",
        text: `Invalid arguments for ${tool}; nothing was sent to Proxmox.\n${lines.join("\n")}`,
      },
    ],
  };
}

function explain(tool: string, error: unknown): string {
  if (error instanceof ToolError) return withHint(error.message, error.hint);
  // The client's guard: outside the scope, refused before sending.
  if (error instanceof ScopeError) return withHint(`${tool}: ${error.message}`, error.hint);
  // Our own lookup, not an answer of Proxmox: say it plainly.
  if (error instanceof GuestNotFoundError) {
    return withHint(
      `${tool}: ${error.reason}`,
      "list_vms and list_containers show the guests there are.",
    );
  }
  if (error instanceof PveError) {
    return withHint(
      `${tool}: Proxmox answered ${error.method} ${error.path}: ${error.message}`,
      error.hint,
    );
  }
  if (error instanceof PveConnectionError) {
    return withHint(`${tool}: ${error.message} (${error.method} ${error.path})`, error.hint);
  }
  if (error instanceof TaskWaitLostError) return withHint(`${tool}: ${error.message}`, error.hint);
  if (error instanceof InvalidSegmentError) return `${tool}: ${error.message}; nothing was sent.`;
  const message = error instanceof Error ? error.message : String(error);
  return `${tool} failed unexpectedly: ${message}`;
}

const withHint = (message: string, hint?: string): string =>
  hint ? `${message}\nHint: ${hint}` : message;
