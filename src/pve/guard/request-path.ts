// A request path as PVE will route it: decoded segments, and any query written into the path.
// fetch resolves `.` and `..` segments (also `%2e%2e`) before sending, so a path holding one
// would reach another endpoint than the one judged: such paths are refused, scope or not.

import { PveConnectionError } from "../errors.ts";

export interface RequestPath {
  segments: string[];
  /** Parameters written into the path after `?` (tools never do; judged all the same). */
  query?: Record<string, string>;
}

export function splitRequestPath(method: string, path: string): RequestPath {
  const mark = path.indexOf("?");
  const pathname = mark >= 0 ? path.slice(0, mark) : path;
  const segments: string[] = [];
  for (const raw of pathname.split("/")) {
    if (raw === "") continue;
    let value = raw;
    if (raw.includes("%")) {
      try {
        value = decodeURIComponent(raw);
      } catch {
        throw refused(method, path, `bad percent-encoding in ${JSON.stringify(raw)}`);
      }
    }
    if (isDotSegment(value) || raw.includes("\\")) {
      throw refused(method, path, `the segment ${JSON.stringify(raw)} would leave the path`);
    }
    segments.push(value);
  }
  if (mark < 0) return { segments };
  const query = Object.fromEntries(new URLSearchParams(path.slice(mark + 1)));
  return { segments, query };
}

/** `.`, `..`, and encoded slashes hiding them (`..%2F..`). */
const isDotSegment = (value: string): boolean =>
  value === "." || value === ".." || /(?:^|\/)\.\.?(?:\/|$)/.test(value);

const refused = (method: string, path: string, why: string) =>
  new PveConnectionError(
    `${method} ${path}: ${why}; nothing was sent`,
    method,
    path,
    "Write API paths without . or .. segments.",
  );
