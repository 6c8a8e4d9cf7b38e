// `--help` and `--help-all`, rendered from the command spec (the same one completions and the man
// page come from). Lines wrap to the terminal and never pass 100 columns; a long default is
// summarised (the whole of it is in --help-all and the man page); colour only on a terminal that
// has not asked for none (NO_COLOR).

import { envName, type SettingDef } from "../config/index.ts";
import {
  builtinOptions,
  type CommandSpec,
  GROUP_TITLES,
  type OptionSpec,
  shortDescription,
} from "./cli-spec.ts";

export const MAX_WIDTH = 100;
const MIN_WIDTH = 40;
/** Width of the flag column; a longer flag puts its description on the next line. */
const FLAG_COLUMN = 32;
/** A default longer than this is summarised in --help. */
const SHORT_DEFAULT = 24;

export interface HelpOptions {
  /** Everything: full descriptions, env vars, config keys and defaults. */
  all?: boolean;
  /** Terminal width; undefined (a pipe) means 80. */
  columns?: number;
  color?: boolean;
}

/** Colour when stdout is a terminal and NO_COLOR is unset or empty (no-color.org). */
export function wantsColor(
  stream: { isTTY?: boolean } = process.stdout,
  env: Record<string, string | undefined> = process.env,
): boolean {
  return stream.isTTY === true && !env.NO_COLOR;
}

/** The terminal's width within 40–100; 80 in a pipe or on a terminal that reports none. */
export function helpWidth(columns: number | undefined): number {
  return Math.max(MIN_WIDTH, Math.min(MAX_WIDTH, columns || 80));
}

/** A word longer than the line (a fingerprint) split after its colons, when it has some. */
function pieces(word: string, width: number): string[] {
  if (word.length <= width || !word.includes(":")) return [word];
  const out: string[] = [];
  let piece = "";
  for (const part of word.split(/(?<=:)/)) {
    if (piece && piece.length + part.length > width) {
      out.push(piece);
      piece = "";
    }
    piece += part;
  }
  return [...out, piece];
}

/** Greedy word wrap; a word longer than the line (a long path) gets a line of its own. */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).flatMap((w) => (w ? pieces(w, width) : []))) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.length > 0 ? lines : [""];
}

interface Style {
  heading(text: string): string;
  flag(text: string): string;
}

const plain: Style = { heading: (t) => t, flag: (t) => t };
const colored: Style = {
  heading: (t) => `\x1b[1m${t}\x1b[22m`,
  flag: (t) => `\x1b[36m${t}\x1b[39m`,
};

/** `-H, --host <host>`; a flag without a short form lines up under the long ones. */
const flagText = (o: OptionSpec): string => {
  const short = o.aliases.map((a) => `-${a}, `).join("");
  const names = `${short || "    "}--${o.name}`;
  return o.takesValue ? `${names} ${o.placeholder}` : names;
};

function defaultText(def: SettingDef | undefined): string | undefined {
  if (def?.default === undefined || def.default === false || def.default === "") return undefined;
  return Array.isArray(def.default) ? def.default.join(",") : String(def.default);
}

function summary(o: OptionSpec): string {
  const def = o.setting;
  if (!def) return o.description; // a command's own flags are described in a line already
  const full = defaultText(def);
  let fallback = "";
  if (full !== undefined) {
    const short =
      full.length <= SHORT_DEFAULT
        ? full
        : Array.isArray(def?.default)
          ? `${def.default.length} entries, see --help-all`
          : "see --help-all";
    fallback = ` [default: ${short}]`;
  }
  return `${shortDescription(o.description)}${fallback}`;
}

function details(o: OptionSpec): string[] {
  const def = o.setting;
  if (!def) return [o.description];
  const facts = [
    envName(def) ? `env ${envName(def)}` : "",
    def.cliOnly ? "" : `config key ${def.key}`,
  ].filter(Boolean);
  const full = defaultText(def);
  return [
    def.description + (def.values ? ` One of: ${def.values.join(", ")}.` : ""),
    ...(facts.length > 0 ? [facts.join("; ")] : []),
    ...(full !== undefined ? [`default: ${full.replaceAll(",", ", ")}`] : []),
  ];
}

function optionLines(o: OptionSpec, width: number, style: Style, all: boolean): string[] {
  const left = `  ${flagText(o)}`;
  if (all) {
    const body = details(o).flatMap((p) => wrap(p, width - 10).map((l) => `          ${l}`));
    return [style.flag(left), ...body];
  }
  const text = wrap(summary(o), width - FLAG_COLUMN);
  const pad = " ".repeat(FLAG_COLUMN);
  if (left.length + 2 > FLAG_COLUMN) {
    return [style.flag(left), ...text.map((l) => pad + l)];
  }
  const [first = "", ...rest] = text;
  return [
    style.flag(left) + " ".repeat(FLAG_COLUMN - left.length) + first,
    ...rest.map((l) => pad + l),
  ];
}

function commandLines(subs: readonly CommandSpec[], width: number): string[] {
  const column = Math.max(...subs.map((s) => s.name.length)) + 4;
  return subs.flatMap((s) => {
    const [first = "", ...rest] = wrap(shortDescription(s.description), width - column - 2);
    return [`  ${s.name.padEnd(column)}${first}`, ...rest.map((l) => " ".repeat(column + 2) + l)];
  });
}

/** Options grouped as the settings table groups them; a subcommand's own under "Options". */
function groups(spec: CommandSpec, top: boolean): [string, OptionSpec[]][] {
  const out = new Map<string, OptionSpec[]>();
  for (const o of [...spec.options, ...builtinOptions(top)]) {
    const title = o.setting ? GROUP_TITLES[o.setting.group] : "Options";
    out.set(title, [...(out.get(title) ?? []), o]);
  }
  return [...out];
}

/**
 * The help of `spec`; `path` is how it is invoked (`proxmox-mcp`, `proxmox-mcp mock`), `top`
 * whether it is the root command (which serves MCP and has subcommands).
 */
export function renderHelp(
  spec: CommandSpec,
  path: string,
  top: boolean,
  { all = false, columns, color = false }: HelpOptions = {},
): string {
  const width = helpWidth(columns);
  const style = color ? colored : plain;
  const lines: string[] = [];
  const heading = (text: string) => lines.push("", style.heading(text));
  lines.push(...wrap(spec.description, width));
  heading("Usage:");
  const positionals = spec.positionals.map((p) => ` <${p.name}>`).join("");
  if (top) {
    lines.push(`  ${path} [options]              serve MCP (stdio; -t http for HTTP)`);
    lines.push(`  ${path} <command> [options]    run a command (<command> --help: its own)`);
    heading("Commands:");
    lines.push(...commandLines(spec.subcommands, width));
  } else {
    lines.push(`  ${path}${positionals} [options]`);
    for (const p of spec.positionals) {
      const values = p.values ? ` (${p.values.join(", ")})` : "";
      lines.push(...wrap(`<${p.name}>: ${p.description}${values}`, width - 2).map((l) => `  ${l}`));
    }
  }
  for (const [title, options] of groups(spec, top)) {
    heading(`${title}:`);
    for (const o of options) {
      lines.push(...optionLines(o, width, style, all));
      if (all) lines.push("");
    }
    if (all && lines.at(-1) === "") lines.pop();
  }
  if (top && !all) {
    lines.push(
      "",
      ...wrap(
        `Every option is also an env var and a config-file key: ${path} --help-all lists them, with full defaults; ${path} man prints the manual.`,
        width,
      ),
    );
  }
  return `${lines.join("\n")}\n`;
}
