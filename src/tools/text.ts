// The text of an answer, rendered from its structured data and its output schema, so a client
// that shows the model the text and one that shows structuredContent give it the same facts:
// scalars as `key: value` lines, nested objects on one line, lists of records as a
// tab-separated table (the columns any row uses). Values are shown in the units the schema
// names (units.ts): bytes as GiB, percentages with %, seconds as 3d 4h.

import { z } from "zod";
import { formatUnit, type Unit } from "./units.ts";

interface Schema {
  properties?: Record<string, Schema>;
  items?: Schema;
  anyOf?: Schema[];
  unit?: Unit;
}

type Row = Record<string, unknown>;

const schemas = new WeakMap<z.ZodType, Schema>();

function jsonOf(output: z.ZodType | undefined): Schema {
  if (!output) return {};
  let json = schemas.get(output);
  if (!json) {
    json = z.toJSONSchema(output, { io: "input", unrepresentable: "any" }) as Schema;
    schemas.set(output, json);
  }
  return json;
}

/** The schema of a property, through optional and nullable wrappers. */
function child(schema: Schema | undefined, key: string): Schema | undefined {
  const direct = schema?.properties?.[key];
  if (direct) return direct;
  for (const alt of schema?.anyOf ?? []) {
    const found = alt.properties?.[key];
    if (found) return found;
  }
  return undefined;
}

const itemsOf = (schema: Schema | undefined): Schema | undefined =>
  schema?.items ?? schema?.anyOf?.find((s) => s.items)?.items;

export function renderText(data: Record<string, unknown>, output?: z.ZodType): string {
  const schema = jsonOf(output);
  const lines: string[] = [];
  for (const [key, value] of Object.entries(data)) {
    if (value === undefined || value === null) continue;
    const s = child(schema, key);
    if (Array.isArray(value) && value.length > 0 && value.every(isRecord)) {
      lines.push(`${key} (${value.length}):`, table(value as Row[], itemsOf(s)));
    } else if (isTableOfRecords(value)) {
      // { cpu: { min, max }, mem: { min, max } }: one row per key, its name first.
      const rows = Object.entries(value as Record<string, Row>).map(([k, v]) => ({ "": k, ...v }));
      const first = Object.values(s?.properties ?? {})[0];
      lines.push(`${key}:`, table(rows, { properties: { ...first?.properties } }, s));
    } else if (Array.isArray(value) && value.length === 0) {
      lines.push(`${key}: none`);
    } else {
      lines.push(`${key}: ${scalar(value, s)}`);
    }
  }
  return lines.join("\n");
}

/** A record of records: rendered as a table, one row per key. */
const isTableOfRecords = (v: unknown): boolean =>
  isRecord(v) && Object.keys(v as Row).length > 1 && Object.values(v as Row).every(isRecord);

/**
 * Rows as TSV; `byRow` gives each row's own schema by its "" (name) column when the rows of a
 * record of records differ in units (cpu_pct in %, mem in GiB).
 */
function table(rows: Row[], schema: Schema | undefined, byRow?: Schema): string {
  const columns: string[] = [];
  for (const row of rows) {
    for (const [k, v] of Object.entries(row)) {
      if (v !== undefined && v !== null && !columns.includes(k)) columns.push(k);
    }
  }
  const body = rows.map((row) => {
    const own = byRow ? (child(byRow, String(row[""])) ?? schema) : schema;
    return columns.map((c) => cell(scalar(row[c], child(own, c)))).join("\t");
  });
  return [columns.join("\t"), ...body].join("\n");
}

/** One table cell: no tab or line break may split the row. */
const cell = (text: string): string => text.replace(/[\t\r\n]+/g, " ");

function scalar(value: unknown, schema: Schema | undefined): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "number") {
    const unit = schema?.unit ?? schema?.anyOf?.find((s) => s.unit)?.unit;
    if (unit) return formatUnit(value, unit);
    return Number.isInteger(value) ? String(value) : String(Number(value.toFixed(3)));
  }
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v !== "object" || v === null)) return value.join(",");
    return JSON.stringify(value);
  }
  if (isRecord(value)) {
    if (Object.keys(value as Row).length === 0) return "none";
    return Object.entries(value as Row)
      .filter(([, v]) => v !== undefined && v !== null)
      .map(([k, v]) => `${k} ${scalar(v, child(schema, k))}`)
      .join(", ");
  }
  return String(value);
}

const isRecord = (v: unknown): boolean => typeof v === "object" && v !== null && !Array.isArray(v);
