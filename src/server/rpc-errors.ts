// JSON-RPC errors from one place: the codes MCP uses, an error that carries its code (sent as it
// is, without the "MCP error -32602:" prefix the SDK's McpError puts into its message, which the
// client's SDK adds again), and the one-line message of a request whose params do not fit.

import type { z } from "zod";

export const RPC = {
  parseError: -32700,
  invalidRequest: -32600,
  methodNotFound: -32601,
  invalidParams: -32602,
  internalError: -32603,
  /** The SDK transports' generic server error (HTTP refusals). */
  serverError: -32000,
  sessionNotFound: -32001,
  /** MCP: resources/read (or subscribe) of a URI that names nothing. */
  resourceNotFound: -32002,
} as const;

export class RpcError extends Error {
  override name = "RpcError";
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
  }
}

export const invalidParams = (message: string): RpcError =>
  new RpcError(RPC.invalidParams, message);

export const resourceNotFound = (uri: string, why?: string): RpcError =>
  new RpcError(RPC.resourceNotFound, `Resource not found: ${uri}${why ? ` (${why})` : ""}`, {
    uri,
  });

/** "MCP error -32602: unknown prompt" → "unknown prompt": the code has its own field. */
export const plainMessage = (message: string): string =>
  message.replace(/^(?:MCP error -?\d+: )+/, "");

type Issue = z.core.$ZodIssue;

/**
 * `Invalid params for logging/setLevel: level must be one of debug, info, …`: the first problem
 * only, on one line, naming the parameter by its path inside params.
 */
export function paramsMessage(method: string, issues: readonly Issue[]): string {
  const first = issues[0];
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : "";
  return `Invalid params for ${method}: ${first ? describe(first, []) : "not accepted"}${more}`;
}

function describe(issue: Issue, prefix: PropertyKey[]): string {
  const path = [...prefix, ...issue.path];
  const where = path[0] === "params" ? path.slice(1) : path;
  const name = where.length > 0 ? where.map(String).join(".") : "params";
  switch (issue.code) {
    case "invalid_value":
      return `${name} must be one of ${issue.values.map(String).join(", ")}`;
    case "invalid_union":
      return union(issue, path) ?? `${name} has none of the accepted shapes`;
    case "unrecognized_keys":
      return `${name}: unknown ${issue.keys.join(", ")}`;
    default:
      return `${name}: ${issue.message.replace(/^Invalid input: /, "")}`;
  }
}

/** A union whose branches all fail on one literal (ref.type…) says which values it takes. */
function union(issue: z.core.$ZodIssueInvalidUnion, prefix: PropertyKey[]): string | undefined {
  const firsts = issue.errors.map((branch) => branch[0]).filter((i) => i !== undefined);
  const literal = firsts.every(
    (i) => i.code === "invalid_value" && i.path.join(".") === firsts[0]?.path.join("."),
  );
  if (firsts.length > 1 && literal) {
    const values = firsts.flatMap((i) => (i.code === "invalid_value" ? i.values : []));
    const first = firsts[0] as Issue;
    return describe({ ...first, values } as Issue, prefix);
  }
  const closest = [...issue.errors].sort((a, b) => a.length - b.length)[0]?.[0];
  return closest ? describe(closest, prefix) : undefined;
}
