#!/usr/bin/env bun

// proxmox-mcp: the command tree. `proxmox-mcp [flags]` serves MCP; `mock` runs the simulated
// cluster; `tools` prints the tool catalogue; `completions` and `man` describe this command line.
// Heavy modules load only for the command that runs.

import { type CommandDef, defineCommand, runCommand, showUsage } from "citty";
import pkg from "../package.json" with { type: "json" };
import { ConfigError, cliArgs, loadSettings, parseFlags } from "./config/index.ts";
// First: its evaluation marks the start when PROXMOX_MCP_TRACE_START=1.
import { startMark } from "./server/start-trace.ts";

const SUBCOMMANDS = ["mock", "tools", "version", "completions", "man"];

// Typed as CommandDef so `completions` and `man` can be handed the tree they describe.
const serve: CommandDef = defineCommand({
  meta: { name: "proxmox-mcp", version: pkg.version, description: pkg.description },
  args: cliArgs(),
  subCommands: {
    mock: () => import("./commands/mock.ts").then((m) => m.mockCommand),
    tools: () => import("./commands/tools.ts").then((m) => m.toolsCommand),
    completions: () => import("./commands/completions.ts").then((m) => m.completionsCommand(serve)),
    man: () => import("./commands/completions.ts").then((m) => m.manCommand(serve)),
    version: () => ({
      meta: { description: "Print the version" },
      run: () => console.log(pkg.version),
    }),
  },
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

process.on("unhandledRejection", (reason) => {
  process.stderr.write(`[error] unhandled: ${(reason as Error)?.stack ?? reason}\n`);
});

async function main(rawArgs: string[]): Promise<void> {
  if (rawArgs.includes("--help") || rawArgs.includes("-h")) {
    const sub = SUBCOMMANDS.includes(rawArgs[0] ?? "") ? rawArgs[0] : undefined;
    const subCommands = (await serve.subCommands) as Record<string, () => Promise<never>>;
    const load = sub ? subCommands[sub] : undefined;
    if (load) await showUsage(await load(), serve);
    else await showUsage(serve);
    return;
  }
  if (rawArgs.length === 1 && rawArgs[0] === "--version") {
    console.log(pkg.version);
    return;
  }
  if (SUBCOMMANDS.includes(rawArgs[0] ?? "")) await runCommand(serve, { rawArgs });
  else await serveMcp(rawArgs);
}

startMark("main.ts evaluated (static imports done)");
main(process.argv.slice(2)).catch(fail);

function fail(error: unknown): never {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`proxmox-mcp: ${message}\n`);
  process.exit(error instanceof ConfigError ? 2 : 1);
}
