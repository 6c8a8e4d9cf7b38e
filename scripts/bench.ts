// `bun run bench`: performance figures, each a median over repeated runs, printed as one table.
// Sections live in scripts/bench/*.ts; `bun run bench startup` runs only the named sections:
// startup, trace (where start-up time goes), context (tools/list size), overhead (MCP layer per
// call), scale (10,000 guests), scenarios (what a model reads for administrators' requests),
// http (throughput and RSS under load), ui (the MCP Apps views: size, and time to first render
// in chromium at 1,000 guests), guard (the scope guard's cost per request, and vmid-only calls
// at 1,000 guests).

import { contextSection } from "./bench/context.ts";
import { guardSection } from "./bench/guard.ts";
import { httpSection } from "./bench/http.ts";
import { overheadSection } from "./bench/overhead.ts";
import { scaleSection } from "./bench/scale.ts";
import { scenariosSection } from "./bench/scenarios.ts";
import { startupSection } from "./bench/startup.ts";
import { traceSection } from "./bench/trace.ts";
import { uiSection } from "./bench/ui.ts";

export interface Row {
  section: string;
  measure: string;
  value: string;
  note?: string;
}

export type Section = () => Promise<Row[]>;

const SECTIONS: Record<string, Section> = {
  startup: startupSection,
  trace: traceSection,
  context: contextSection,
  overhead: overheadSection,
  scale: scaleSection,
  scenarios: scenariosSection,
  http: httpSection,
  ui: uiSection,
  guard: guardSection,
};

function print(rows: Row[]): void {
  const header = { section: "section", measure: "measure", value: "value", note: "note" };
  const all = [header, ...rows];
  const width = (k: keyof Row) => Math.max(...all.map((r) => (r[k] ?? "").length));
  const line = (r: Row) =>
    [
      r.section.padEnd(width("section")),
      r.measure.padEnd(width("measure")),
      r.value.padStart(width("value")),
      r.note ?? "",
    ]
      .join("  ")
      .trimEnd();
  console.log([line(header), ...rows.map(line)].join("\n"));
}

if (import.meta.main) {
  const wanted = process.argv.slice(2).filter((a) => !a.startsWith("-"));
  const names = wanted.length > 0 ? wanted : Object.keys(SECTIONS);
  const rows: Row[] = [];
  for (const name of names) {
    const section = SECTIONS[name];
    if (!section)
      throw new Error(`unknown section "${name}"; known: ${Object.keys(SECTIONS).join(", ")}`);
    console.error(`running ${name}…`);
    rows.push(...(await section()));
  }
  print(rows);
}
