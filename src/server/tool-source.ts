// Where the server gets its tools. At start only the precomputed catalogue is read (names,
// texts, JSON schemas: enough for tools/list); the tool modules with their zod schemas and
// handlers load on the first tools/call.

import catalog from "../tools/catalog.json" with { type: "json" };
import type { ToolDef } from "../tools/define.ts";
import { type ListedTool, listedTool } from "./catalog.ts";

export interface ToolSource {
  listed: readonly ListedTool[];
  load(): Promise<ReadonlyMap<string, ToolDef>>;
}

/** The shipped server: catalogue now, definitions when first needed. */
export function lazyToolSource(): ToolSource {
  let loaded: Promise<ReadonlyMap<string, ToolDef>> | undefined;
  return {
    listed: catalog as ListedTool[],
    load: () => {
      loaded ??= import("../tools/registry.ts").then((m) => m.toolByName);
      return loaded;
    },
  };
}

/** Tests and tools: definitions already in hand (the catalogue is computed from them). */
export function eagerToolSource(tools: readonly ToolDef[]): ToolSource {
  const byName: ReadonlyMap<string, ToolDef> = new Map(tools.map((t) => [t.name, t]));
  return { listed: tools.map(listedTool), load: async () => byName };
}
