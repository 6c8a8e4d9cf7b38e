// `proxmox-mcp completions bash|zsh|fish` and `proxmox-mcp man`: shell completions and the
// manual page, both rendered from the live command tree (whose flags come from the settings
// table), so every flag a user can pass is one they can complete and look up.

import { type CommandDef, defineCommand } from "citty";
import pkg from "../../package.json" with { type: "json" };
import { type CommandSpec, commandSpec } from "./cli-spec.ts";
import { bashCompletion } from "./completion-bash.ts";
import { fishCompletion } from "./completion-fish.ts";
import { zshCompletion } from "./completion-zsh.ts";
import { manPage } from "./man-page.ts";

export const SHELLS = {
  bash: bashCompletion,
  zsh: zshCompletion,
  fish: fishCompletion,
} as const satisfies Record<string, (root: CommandSpec) => string>;

export type Shell = keyof typeof SHELLS;

export async function completionScript(root: CommandDef, shell: string): Promise<string> {
  if (!Object.hasOwn(SHELLS, shell)) {
    throw new Error(`unknown shell "${shell}"; one of: ${Object.keys(SHELLS).join(", ")}`);
  }
  return SHELLS[shell as Shell](await commandSpec(root, pkg.name));
}

export const manual = async (root: CommandDef): Promise<string> =>
  manPage(await commandSpec(root, pkg.name), pkg.version);

export const completionsCommand = (root: CommandDef) =>
  defineCommand({
    meta: { name: "completions", description: "Print a shell completion script" },
    args: {
      shell: {
        type: "positional",
        required: true,
        valueHint: Object.keys(SHELLS).join("|"),
        description: "The shell to complete for",
      },
    },
    async run({ args }) {
      process.stdout.write(await completionScript(root, String(args.shell)));
    },
  });

export const manCommand = (root: CommandDef) =>
  defineCommand({
    meta: { name: "man", description: "Print the manual page (roff; pipe it to `man -l -`)" },
    async run() {
      process.stdout.write(await manual(root));
    },
  });
