// The discovery tools, listed beside the default surface (and alone in lazy mode): the model
// sees which toolsets exist and enables the ones a request needs, so the context holds a few
// dozen tool schemas instead of every one. Enabling changes this session's list, nothing in
// Proxmox: both tools are read-only for the cluster.

import { z } from "zod";
import { defineTool, READ } from "./define.ts";
import { ToolError } from "./errors.ts";
import { TOOLSETS } from "./toolsets.ts";

const ENABLEABLE = TOOLSETS.map((t) => t.id).filter((id) => id !== "discovery");

const SESSION_ONLY = { ...READ, openWorldHint: false };

export const listToolsets = defineTool({
  name: "list_toolsets",
  title: "List toolsets",
  toolset: "discovery",
  description:
    "The toolsets this server offers beyond the tools listed now, with their tools and whether each is enabled. Enable one with enable_toolset.",
  input: z.strictObject({}),
  output: z.object({
    toolsets: z.array(
      z.object({
        toolset: z.string(),
        description: z.string(),
        tools: z.array(z.string()),
        enabled: z.boolean(),
      }),
    ),
  }),
  annotations: SESSION_ONLY,
  endpoints: [],
  async handler(_args, { session }) {
    const toolsets = session.toolsets();
    const text = toolsets
      .map(
        (t) =>
          `${t.toolset} (${t.enabled ? "enabled" : "not enabled"}): ${t.description}. Tools: ${t.tools.join(", ")}`,
      )
      .join("\n");
    return { data: { toolsets }, text };
  },
});

export const enableToolset = defineTool({
  name: "enable_toolset",
  title: "Enable toolsets",
  toolset: "discovery",
  description:
    "Add the tools of one or more toolsets (see list_toolsets) to this session; the tool list updates at once.",
  input: z.strictObject({
    toolsets: z.array(z.enum(ENABLEABLE)).min(1).describe('e.g. ["lifecycle", "disks"]'),
  }),
  output: z.object({ enabled: z.array(z.string()), added_tools: z.array(z.string()) }),
  annotations: SESSION_ONLY,
  endpoints: [],
  async handler({ toolsets }, { session }) {
    const offered = new Set(session.toolsets().map((t) => t.toolset));
    const refused = toolsets.filter((t) => !offered.has(t));
    if (refused.length > 0) {
      throw new ToolError(
        `toolset ${refused.map((t) => `"${t}"`).join(", ")} is not offered by this server (opt-in, excluded, or nothing left in read-only mode); nothing was enabled`,
        `Offered: ${[...offered].join(", ")}. The administrator enables others with --toolsets.`,
      );
    }
    const added = session.enable(toolsets);
    const text =
      added.length > 0
        ? `Enabled ${toolsets.join(", ")}: ${added.join(", ")} now listed.`
        : `${toolsets.join(", ")} already enabled; nothing added.`;
    return { data: { enabled: toolsets, added_tools: added }, text };
  },
});

export const discoveryTools = [listToolsets, enableToolset];
