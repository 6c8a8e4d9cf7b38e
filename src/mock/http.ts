// The wire format of pve-api-daemon: envelope, headers, reason phrases.
import type { PveError } from "./errors.ts";

export interface MockResponse {
  status: number;
  reason: string;
  headers: Record<string, string>;
  body: string;
  /** Cut the connection instead of answering (fault injection). */
  drop?: boolean;
}

const BASE_HEADERS: Record<string, string> = {
  Server: "pve-api-daemon/3.0",
  "Cache-Control": "max-age=0",
  Pragma: "no-cache",
};
const JSON_TYPE = "application/json;charset=UTF-8";

/** Paged lists carry a top-level `total` beside `data`. */
export class Paged {
  constructor(
    readonly data: unknown[],
    readonly total: number,
  ) {}
}

export function okResponse(result: unknown): MockResponse {
  const body =
    result instanceof Paged
      ? { data: result.data, total: result.total }
      : { data: result === undefined ? null : result };
  return {
    status: 200,
    reason: "OK",
    headers: { ...BASE_HEADERS, "Content-Type": JSON_TYPE },
    body: JSON.stringify(body),
  };
}

/**
 * Reason phrases are one line; PVE strips the trailing newline of the error text. A status line
 * carries Latin-1 text only: other characters (an echoed unicode or control character) become "?".
 */
function reasonOf(message: string): string {
  return (message.split("\n")[0] ?? "").replace(/[^\t\x20-\x7e\xa0-\xff]/g, "?");
}

export function errorResponse(err: PveError): MockResponse {
  // PVE closes the connection after every error status.
  const headers = { ...BASE_HEADERS, Connection: "close" };
  if (err.emptyBody)
    return { status: err.status, reason: reasonOf(err.message), headers, body: "" };
  const text = err.message.endsWith("\n") ? err.message : `${err.message}\n`;
  const body: Record<string, unknown> = { data: null, message: text };
  if (err.errors) body.errors = err.errors;
  return {
    status: err.status,
    reason: reasonOf(err.message),
    headers: { ...headers, "Content-Type": JSON_TYPE },
    body: JSON.stringify(body),
  };
}

/** Errors of the HTTP layer itself (not of a handler) have a plain-text body. */
export function plainError(status: number, message: string, withBody = true): MockResponse {
  return {
    status,
    reason: reasonOf(message),
    headers: { ...BASE_HEADERS, Connection: "close", "Content-Type": "text/plain;charset=UTF-8" },
    body: withBody ? message : "",
  };
}
