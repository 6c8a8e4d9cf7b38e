#!/usr/bin/env bun

// proxmox-mcp: the command tree. `proxmox-mcp [flags]` serves MCP; `doctor` checks the
// connection; `role` prints a least-privilege role; `mock` runs the simulated cluster; `tools`
// prints the tool catalogue; `completions` and `man` describe this command line. Heavy modules
// load only for the command that runs. Exit status: 0 done, 1 failed, 2 usage or settings wrong.

import { type CommandDef, defineCommand } from "citty";
import pkg from "../package.json" with { type: "json" };
import { ConfigError, cliArgs, loadSettings, parseFlags } from "./config/index.ts";
// First: its evaluation marks the start when PROXMOX_MCP_TRACE_START=1.
import { startMark } from "./server/start-trace.ts";

const version: CommandDef = {
  meta: { name: "version", description: "Print the version" },
  run: () => console.log(pkg.version),
};

// Each command's args are its own type; the tree only needs them as CommandDefs.
const as = (m: Promise<unknown>) => m as Promise<CommandDef>;

const COMMANDS: Record<string, () => Promise<CommandDef>> = {
  doctor: () => as(import("./commands/doctor.ts").then((m) => m.doctorCommand)),
  role: () => as(import("./commands/role.ts").then((m) => m.roleCommand)),
  mock: () => as(import("./commands/mock.ts").then((m) => m.mockCommand)),
  tools: () => as(import("./commands/tools.ts").then((m) => m.toolsCommand)),
  completions: () =>
    as(import("./commands/completions.ts").then((m) => m.completionsCommand(serve))),
  man: () => as(import("./commands/completions.ts").then((m) => m.manCommand(serve))),
  version: async () => version,
};

// Typed as CommandDef so `completions` and `man` can be handed the tree they describe.
const serve: CommandDef = defineCommand({
  meta: { name: pkg.name, version: pkg.version, description: pkg.description },
  args: cliArgs(),
  subCommands: COMMANDS,
});

/** The default command: serve MCP with the settings from flags, env and config file. */
async function serveMcp(rawArgs: readonly string[]): Promise<void> {
  const settings = loadSettings(parseFlags(rawArgs));
  startMark("settings loaded");
  const { runServer } = await import("./server/run.ts");
  startMark("server modules imported");
  if (settings.demo) {
    const { startDemo } = await import("./commands/demo.ts");
    await runServer({ settings, client: (safety) => startDemo(safety) });
  } else {
    await runServer({ settings });
  }
  // The client is gone: end now, whatever still holds the event loop (the demo's mock).
  process.exit(0);
}

async function showHelp(command: string | undefined, all: boolean): Promise<void> {
  const { commandSpec } = await import("./commands/cli-spec.ts");
  const { renderHelp, wantsColor } = await import("./commands/help.ts");
  const load = command ? COMMANDS[command] : undefined;
  const spec = load
    ? await commandSpec(await load(), command, false)
    : {
        ...(await commandSpec(serve, pkg.name)),
        description: `${pkg.name} ${pkg.version}: ${pkg.description}`,
      };
  const text = renderHelp(spec, command ? `${pkg.name} ${command}` : pkg.name, !load, {
    all,
    columns: process.stdout.isTTY ? process.stdout.columns : undefined,
    color: wantsColor(),
  });
  process.stdout.write(text);
}

process.on("unhandledRejection", (reason) => {
  process.stderr.write(`[error] unhandled: ${(reason as Error)?.stack ?? reason}\n`);
});

async function main(rawArgs: string[]): Promise<void> {
  const first = rawArgs[0] ?? "";
  const command = Object.hasOwn(COMMANDS, first) ? first : undefined;
  if (rawArgs.includes("--help-all")) return showHelp(command, true);
  if (rawArgs.includes("--help") || rawArgs.includes("-h")) return showHelp(command, false);
  if (rawArgs.length === 1 && first === "--version") return version.run?.({} as never);
  if (command) {
    const { runSubcommand } = await import("./commands/run-command.ts");
    const load = COMMANDS[command] as () => Promise<CommandDef>;
    return runSubcommand(await load(), rawArgs.slice(1), `${pkg.name} ${command}`);
  }
  // A word that looks like a command name is named back; any other word might be a secret.
  if (/^[a-z][a-z-]{0,19}$/.test(first)) {
    throw new ConfigError(
      `unknown command "${first}"; commands: ${Object.keys(COMMANDS).join(", ")} (the server itself runs with no command; see ${pkg.name} --help)`,
    );
  }
  await serveMcp(rawArgs);
}

startMark("main.ts evaluated (static imports done)");
main(process.argv.slice(2)).catch(fail);

function fail(error: unknown): never {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`${pkg.name}: ${message}\n`);
  process.exit(error instanceof ConfigError ? 2 : 1);
}
