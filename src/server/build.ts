// One factory builds the MCP server for any transport: the SDK's low-level Server answering
// tools/list from the precomputed catalogue (filtered by the policy) and tools/call through the
// call pipeline. Each session keeps its own list of exposed tools (lazy mode grows it). Every
// transport it connects to passes the RPC gate, and each request runs with the session's log.

import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import { type CallToolRequest, ListToolsRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { closeConsolesOfSession } from "../pve/console/lifecycle.ts";
import { type PveClient, withCallLog } from "../pve/index.ts";
import { type Scope, type SessionTools, TOOLSETS } from "../tools/define.ts";
import type { AuditLog } from "./audit.ts";
import { callTool } from "./call.ts";
import type { ListedTool } from "./catalog.ts";
import { registerCompletions } from "./completions.ts";
import { lazyValidator } from "./lazy-validator.ts";
import { McpLogging } from "./mcp-logging.ts";
import { TASKS_CAPABILITY, ToolTaskStore } from "./mcp-tasks.ts";
import { OPEN_POLICY, selectTools, type ToolPolicy } from "./policy.ts";
import { registerPrompts } from "./prompts.ts";
import { RESOURCES_CAPABILITY, registerResources } from "./resources.ts";
import { type Around, RpcGate } from "./rpc-gate.ts";
import type { ToolSource } from "./tool-source.ts";

const LooseCallToolRequest = z.object({
  method: z.literal("tools/call"),
  params: z.looseObject({}).optional(),
});

export interface ServerOptions {
  name: string;
  version: string;
  tools: ToolSource;
  /** The client; it sends nothing before the first tool call. */
  pve: () => PveClient;
  taskWaitMs: number;
  /** How long a task wait retries while Proxmox does not answer (ms; default 30 s). */
  taskReconnectMs?: number;
  instructions?: string;
  /** Which tools to expose; default: every tool, no lazy mode. */
  policy?: ToolPolicy;
  scope?: Scope;
  /** Ask before destructive calls (elicitation or confirm: true). */
  confirm?: boolean;
  audit?: AuditLog;
  /** For the audit log: stdio, streamable, sse… */
  transport?: string;
  /** How often a subscribed resource is polled for changes (ms; default 5000). */
  resourcePollMs?: number;
}

/** The SDK's Server, but every transport it connects to goes through the RPC gate. */
class GatedServer extends Server {
  around: Around = (_, handle) => handle();

  override connect(transport: Transport): Promise<void> {
    return super.connect(new RpcGate(transport, (request, handle) => this.around(request, handle)));
  }
}

export function buildServer(options: ServerOptions): Server {
  const taskStore = new ToolTaskStore();
  const server = new GatedServer(
    { name: options.name, version: options.version, title: "Proxmox VE" },
    {
      capabilities: {
        tools: { listChanged: true },
        logging: {},
        tasks: TASKS_CAPABILITY,
        resources: RESOURCES_CAPABILITY,
        prompts: {},
        completions: {},
      },
      instructions: options.instructions,
      taskStore,
      jsonSchemaValidator: lazyValidator,
    },
  );
  const selection = selectTools(options.tools.listed, options.policy ?? OPEN_POLICY);
  const available = new Map(selection.available.map((t) => [t.name, t]));
  const exposed = new Map<string, ListedTool>(selection.initial.map((t) => [t.name, t]));
  if (options.policy?.lazy) for (const t of selection.discovery) available.set(t.name, t);
  let listed = entries(exposed);

  const session: SessionTools = {
    toolsets() {
      const groups = new Map<string, string[]>();
      for (const t of available.values()) {
        if (t.toolset === "discovery") continue;
        groups.set(t.toolset, [...(groups.get(t.toolset) ?? []), t.name]);
      }
      return [...groups].map(([toolset, tools]) => ({
        toolset,
        description: (TOOLSETS as Record<string, string>)[toolset] ?? toolset,
        tools,
        enabled: tools.every((n) => exposed.has(n)),
      }));
    },
    enable(toolsets) {
      const added: string[] = [];
      for (const t of available.values()) {
        if (exposed.has(t.name) || (toolsets !== "all" && !toolsets.includes(t.toolset))) continue;
        exposed.set(t.name, t);
        added.push(t.name);
      }
      if (added.length > 0) {
        listed = entries(exposed);
        server.sendToolListChanged().catch(() => {});
      }
      return added;
    },
  };

  const logging = new McpLogging(server);
  server.around = (request, handle) => withCallLog(logging.sinkFor(request.id), handle);

  server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: listed }));
  // Registered with a loose schema: the RPC gate has already checked tools/call against the
  // spec's schema (-32602 when it does not fit); the handler narrows it.
  server.setRequestHandler(LooseCallToolRequest, (request, extra) =>
    callTool(
      { server, options, session, taskStore, isAvailable: (name) => available.has(name) },
      request as CallToolRequest,
      extra,
    ),
  );

  server.onclose = () => {
    taskStore.cleanup();
    closeConsolesOfSession(session);
  };
  registerResources(server, options);
  registerPrompts(server, options);
  registerCompletions(server, options);
  return server;
}

/** tools/list entries: the catalogue's, without our own `toolset` field. */
function entries(tools: Map<string, ListedTool>) {
  return [...tools.values()].map(({ toolset: _, ...tool }) => tool);
}
