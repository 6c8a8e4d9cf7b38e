// The tools a configuration exposes (toolsets, tools, exclude_tools, read_only), from the
// precomputed catalogue and the server's own selection, so `role` and `doctor` judge exactly
// the tools the server would offer. Lazy mode can enable them all, so they all count.

import { ConfigError, type Settings } from "../config/index.ts";
import type { ListedTool } from "../server/catalog.ts";
import { selectTools, type ToolPolicy, unknownNames } from "../server/policy.ts";
import { lazyToolSource } from "../server/tool-source.ts";

export function enabledTools(
  s: Pick<Settings, "toolsets" | "tools" | "exclude_tools" | "read_only">,
): ListedTool[] {
  const catalog = lazyToolSource().listed;
  const policy: ToolPolicy = {
    readOnly: s.read_only,
    toolsets: s.toolsets,
    tools: s.tools ?? [],
    excludeTools: s.exclude_tools ?? [],
    lazy: false,
  };
  const unknown = unknownNames(catalog, policy);
  if (unknown.length > 0) {
    throw new ConfigError(
      `unknown ${unknown.join(", ")} in toolsets/tools/exclude_tools (see \`proxmox-mcp tools\`)`,
    );
  }
  return selectTools(catalog, policy).available;
}
