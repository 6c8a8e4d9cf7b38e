// What a configuration costs every conversation: the tools/list a client receives at start
// (tools, bytes, ~tokens), the view-only tools a host with MCP Apps gets besides (hidden from
// its model), and what the model could still enable. `proxmox-mcp tools` and the bench print it.

import { isAppOnly, type ListedTool, listEntry } from "./catalog.ts";
import { DISCOVERY, selectTools, type ToolPolicy } from "./policy.ts";

/** Tokens are roughly a quarter of the JSON bytes a client puts in the model's context. */
export const approxTokens = (bytes: number): number => Math.ceil(bytes / 4);

export const listBytes = (tools: readonly ListedTool[]): number =>
  Buffer.byteLength(JSON.stringify(tools.map(listEntry)));

export interface SurfaceCost {
  /** What a client without MCP Apps lists at start: all its model sees. */
  listed: ListedTool[];
  bytes: number;
  tokens: number;
  /** Tools only views call: listed besides to hosts with MCP Apps, which hide them. */
  viewOnly: ListedTool[];
  viewOnlyBytes: number;
  /** Toolsets the model may enable with enable_toolset, and their tools. */
  enableable: { toolset: string; tools: string[] }[];
}

export function surfaceCost(catalog: readonly ListedTool[], policy: ToolPolicy): SurfaceCost {
  const { available, initial } = selectTools(catalog, policy);
  const listed = initial.filter((t) => !isAppOnly(t));
  const viewOnly = initial.filter(isAppOnly);
  const shown = new Set(initial.map((t) => t.name));
  const groups = new Map<string, string[]>();
  for (const t of available) {
    if (shown.has(t.name) || isAppOnly(t) || t.toolset === DISCOVERY) continue;
    groups.set(t.toolset, [...(groups.get(t.toolset) ?? []), t.name]);
  }
  const bytes = listBytes(listed);
  return {
    listed,
    bytes,
    tokens: approxTokens(bytes),
    viewOnly,
    viewOnlyBytes: viewOnly.length > 0 ? listBytes(viewOnly) : 0,
    enableable: [...groups].map(([toolset, tools]) => ({ toolset, tools })),
  };
}
