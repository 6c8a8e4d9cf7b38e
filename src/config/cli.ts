// The command line, derived from the settings table: citty's argument definitions (help,
// completions, man page) and the parser of the server's own flags.

import { type ParseArgsConfig, parseArgs } from "node:util";
import type { ArgDef } from "citty";
import { envName, flagName, SETTINGS, type SettingDef } from "./definitions.ts";
import { ConfigError } from "./load.ts";

export function cliArgs(): Record<string, ArgDef> {
  const args: Record<string, ArgDef> = {};
  for (const def of SETTINGS as readonly SettingDef[]) {
    const env = envName(def);
    const values = def.values ? ` (${def.values.join("|")})` : "";
    const fallback =
      "default" in def && def.default !== undefined ? ` [default: ${def.default}]` : "";
    args[flagName(def)] = {
      type: def.type === "boolean" ? "boolean" : "string",
      alias: def.alias,
      description: `${def.description}${values}${fallback}${env ? ` {${env}}` : ""}`,
      valueHint: def.type === "boolean" ? undefined : def.type,
    };
  }
  return args;
}

/**
 * The server's flags, parsed with node:util (strict: an unknown flag or a stray word is an
 * error). citty builds the help and the subcommands; this is the start path, where citty's own
 * parser cost 1–2 ms of a ~40 ms start. `--no-x` turns a boolean x off.
 */
export function parseFlags(rawArgs: readonly string[]): Record<string, string | boolean> {
  const options: Record<string, { type: "string" | "boolean"; short?: string }> = {};
  const negations = new Map<string, string>();
  for (const def of SETTINGS as readonly SettingDef[]) {
    const name = flagName(def);
    options[name] = {
      type: def.type === "boolean" ? "boolean" : "string",
      ...(def.alias ? { short: def.alias } : {}),
    };
    // `--no-lazy-mode`; flags named no-… (--no-verify-ssl, --no-confirm) are options themselves.
    if (def.type === "boolean" && !name.startsWith("no-")) {
      options[`no-${name}`] = { type: "boolean" };
      negations.set(`no-${name}`, name);
    }
  }
  try {
    const { values } = parseArgs({
      args: [...rawArgs],
      options,
      strict: true,
    } as ParseArgsConfig) as { values: Record<string, string | boolean> };
    for (const [negative, name] of negations) {
      if (values[negative] === undefined) continue;
      values[name] = !values[negative];
      delete values[negative];
    }
    return values;
  } catch (error) {
    throw new ConfigError(`${(error as Error).message} (see --help)`);
  }
}
