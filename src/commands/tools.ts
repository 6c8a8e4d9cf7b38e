// `proxmox-mcp tools`: the tools a configuration lists and what they cost every conversation.
// It takes the server's own settings (config file, env, flags: --toolsets, --tools,
// --exclude-tools, --read-only, --lazy-mode…), so an administrator sees their own set-up.

import { defineCommand } from "citty";
import { cliArgs, loadSettings } from "../config/index.ts";
import type { ListedTool } from "../server/catalog.ts";
import { checkedPolicy } from "../server/policy.ts";
import { approxTokens, surfaceCost } from "../server/surface.ts";
import { lazyToolSource } from "../server/tool-source.ts";

export const toolsCommand = defineCommand({
  meta: {
    name: "tools",
    description:
      "Print the tools the settings list and what they cost in the model's context (--json for the tools/list); takes every flag of the server, env and config file",
  },
  args: {
    ...cliArgs(),
    json: { type: "boolean", description: "Print the tools/list JSON a client receives" },
    "check-api": {
      type: "boolean",
      description:
        "List the tools whose endpoints or parameters the cluster's API schema lacks (from --api-schema FILE, --demo, or the connection settings); exit 1 if any",
    },
  },
  async run({ args }) {
    // The server's own flags, aliases and --no-x (an unknown one is refused before this runs).
    const settings = loadSettings(args);
    if (args["check-api"]) {
      const [{ runCheckApi }, { ALL_TOOLS }] = await Promise.all([
        import("./check-api.ts"),
        import("../tools/registry.ts"),
      ]);
      process.exitCode = await runCheckApi(settings, ALL_TOOLS, Boolean(args.json));
      return;
    }
    const catalog = lazyToolSource().listed;
    const cost = surfaceCost(catalog, checkedPolicy(catalog, settings));
    if (args.json) {
      console.log(JSON.stringify({ tools: cost.listed.map(({ toolset: _, ...t }) => t) }, null, 2));
      return;
    }
    console.log(report(cost));
  },
});

function effect(t: ListedTool): string {
  const a = t.annotations;
  return a.readOnlyHint ? "read" : a.destructiveHint ? "destructive" : "write";
}

function report(cost: ReturnType<typeof surfaceCost>): string {
  const rows = cost.listed
    .map((t) => [t.toolset, t.name, effect(t), String(approxTokens(JSON.stringify(t).length))])
    .sort((x, y) => `${x[0]} ${x[1]}`.localeCompare(`${y[0]} ${y[1]}`));
  const header = ["toolset", "tool", "effect", "~tokens"];
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]?.length ?? 0)));
  const line = (r: string[]) =>
    r
      .map((v, c) => v.padEnd(widths[c] ?? 0))
      .join("  ")
      .trimEnd();
  const lines = [line(header), ...rows.map(line), ""];
  lines.push(
    `${cost.listed.length} tools listed at start: ${cost.bytes.toLocaleString("en")} bytes of tools/list, ~${cost.tokens.toLocaleString("en")} tokens in every conversation.`,
  );
  if (cost.viewOnly.length > 0) {
    lines.push(
      `A host with MCP Apps also lists ${cost.viewOnly.length} view-only tools (${cost.viewOnlyBytes.toLocaleString("en")} bytes) and keeps them from its model.`,
    );
  }
  if (cost.enableable.length > 0) {
    const count = cost.enableable.reduce((n, g) => n + g.tools.length, 0);
    lines.push(
      `The model can enable ${count} more tools with enable_toolset: ${cost.enableable.map((g) => `${g.toolset} (${g.tools.length})`).join(", ")}.`,
    );
  }
  return lines.join("\n");
}
