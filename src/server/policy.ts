// Which tools a server lists and which a session may bring in, decided from the catalogue alone
// (no tool module loads), in one documented order: the tool's own kind (app-only tools follow
// the views) → read-only → toolsets (ids and the keywords default, all, seed) → added tools →
// excluded tools (exclusions win over all). What the settings choose is listed at start; the
// discovery tools, listed beside it, let the model enable any other toolset but the opt-in ones
// (console, api), which only the settings enable. Lazy mode starts with the discovery tools
// alone. A tool a session does not list cannot be called: the refusal says how to get it.

import { ConfigError, type Settings } from "../config/index.ts";
import { SEED_TOOLS } from "../tools/seed.ts";
import { TOOLSET_KEYWORDS, TOOLSETS, toolsetInfo } from "../tools/toolsets.ts";
import { hasView, isAppOnly, type ListedTool } from "./catalog.ts";

export const DISCOVERY = "discovery";

export interface ToolPolicy {
  readOnly: boolean;
  /** Toolset names, or the keywords `default`, `all` and `seed`. */
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

/** The policy the settings describe; a name that matches nothing is a ConfigError at start. */
export function policyFromSettings(settings: Settings): ToolPolicy {
  return {
    readOnly: settings.read_only,
    toolsets: settings.toolsets,
    tools: settings.tools ?? [],
    excludeTools: settings.exclude_tools ?? [],
    lazy: settings.lazy_mode,
  };
}

export interface Selection {
  /** Every tool a session of this server may list: at start, or after enable_toolset. */
  available: ListedTool[];
  /** What a new session lists. */
  initial: ListedTool[];
}

const seed = new Set(SEED_TOOLS);

const selections = new WeakMap<ToolPolicy, { catalog: unknown; selection: Selection }>();

/**
 * What a policy selects from the catalogue, computed once per policy (at start, then for every
 * session of an HTTP server): the result is shared, and nobody changes it.
 */
export function selectTools(catalog: readonly ListedTool[], policy: ToolPolicy): Selection {
  const kept = selections.get(policy);
  if (kept?.catalog === catalog) return kept.selection;
  const selection = select(catalog, policy);
  selections.set(policy, { catalog, selection });
  return selection;
}

function select(catalog: readonly ListedTool[], policy: ToolPolicy): Selection {
  const wanted = new Set(policy.toolsets);
  const named = (toolset: string) => wanted.has("all") || wanted.has(toolset);
  const inToolsets = (t: ListedTool) =>
    named(t.toolset) ||
    (wanted.has("default") && toolsetInfo(t.toolset)?.default === true) ||
    (wanted.has("seed") && seed.has(t.name));
  const allowed = (t: ListedTool) =>
    (!policy.readOnly || t.annotations.readOnlyHint) && !policy.excludeTools.includes(t.name);
  const chosen = (t: ListedTool) =>
    t.toolset !== DISCOVERY &&
    !isAppOnly(t) &&
    allowed(t) &&
    (inToolsets(t) || policy.tools.includes(t.name));
  // The seed listed no discovery tools outside lazy mode: its preset alone lists exactly its own.
  const seedOnly = policy.toolsets.length === 1 && wanted.has("seed") && policy.tools.length === 0;
  const discovery =
    seedOnly && !policy.lazy ? [] : catalog.filter((t) => t.toolset === DISCOVERY && allowed(t));
  const canEnable = discovery.some((t) => t.name === "enable_toolset");
  const enableable = (t: ListedTool) =>
    canEnable &&
    t.toolset !== DISCOVERY &&
    allowed(t) &&
    (toolsetInfo(t.toolset)?.optIn !== true || named(t.toolset));
  const listed = withViews(
    catalog.filter(chosen),
    catalog.filter((t) => isAppOnly(t) && allowed(t)),
  );
  const more = catalog.filter((t) => !isAppOnly(t) && !chosen(t) && enableable(t));
  const available = withViews(
    [...discovery, ...listed.filter((t) => !isAppOnly(t)), ...more],
    catalog.filter((t) => isAppOnly(t) && allowed(t)),
  );
  return {
    available,
    initial: policy.lazy ? discovery : [...discovery, ...listed],
  };
}

/**
 * Without sessions (stateless HTTP) nothing remembers an enabled toolset from one request to the
 * next: the list is what the settings choose, with no discovery tools and no lazy start.
 */
export function withoutSessions(policy: ToolPolicy): ToolPolicy {
  const discovery = ["list_toolsets", "enable_toolset"];
  return { ...policy, lazy: false, excludeTools: [...policy.excludeTools, ...discovery] };
}

/** Tools only a view calls come with the first tool that has a view. */
export function withViews(tools: ListedTool[], appOnly: readonly ListedTool[]): ListedTool[] {
  const missing = appOnly.filter((a) => !tools.includes(a));
  return tools.some(hasView) ? [...tools, ...missing] : tools.filter((t) => !isAppOnly(t));
}

/** The settings' policy, refused when a name in it matches nothing. */
export function checkedPolicy(catalog: readonly ListedTool[], settings: Settings): ToolPolicy {
  const policy = policyFromSettings(settings);
  const unknown = unknownNames(catalog, policy);
  if (unknown.length > 0) {
    const toolsets = [...TOOLSET_KEYWORDS, ...TOOLSETS.map((t) => t.id)].join(", ");
    throw new ConfigError(
      `unknown ${unknown.join(", ")} in toolsets/tools/exclude_tools; toolsets: ${toolsets} (see \`proxmox-mcp tools\`)`,
    );
  }
  return policy;
}

/** Names in the settings that match nothing: a typo would silently expose the wrong tools. */
export function unknownNames(catalog: readonly ListedTool[], policy: ToolPolicy): string[] {
  const toolsets = new Set<string>([...catalog.map((t) => t.toolset), ...TOOLSET_KEYWORDS]);
  const tools = new Set(catalog.map((t) => t.name));
  return [
    ...policy.toolsets.filter((n) => !toolsets.has(n)).map((n) => `toolset "${n}"`),
    ...[...policy.tools, ...policy.excludeTools]
      .filter((n) => !tools.has(n))
      .map((n) => `tool "${n}"`),
  ];
}

/**
 * Why a session cannot call a tool, and how to get it: from the model (enable its toolset) when
 * the server allows it, else from the administrator's settings. Nothing is sent either way.
 */
export function whyUnavailable(
  catalog: readonly ListedTool[],
  policy: ToolPolicy | undefined,
  available: (name: string) => boolean,
  name: string,
): string {
  const known = catalog.find((t) => t.name === name);
  if (!known) return `unknown tool "${name}"; tools/list shows the tools this server offers`;
  if (available(name) && !isAppOnly(known)) {
    return `tool "${name}" is not enabled in this session; nothing was sent. Its toolset "${known.toolset}" brings it: call enable_toolset with toolsets ["${known.toolset}"], then call ${name} again.`;
  }
  const why =
    policy?.readOnly && !known.annotations.readOnlyHint
      ? "the server runs read-only"
      : policy?.excludeTools.includes(name)
        ? "the settings exclude it"
        : toolsetInfo(known.toolset)?.optIn
          ? `its toolset "${known.toolset}" is opt-in`
          : `its toolset "${known.toolset}" is not enabled`;
  return `tool "${name}" is not enabled on this server: ${why}; nothing was sent. The administrator can enable it (--toolsets ${known.toolset} or --tools ${name}; see proxmox-mcp tools).`;
}
