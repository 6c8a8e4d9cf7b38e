// Runs a subcommand of the tree with the same strict parser as the server's flags: its citty
// argument definitions say which flags and words it takes, and anything else is a usage error
// (exit 2) before the command starts, never a flag silently ignored.

import type { ArgDef, ArgsDef, CommandDef } from "citty";
import { ConfigError, type OptionDecl, parseCommandLine } from "../config/index.ts";

type Resolvable<T> = T | Promise<T> | (() => T | Promise<T>);
const resolve = async <T>(value: Resolvable<T>): Promise<T> =>
  typeof value === "function" ? (value as () => T | Promise<T>)() : value;

function declOf(arg: ArgDef): OptionDecl {
  const alias = "alias" in arg ? [arg.alias ?? []].flat().find((a) => a.length === 1) : undefined;
  return {
    type: arg.type === "boolean" ? "boolean" : "string",
    ...(alias ? { short: alias } : {}),
  };
}

/** Parses `rawArgs` for `cmd` into citty's `args` shape (long names; positionals by name). */
export async function parseFor(
  cmd: CommandDef,
  rawArgs: readonly string[],
  path: string,
): Promise<Record<string, unknown>> {
  const defs = ((await resolve(cmd.args ?? {})) ?? {}) as ArgsDef;
  const options: Record<string, OptionDecl> = {};
  const positionals: [string, ArgDef][] = [];
  for (const [name, arg] of Object.entries(defs)) {
    if (arg.type === "positional") positionals.push([name, arg]);
    else options[name] = declOf(arg);
  }
  const parsed = parseCommandLine(rawArgs, options, path, positionals.length);
  const args: Record<string, unknown> = { ...parsed.values, _: parsed.positionals };
  for (const [i, [name, arg]] of positionals.entries()) {
    const value = parsed.positionals[i];
    const allowed = arg.valueHint?.includes("|") ? arg.valueHint.split("|") : undefined;
    if (value === undefined) {
      if (arg.required !== false) {
        const one = allowed ? `: one of ${allowed.join(", ")}` : "";
        throw new ConfigError(`${path} needs <${name}>${one} (see ${path} --help)`);
      }
      continue;
    }
    if (allowed && !allowed.includes(value)) {
      throw new ConfigError(`unknown ${name} "${value}"; one of: ${allowed.join(", ")}`);
    }
    args[name] = value;
  }
  return args;
}

export async function runSubcommand(
  cmd: CommandDef,
  rawArgs: readonly string[],
  path: string,
): Promise<void> {
  const args = await parseFor(cmd, rawArgs, path);
  await cmd.run?.({ rawArgs: [...rawArgs], args: args as never, cmd });
}
