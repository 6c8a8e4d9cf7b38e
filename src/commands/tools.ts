// `proxmox-mcp tools`: the tool catalogue with toolset, annotations and approximate token cost.

import { defineCommand } from "citty";
import { cliArgs, flagName, loadSettings, SETTINGS, type SettingDef } from "../config/index.ts";
import { listedTool } from "../server/catalog.ts";
import { ALL_TOOLS } from "../tools/index.ts";

/** Tokens are roughly a quarter of the JSON bytes a client puts in the model's context. */
export const approxTokens = (json: string): number => Math.ceil(json.length / 4);

export const toolsCommand = defineCommand({
  meta: { name: "tools", description: "Print the tool catalogue (--json for machine use)" },
  args: {
    json: { type: "boolean", description: "Print the tools/list JSON" },
    "check-api": {
      type: "boolean",
      description:
        "List the tools whose endpoints or parameters the cluster's API schema lacks (from --api-schema FILE, --demo, or the connection settings); exit 1 if any",
    },
    ...checkApiArgs(),
  },
  async run({ args }) {
    if (args["check-api"]) {
      const { runCheckApi } = await import("./check-api.ts");
      process.exitCode = await runCheckApi(loadSettings(args), ALL_TOOLS, Boolean(args.json));
      return;
    }
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

/** The connection, credential and TLS flags and where the schema comes from, for --check-api. */
function checkApiArgs() {
  const wanted = (d: SettingDef) =>
    ["connection", "auth", "tls"].includes(d.group) ||
    d.key === "api_schema" ||
    d.key === "api_schema_cache";
  const all = cliArgs();
  return Object.fromEntries(
    (SETTINGS as readonly SettingDef[]).filter(wanted).map((d) => [flagName(d), all[flagName(d)]]),
  ) as ReturnType<typeof cliArgs>;
}
