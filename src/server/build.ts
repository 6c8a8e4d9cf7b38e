// One factory builds the MCP server for any transport: the SDK's low-level Server answering
// tools/list from the precomputed catalogue (filtered by the policy) and tools/call through the
// call pipeline. Each session keeps its own list of exposed tools (lazy mode grows it). Every
// transport it connects to passes the RPC gate, and each request runs with the session's log.

import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import { type CallToolRequest, ListToolsRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { withCallLog } from "../pve/index.ts";
import type { SessionTools } from "../tools/define.ts";
import { toolsetInfo } from "../tools/toolsets.ts";
import { callTool } from "./call.ts";
import { isAppOnly, type ListedTool } from "./catalog.ts";
import { registerCompletions } from "./completions.ts";
import { ConfirmationCodes } from "./confirm.ts";
import { lazyValidator } from "./lazy-validator.ts";
import { McpLogging } from "./mcp-logging.ts";
import { TASKS_CAPABILITY, ToolTaskStore } from "./mcp-tasks.ts";
import { onNotice, standingNotices } from "./notices.ts";
import type { ServerOptions } from "./options.ts";
import { OPEN_POLICY, selectTools } from "./policy.ts";
import { registerPrompts } from "./prompts.ts";
import { RESOURCES_CAPABILITY, registerResources } from "./resources.ts";
import { type Around, RpcGate } from "./rpc-gate.ts";
import { clientRendersViews, UI_EXTENSION } from "./ui-resources.ts";

const LooseCallToolRequest = z.object({
  method: z.literal("tools/call"),
  params: z.looseObject({}).optional(),
});

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
        extensions: UI_EXTENSION,
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
        if (t.toolset === "discovery" || isAppOnly(t)) continue;
        groups.set(t.toolset, [...(groups.get(t.toolset) ?? []), t.name]);
      }
      return [...groups].map(([toolset, tools]) => ({
        toolset,
        description: toolsetInfo(toolset)?.description ?? toolset,
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

  const codes = new ConfirmationCodes();
  // A client that renders no views gets no tools only a view calls.
  server.setRequestHandler(ListToolsRequestSchema, async () => ({
    tools: clientRendersViews(server) ? listed : listed.filter((t) => !isAppOnly(t)),
  }));
  // Registered with a loose schema: the RPC gate has already checked tools/call against the
  // spec's schema (-32602 when it does not fit); the handler narrows it.
  server.setRequestHandler(LooseCallToolRequest, (request, extra) =>
    callTool(
      { server, options, session, taskStore, codes, isAvailable: (name) => available.has(name) },
      request as CallToolRequest,
      extra,
    ),
  );

  // A warning from outside any call (the start-up connection check) reaches every session,
  // also one that starts just after it.
  const unsubscribe = onNotice((level, message) => logging.send(level, message));
  server.oninitialized = () => {
    for (const n of standingNotices()) logging.send(n.level, n.message);
  };
  server.onclose = () => {
    unsubscribe();
    taskStore.cleanup();
    options.consoles.closeOwnedBy(session);
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
