// Lazy mode's discovery tools: the model starts with these and opens toolsets as it needs them,
// so the context holds a few tool schemas instead of every one.

import { z } from "zod";
import { defineTool, READ, WRITE_IDEMPOTENT } from "./define.ts";

const toolsetRow = z.object({
  toolset: z.string(),
  description: z.string(),
  tools: z.array(z.string()),
  enabled: z.boolean(),
});

export const listToolsets = defineTool({
  name: "list_toolsets",
  title: "List toolsets",
  toolset: "discovery",
  description:
    "The groups of tools this server offers, with their tools and whether each group is enabled. Enable one with enable_toolset.",
  input: z.strictObject({}),
  output: z.object({ toolsets: z.array(toolsetRow) }),
  annotations: READ,
  endpoints: [],
  async handler(_args, { session }) {
    return { data: { toolsets: session.toolsets() } };
  },
});

export const enableToolset = defineTool({
  name: "enable_toolset",
  title: "Enable a toolset",
  toolset: "discovery",
  description:
    "Make the tools of one or more toolsets available (see list_toolsets); the tool list updates at once.",
  input: z.strictObject({
    toolsets: z.array(z.string()).min(1).describe('Toolset names, e.g. ["guests", "tasks"]'),
  }),
  output: z.object({ enabled: z.array(z.string()), added_tools: z.array(z.string()) }),
  annotations: { ...WRITE_IDEMPOTENT, openWorldHint: false },
  endpoints: [],
  async handler({ toolsets }, { session }) {
    return { data: { enabled: toolsets, added_tools: session.enable(toolsets) } };
  },
});

export const loadAllTools = defineTool({
  name: "load_all_tools",
  title: "Load all tools",
  toolset: "discovery",
  description:
    "Make every tool this server allows available at once (the seed's lazy-mode escape hatch).",
  input: z.strictObject({}),
  output: z.object({ added_tools: z.array(z.string()) }),
  annotations: { ...WRITE_IDEMPOTENT, openWorldHint: false },
  endpoints: [],
  async handler(_args, { session }) {
    return { data: { added_tools: session.enable("all") } };
  },
});

export const discoveryTools = [listToolsets, enableToolset, loadAllTools];
