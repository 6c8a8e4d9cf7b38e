// One factory builds the MCP server for any transport: the SDK's low-level Server answering
// tools/list from the precomputed catalogue (filtered by the policy) and tools/call through the
// call pipeline. Each session keeps its own list of tools (enable_toolset grows it): it calls
// only what it lists. Every transport it connects to passes the RPC gate, and each request runs
// with the session's log.

import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import { type CallToolRequest, ListToolsRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { withCallLog } from "../pve/call-log.ts";
import type { SessionTools } from "../tools/define.ts";
import { toolsetInfo } from "../tools/toolsets.ts";
import type { CallEnv } from "./call.ts";
import { isAppOnly, type ListedTool, listEntry } from "./catalog.ts";
import { registerCompletions } from "./completions.ts";
import { lazyValidator } from "./lazy-validator.ts";
import { McpLogging } from "./mcp-logging.ts";
import { TASKS_CAPABILITY, ToolTaskStore } from "./mcp-tasks.ts";
import { onNotice, standingNotices } from "./notices.ts";
import type { ServerOptions } from "./options.ts";
import { DISCOVERY, OPEN_POLICY, selectTools, whyUnavailable, withViews } from "./policy.ts";
import { registerPrompts } from "./prompts.ts";
import { RESOURCES_CAPABILITY, registerResources } from "./resources.ts";
import { type Around, RpcGate } from "./rpc-gate.ts";
import { clientRendersViews, UI_EXTENSION } from "./ui-resources.ts";

const LooseCallToolRequest = z.object({
  method: z.literal("tools/call"),
  params: z.looseObject({}).optional(),
});

let pipeline: Promise<typeof import("./call.ts")> | undefined;
/** The call pipeline loads with the first tools/call: initialize and tools/list need none of it. */
const callPipeline = () => {
  pipeline ??= import("./call.ts");
  return pipeline;
};

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
  const policy = options.policy ?? OPEN_POLICY;
  const selection = selectTools(options.tools.listed, policy);
  const available = new Map(selection.available.map((t) => [t.name, t]));
  const appOnly = selection.available.filter(isAppOnly);
  let exposed: ListedTool[] = selection.initial;
  // A client that renders no views gets no tools only a view calls, and cannot call them.
  // Computed once per change of the list: tools/list answers from it as it stands.
  let cache: { of: ListedTool[]; views: boolean; tools: object[]; names: Set<string> } | undefined;
  const current = () => {
    const views = clientRendersViews(server);
    if (cache?.of !== exposed || cache.views !== views) {
      const shown = views ? exposed : exposed.filter((t) => !isAppOnly(t));
      cache = {
        of: exposed,
        views,
        tools: shown.map(listEntry),
        names: new Set(shown.map((t) => t.name)),
      };
    }
    return cache;
  };

  const session: SessionTools = {
    toolsets() {
      const groups = new Map<string, string[]>();
      for (const t of available.values()) {
        if (t.toolset === DISCOVERY || isAppOnly(t)) continue;
        groups.set(t.toolset, [...(groups.get(t.toolset) ?? []), t.name]);
      }
      const shown = new Set(exposed.map((t) => t.name));
      return [...groups].map(([toolset, tools]) => ({
        toolset,
        description: toolsetInfo(toolset)?.description ?? toolset,
        tools,
        enabled: tools.every((n) => shown.has(n)),
      }));
    },
    enable(toolsets) {
      const shown = new Set(exposed.map((t) => t.name));
      const added = [...available.values()].filter(
        (t) => !shown.has(t.name) && !isAppOnly(t) && toolsets.includes(t.toolset),
      );
      if (added.length > 0) {
        exposed = withViews([...exposed, ...added], appOnly);
        server.sendToolListChanged().catch(() => {});
      }
      return added.map((t) => t.name);
    },
    listed: () => current().names,
  };

  const logging = new McpLogging(server);
  server.around = (request, handle) => withCallLog(logging.sinkFor(request.id), handle);

  server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: current().tools }));
  const env: CallEnv = {
    server,
    options,
    session,
    taskStore,
    isAvailable: (name) => current().names.has(name),
    whyUnavailable: (name) =>
      whyUnavailable(options.tools.listed, policy, (n) => available.has(n), name),
  };
  // Registered with a loose schema: the RPC gate has already checked tools/call against the
  // spec's schema (-32602 when it does not fit); the handler narrows it.
  server.setRequestHandler(LooseCallToolRequest, async (request, extra) =>
    (await callPipeline()).callTool(env, request as CallToolRequest, extra),
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
