// Which tools a server exposes, decided from the catalogue alone (no tool module loads), in one
// documented order: read-only → toolsets → added tools → excluded tools (exclusions win over all).
// Lazy mode then starts a session with the discovery tools only; the rest stay available.
// Tools only an MCP Apps view calls follow the views: there when a tool with a view is.

import { toolsetInfo } from "../tools/toolsets.ts";
import { hasView, isAppOnly, type ListedTool } from "./catalog.ts";

export const DISCOVERY = "discovery";

export interface ToolPolicy {
  readOnly: boolean;
  /** Toolset names, or the keywords `default` and `all`. */
  toolsets: readonly string[];
  tools: readonly string[];
  excludeTools: readonly string[];
  lazy: boolean;
}

export const OPEN_POLICY: ToolPolicy = {
  readOnly: false,
  toolsets: ["all"],
  tools: [],
  excludeTools: [],
  lazy: false,
};

export interface Selection {
  /** What this server allows at all (lazy mode may expose it later). */
  available: ListedTool[];
  /** What a new session lists. */
  initial: ListedTool[];
  discovery: ListedTool[];
}

export function selectTools(catalog: readonly ListedTool[], policy: ToolPolicy): Selection {
  const wanted = new Set(policy.toolsets);
  const inToolsets = (t: ListedTool) =>
    wanted.has("all") ||
    wanted.has(t.toolset) ||
    (wanted.has("default") && toolsetInfo(t.toolset)?.default !== false);
  const discovery = catalog.filter((t) => t.toolset === DISCOVERY);
  const allowed = (t: ListedTool) =>
    (!policy.readOnly || t.annotations.readOnlyHint) && !policy.excludeTools.includes(t.name);
  const chosen = (t: ListedTool) =>
    t.toolset !== DISCOVERY &&
    !isAppOnly(t) &&
    allowed(t) &&
    (inToolsets(t) || policy.tools.includes(t.name));
  const views = catalog.some((t) => chosen(t) && hasView(t));
  const available = catalog.filter((t) => (isAppOnly(t) ? views && allowed(t) : chosen(t)));
  return { available, discovery, initial: policy.lazy ? discovery : available };
}

/** Names in the settings that match nothing: a typo would silently expose the wrong tools. */
export function unknownNames(catalog: readonly ListedTool[], policy: ToolPolicy): string[] {
  const toolsets = new Set([...catalog.map((t) => t.toolset), "all", "default"]);
  const tools = new Set(catalog.map((t) => t.name));
  return [
    ...policy.toolsets.filter((n) => !toolsets.has(n)).map((n) => `toolset "${n}"`),
    ...[...policy.tools, ...policy.excludeTools]
      .filter((n) => !tools.has(n))
      .map((n) => `tool "${n}"`),
  ];
}
