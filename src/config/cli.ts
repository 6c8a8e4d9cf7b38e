// CLI arguments for citty, derived from the settings table, and a check that rejects flags the
// table does not know (citty itself accepts anything).

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

/** Throws on `--bogus`; accepts every known flag, its alias and its `--no-` form. */
export function rejectUnknownFlags(
  rawArgs: readonly string[],
  extra: readonly string[] = [],
): void {
  const known = new Set<string>(["help", "version", "h", ...extra]);
  for (const def of SETTINGS as readonly SettingDef[]) {
    const name = flagName(def);
    known.add(name);
    if (def.alias) known.add(def.alias);
    if (def.type === "boolean") known.add(name.startsWith("no-") ? name.slice(3) : `no-${name}`);
  }
  for (const arg of rawArgs) {
    if (arg === "--") break;
    const m = /^--?([^=]+)/.exec(arg);
    if (!m?.[1] || /^-\d/.test(arg)) continue;
    const name = arg.startsWith("--") ? m[1] : m[1].charAt(0); // -p8007 → p
    if (!known.has(name)) {
      throw new ConfigError(
        `unknown option ${arg.startsWith("--") ? "--" : "-"}${name} (see --help)`,
      );
    }
  }
}
