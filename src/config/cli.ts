// The command line, derived from the settings table: citty's argument definitions (help,
// completions, man page), the placeholder each value shows, and one strict parser that every
// command uses, so an unknown flag or a stray word is refused the same way everywhere.

import { parseArgs } from "node:util";
import type { ArgDef } from "citty";
import { ConfigError } from "./config-error.ts";
import { envName, flagName, SETTINGS, type SettingDef } from "./definitions.ts";

/**
 * What a flag's value looks like, in the one style help, man page and completions share:
 * `<file>`, `<n>`, `<list>`, `<stdio|http>`, `<host>`.
 */
export function placeholder(def: SettingDef): string {
  if (def.values) return `<${def.values.join("|")}>`;
  if (def.type === "integer") return "<n>";
  if (def.type === "list") return "<list>";
  if (def.key.endsWith("_file") || ["config", "audit_log", "api_schema"].includes(def.key)) {
    return "<file>";
  }
  if (def.key.endsWith("_dir") || def.key.endsWith("_cache")) return "<dir>";
  if (def.key === "api_token") return "<token>";
  if (def.secret) return "<secret>";
  return `<${def.key.split("_").at(-1)}>`;
}

export function cliArgs(): Record<string, ArgDef> {
  const args: Record<string, ArgDef> = {};
  for (const def of SETTINGS as readonly SettingDef[]) {
    const env = envName(def);
    args[flagName(def)] = {
      type: def.type === "boolean" ? "boolean" : "string",
      alias: def.alias,
      description: `${def.description}${env ? ` {${env}}` : ""}`,
      valueHint: def.type === "boolean" ? undefined : placeholder(def),
    };
  }
  return args;
}

export interface OptionDecl {
  type: "string" | "boolean";
  short?: string;
}

export interface ParsedLine {
  values: Record<string, string | boolean>;
  positionals: string[];
}

/** The closest known flag to a mistyped one, when it is close enough to be meant. */
function suggestion(name: string, known: readonly string[]): string | undefined {
  const distance = (a: string, b: string): number => {
    const row = Array.from({ length: b.length + 1 }, (_, i) => i);
    for (let i = 1; i <= a.length; i++) {
      let previous = row[0] ?? 0;
      row[0] = i;
      for (let j = 1; j <= b.length; j++) {
        const current = row[j] ?? 0;
        row[j] = Math.min(
          current + 1,
          (row[j - 1] ?? 0) + 1,
          previous + (a[i - 1] === b[j - 1] ? 0 : 1),
        );
        previous = current;
      }
    }
    return row[b.length] ?? Number.POSITIVE_INFINITY;
  };
  const ranked = known
    .map((k) => ({ k, d: k.startsWith(name) || name.startsWith(k) ? 1 : distance(name, k) }))
    .sort((a, b) => a.d - b.d);
  const best = ranked[0];
  return best && best.d <= Math.max(2, Math.floor(name.length / 4)) ? best.k : undefined;
}

/**
 * Parses `rawArgs` against `options` (long name → type and short alias). Unknown flags, a missing
 * value, a value given to a switch and more words than `maxPositionals` are refused with a
 * ConfigError naming the flag and never echoing a value (it may be a secret typed in the wrong
 * place). `command` is how the message refers to the command, e.g. `proxmox-mcp mock`.
 */
export function parseCommandLine(
  rawArgs: readonly string[],
  options: Record<string, OptionDecl>,
  command: string,
  maxPositionals = 0,
): ParsedLine {
  const { tokens } = parseArgs({
    args: [...rawArgs],
    options,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const shorts = new Set(Object.values(options).flatMap((o) => (o.short ? [o.short] : [])));
  const values: Record<string, string | boolean> = {};
  const positionals: string[] = [];
  const see = `see ${command} --help`;
  let previous = "";
  for (const token of tokens) {
    if (token.kind === "option-terminator") continue;
    if (token.kind === "positional") {
      if (positionals.length >= maxPositionals) {
        const where = previous ? ` after ${previous}` : "";
        throw new ConfigError(
          maxPositionals === 0
            ? `unexpected argument${where}: ${command} takes flags only (${see})`
            : `too many arguments${where} (${see})`,
        );
      }
      positionals.push(token.value);
      previous = "";
      continue;
    }
    // parseArgs names a known short flag by its long name, an unknown one by its letter.
    const name = token.name;
    const decl = Object.hasOwn(options, name) ? options[name] : undefined;
    if (!decl) {
      const hint = token.rawName.startsWith("--")
        ? suggestion(token.name, Object.keys(options))
        : undefined;
      throw new ConfigError(
        `unknown option ${token.rawName}${hint ? ` (did you mean --${hint}?)` : ""}; ${see}`,
      );
    }
    // `--host -k`: the value is another flag, so the host was forgotten (`--host=-k` passes).
    const isFlag = (v: string) =>
      v.startsWith("--")
        ? Object.hasOwn(options, v.slice(2).split("=")[0] ?? "")
        : v.length === 2 && shorts.has(v.slice(1));
    const forgotten = !token.inlineValue && token.value?.startsWith("-") && isFlag(token.value);
    if (decl.type === "string" && (token.value === undefined || forgotten)) {
      throw new ConfigError(`${token.rawName} needs a value (${see})`);
    }
    if (decl.type === "boolean" && token.inlineValue) {
      throw new ConfigError(`${token.rawName} is a switch and takes no value (${see})`);
    }
    values[name] = decl.type === "boolean" ? true : (token.value as string);
    previous = token.rawName;
  }
  return { values, positionals };
}

/**
 * The server's own flags (the start path: node:util, not citty's parser, which cost 1–2 ms of a
 * ~40 ms start). `--no-x` turns a boolean x off; flags named no-… (--no-verify-ssl) are options
 * themselves.
 */
export function parseFlags(
  rawArgs: readonly string[],
  command = "proxmox-mcp",
): Record<string, string | boolean> {
  const options: Record<string, OptionDecl> = {};
  const negations = new Map<string, string>();
  for (const def of SETTINGS as readonly SettingDef[]) {
    const name = flagName(def);
    options[name] = {
      type: def.type === "boolean" ? "boolean" : "string",
      ...(def.alias ? { short: def.alias } : {}),
    };
    if (def.type === "boolean" && !name.startsWith("no-")) {
      options[`no-${name}`] = { type: "boolean" };
      negations.set(`no-${name}`, name);
    }
  }
  const { values } = parseCommandLine(rawArgs, options, command);
  for (const [negative, name] of negations) {
    if (values[negative] === undefined) continue;
    values[name] = !values[negative];
    delete values[negative];
  }
  return values;
}
