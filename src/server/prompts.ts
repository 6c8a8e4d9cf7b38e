// MCP prompts for common jobs: a cluster health check, why a guest does not start, what the
// configured credentials may do, and a node maintenance plan. Each names the tools this server
// really offers (its policy decides) and what to look for; the texts load on first use.

import type { Server } from "@modelcontextprotocol/sdk/server/index.js";
import {
  ErrorCode,
  GetPromptRequestSchema,
  ListPromptsRequestSchema,
  McpError,
  type Prompt,
} from "@modelcontextprotocol/sdk/types.js";
import type { ServerOptions } from "./options.ts";
import { OPEN_POLICY, selectTools } from "./policy.ts";

export const PROMPTS: Prompt[] = [
  {
    name: "cluster_health_check",
    title: "Cluster health check",
    description:
      "Check quorum, nodes, guests, storage, HA and failed tasks, and report problems worst first",
  },
  {
    name: "diagnose_guest_start",
    title: "Why does this guest not start?",
    description:
      "Find why a VM or container fails to start, from its tasks, config, node and storage",
    arguments: [{ name: "vmid", description: "The guest's id, e.g. 100", required: true }],
  },
  {
    name: "diagnose_permissions",
    title: "What may these credentials do?",
    description:
      "Check the effective privileges of the user or API token this server uses, and what to grant",
  },
  {
    name: "plan_maintenance",
    title: "Plan a node maintenance window",
    description: "Plan moving every guest off a node (and back) before a reboot or upgrade",
    arguments: [{ name: "node", description: "The node to empty, e.g. pve1", required: true }],
  },
];

export function registerPrompts(server: Server, options: ServerOptions): void {
  server.setRequestHandler(ListPromptsRequestSchema, async () => ({ prompts: PROMPTS }));
  server.setRequestHandler(GetPromptRequestSchema, async (request, extra) => {
    const prompt = PROMPTS.find((p) => p.name === request.params.name);
    if (!prompt) {
      throw new McpError(
        ErrorCode.InvalidParams,
        `unknown prompt "${request.params.name}"; prompts/list shows them`,
      );
    }
    const args = request.params.arguments ?? {};
    const missing = (prompt.arguments ?? []).filter((a) => a.required && !args[a.name]);
    if (missing.length > 0) {
      throw new McpError(
        ErrorCode.InvalidParams,
        `prompt ${prompt.name} needs ${missing.map((a) => a.name).join(", ")}`,
      );
    }
    const policy = options.policy ?? OPEN_POLICY;
    const selection = selectTools(options.tools.listed, policy);
    const { promptText } = await import("./prompt-texts.ts");
    const text = await promptText(prompt.name, args, {
      tools: new Set(selection.available.map((t) => t.name)),
      unlisted: new Map(
        selection.available
          .filter((t) => !selection.initial.includes(t))
          .map((t) => [t.name, t.toolset]),
      ),
      pve: options.pve(),
      scope: options.pve().scope,
      signal: extra.signal,
    });
    return {
      description: prompt.description,
      messages: [{ role: "user", content: { type: "text", text } }],
    };
  });
}
