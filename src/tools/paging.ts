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

/** "…; 50 of 1,204 shown, next_cursor 50": the line a paged text ends with. */
export function pageNote(p: Page<unknown>): string | undefined {
  if (p.next_cursor === undefined) return undefined;
  return `${p.rows.length} of ${p.total} shown; pass cursor "${p.next_cursor}" for more`;
}
