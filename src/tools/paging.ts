// Every listing answers a page: `limit` rows from `cursor`, with the total and the cursor of the
// next page. Without a limit the page also stops before its rows pass 8 KB, so a model reads a
// bounded answer however large the cluster is; it asks for more with next_cursor.

import { z } from "zod";
import { ToolError } from "./errors.ts";

/** What the rows of a default page may weigh as JSON (the text is smaller still). */
export const PAGE_BYTES = 7_000;

export function pageArgs(defaultLimit: number, max = 1000) {
  return {
    limit: z
      .number()
      .int()
      .min(1)
      .max(max)
      .optional()
      .describe(`Page size (default ${defaultLimit}, fewer if the page would pass 8 KB)`),
    cursor: z.string().max(20).optional().describe("next_cursor of the previous page"),
  };
}

export const pageFields = {
  total: z.number().describe("matches before paging"),
  next_cursor: z.string().optional().describe("pass as cursor for the next page"),
};

export interface Page<T> {
  rows: T[];
  total: number;
  next_cursor?: string;
}

export function page<T>(
  rows: readonly T[],
  args: { limit?: number; cursor?: string },
  defaultLimit: number,
): Page<T> {
  const offset = args.cursor === undefined ? 0 : Number(args.cursor);
  if (!Number.isInteger(offset) || offset < 0) {
    throw new ToolError(
      `cursor "${args.cursor}" is not one this tool gave`,
      "Pass the next_cursor of the previous page, or no cursor for the first page.",
    );
  }
  const wanted = rows.slice(offset, offset + (args.limit ?? defaultLimit));
  const shown = args.limit === undefined ? withinBytes(wanted) : wanted;
  const end = offset + shown.length;
  return {
    rows: shown,
    total: rows.length,
    next_cursor: end < rows.length ? String(end) : undefined,
  };
}

/** The leading rows whose JSON stays within PAGE_BYTES (at least one). */
function withinBytes<T>(rows: T[]): T[] {
  let size = 0;
  for (let i = 0; i < rows.length; i++) {
    size += JSON.stringify(rows[i]).length + 1;
    if (size > PAGE_BYTES && i > 0) return rows.slice(0, i);
  }
  return rows;
}

/** The last lines of a log whose text stays within a page (at least one): the newest matter. */
export function lastWithin<T>(lines: T[], text: (line: T) => string): T[] {
  let size = 0;
  for (let i = lines.length - 1; i >= 0; i--) {
    size += text(lines[i] as T).length + 12;
    if (size > PAGE_BYTES && i < lines.length - 1) return lines.slice(i + 1);
  }
  return lines;
}
