// The compact text rendering of a tool's structured result: scalars as `key: value` lines and
// lists of records as a tab-separated table (the columns any row uses), cheap in tokens.

type Row = Record<string, unknown>;

export function renderText(data: Record<string, unknown>): string {
  const lines: string[] = [];
  for (const [key, value] of Object.entries(data)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value) && value.every(isRecord)) {
      lines.push(`${key} (${value.length}):`);
      if (value.length > 0) lines.push(table(value as Row[]));
    } else {
      lines.push(`${key}: ${scalar(value)}`);
    }
  }
  return lines.join("\n");
}

function table(rows: Row[]): string {
  const columns: string[] = [];
  for (const row of rows) {
    for (const [k, v] of Object.entries(row)) {
      if (v !== undefined && v !== null && !columns.includes(k)) columns.push(k);
    }
  }
  const body = rows.map((row) => columns.map((c) => scalar(row[c])).join("\t"));
  return [columns.join("\t"), ...body].join("\n");
}

function scalar(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "number") return Number.isInteger(value) ? String(value) : value.toFixed(3);
  if (Array.isArray(value) && value.every((v) => typeof v !== "object")) return value.join(",");
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

const isRecord = (v: unknown): boolean => typeof v === "object" && v !== null && !Array.isArray(v);
