// The command line as data, read from the citty command tree that really runs (its args come
// from the settings table): each command's options, positionals and subcommands. Shell
// completions and the man page are rendered from this, so they cannot drift from the CLI.

import type { ArgDef, CommandDef } from "citty";
import { flagName, placeholder, SETTINGS, type SettingDef } from "../config/index.ts";

/** Section titles of the settings' groups, in help and man page. */
export const GROUP_TITLES: Record<SettingDef["group"], string> = {
  connection: "Connection",
  auth: "Authentication",
  tls: "TLS",
  server: "Transport",
  http: "HTTP server",
  tools: "Tools",
  safety: "Safety",
  api: "Raw API access",
  logging: "Logging",
};

export interface OptionSpec {
  /** Long name without dashes, e.g. `token-name`. */
  name: string;
  /** Short names without the dash, e.g. `n`. */
  aliases: string[];
  description: string;
  takesValue: boolean;
  /** What the value looks like, e.g. `<file>` (empty for a switch). */
  placeholder: string;
  /** The only values the option accepts, when it has a fixed set. */
  values?: readonly string[];
  /** What kind of path the value is, for shells that can complete paths. */
  path?: "file" | "directory";
  /** The settings-table row behind a server flag (env var, config key, default). */
  setting?: SettingDef;
}

export interface PositionalSpec {
  name: string;
  description: string;
  values?: readonly string[];
}

export interface CommandSpec {
  name: string;
  description: string;
  options: OptionSpec[];
  positionals: PositionalSpec[];
  subcommands: CommandSpec[];
}

type Resolvable<T> = T | Promise<T> | (() => T | Promise<T>);
const resolve = async <T>(value: Resolvable<T>): Promise<T> =>
  typeof value === "function" ? (value as () => T | Promise<T>)() : value;

const settingsByFlag = new Map(
  (SETTINGS as readonly SettingDef[]).map((def) => [flagName(def), def] as const),
);

function pathKind(def: SettingDef | undefined): OptionSpec["path"] {
  if (def?.type !== "string") return undefined;
  if (def.key.endsWith("_file") || def.key === "config") return "file";
  if (def.key.endsWith("_dir")) return "directory";
  return undefined;
}

/**
 * The settings-table row behind a flag: every flag of the top command, and a subcommand's flag
 * taken from cliArgs() (doctor, role, tools --check-api) — not a subcommand's own --port.
 */
function settingOf(name: string, arg: ArgDef, top: boolean): SettingDef | undefined {
  const def = settingsByFlag.get(name);
  if (!def || top) return def;
  return arg.description?.startsWith(def.description) ? def : undefined;
}

function optionSpec(name: string, arg: ArgDef, top: boolean): OptionSpec {
  const setting = settingOf(name, arg, top);
  const aliases = "alias" in arg ? [arg.alias ?? []].flat() : [];
  const values = setting?.values ?? (arg.type === "enum" ? arg.options : undefined);
  return {
    name,
    aliases,
    description: setting?.description ?? arg.description ?? "",
    takesValue: arg.type !== "boolean",
    placeholder: valuePlaceholder(name, arg, setting),
    ...(values ? { values } : {}),
    ...(pathKind(setting) ? { path: pathKind(setting) } : {}),
    ...(setting ? { setting } : {}),
  };
}

/** `<file>` from the settings table, else the arg's own `valueHint`, else `<name>`. */
function valuePlaceholder(name: string, arg: ArgDef, setting: SettingDef | undefined): string {
  if (arg.type === "boolean") return "";
  if (setting) return placeholder(setting);
  const hint = arg.valueHint ?? name;
  return hint.startsWith("<") ? hint : `<${hint}>`;
}

/** A positional's `valueHint` of the form `a|b|c` lists the values it accepts. */
function positionalSpec(name: string, arg: ArgDef): PositionalSpec {
  const hint = arg.valueHint ?? "";
  return {
    name,
    description: arg.description ?? "",
    ...(hint.includes("|") ? { values: hint.split("|") } : {}),
  };
}

/** What a spec reads of a command: any command's args fit, whatever its run takes. */
export type DescribedCommand = Pick<CommandDef, "meta" | "args" | "subCommands">;

export async function commandSpec(
  cmd: DescribedCommand,
  fallbackName = "",
  top = true,
): Promise<CommandSpec> {
  const meta = (await resolve(cmd.meta ?? {})) ?? {};
  const args = (await resolve(cmd.args ?? {})) ?? {};
  const subs = (await resolve(cmd.subCommands ?? {})) ?? {};
  const spec: CommandSpec = {
    name: meta.name ?? fallbackName,
    description: meta.description ?? "",
    options: [],
    positionals: [],
    subcommands: [],
  };
  for (const [name, arg] of Object.entries(args)) {
    if (arg.type === "positional") spec.positionals.push(positionalSpec(name, arg));
    else spec.options.push(optionSpec(name, arg, top));
  }
  for (const [name, sub] of Object.entries(subs)) {
    const resolved = await resolve(sub);
    const subMeta = await resolve(resolved.meta ?? {});
    if (subMeta?.hidden) continue;
    spec.subcommands.push({ ...(await commandSpec(resolved, name, false)), name });
  }
  return spec;
}

/** The first sentence of a description, without bracketed detail: for one-line UIs. */
export function shortDescription(text: string): string {
  const plain = text.replace(/\s*(\([^)]*\)|\[[^\]]*\])/g, "");
  const first = plain.split(/(?<=\.)\s+(?=[A-Z])|;\s/)[0] ?? "";
  return first.replace(/\.$/, "").trim();
}

/** Every option a command accepts besides its own: help everywhere, version at the top. */
export function builtinOptions(top: boolean): OptionSpec[] {
  const help = {
    name: "help",
    aliases: ["h"],
    description: "Show usage",
    takesValue: false,
    placeholder: "",
  };
  const version = {
    name: "version",
    aliases: [],
    description: "Show the version",
    takesValue: false,
    placeholder: "",
  };
  const helpAll = {
    name: "help-all",
    aliases: [],
    description: "Show every option with its env var, config key and full default",
    takesValue: false,
    placeholder: "",
  };
  return top ? [help, helpAll, version] : [help];
}
