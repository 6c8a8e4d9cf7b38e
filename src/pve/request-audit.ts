// The client's audit hook: every mutating request is announced before it leaves (intent) and
// reported after (outcome), whatever sent it. The client knows no MCP: who asked (tool,
// session) is the hook's own business.

import type { Params } from "./transport.ts";

export interface AuditedRequest {
  method: string;
  path: string;
  params?: Params;
}

export type RequestOutcome =
  | { status: "ok"; data: unknown }
  | { status: "error"; message: string }
  /** Refused before sending (scope, read-only): there was no intent. */
  | { status: "refused"; message: string };

export interface RequestAudit {
  /** Called synchronously before a non-GET request is sent; returns an id for its outcome. */
  intent(request: AuditedRequest): number;
  outcome(id: number | undefined, request: AuditedRequest, outcome: RequestOutcome): void;
}
