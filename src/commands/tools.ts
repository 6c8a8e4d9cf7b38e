// `proxmox-mcp tools`: the tool catalogue with toolset, annotations and approximate token cost.

import { defineCommand } from "citty";
import { listedTool } from "../server/catalog.ts";
import { ALL_TOOLS } from "../tools/index.ts";

/** Tokens are roughly a quarter of the JSON bytes a client puts in the model's context. */
export const approxTokens = (json: string): number => Math.ceil(json.length / 4);

export const toolsCommand = defineCommand({
  meta: { name: "tools", description: "Print the tool catalogue (--json for machine use)" },
  args: { json: { type: "boolean", description: "Print the tools/list JSON" } },
  run({ args }) {
    const listed = ALL_TOOLS.map(listedTool);
    if (args.json) {
      console.log(JSON.stringify({ tools: listed }, null, 2));
      return;
    }
    const rows = listed
      .map((t) => {
        const a = t.annotations;
        const effect = a.readOnlyHint ? "read" : a.destructiveHint ? "destructive" : "write";
        return [t.toolset, t.name, effect, String(approxTokens(JSON.stringify(t)))];
      })
      .sort((x, y) => `${x[0]} ${x[1]}`.localeCompare(`${y[0]} ${y[1]}`));
    const header = ["toolset", "tool", "effect", "~tokens"];
    const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]?.length ?? 0)));
    const line = (r: string[]) =>
      r
        .map((v, c) => v.padEnd(widths[c] ?? 0))
        .join("  ")
        .trimEnd();
    const total = approxTokens(JSON.stringify({ tools: listed }));
    const footer = `${rows.length} tools, ~${total} tokens in tools/list`;
    console.log([line(header), ...rows.map(line), "", footer].join("\n"));
  },
});
