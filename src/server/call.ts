// One tools/call, start to end: find the tool, check the arguments, the scope and the
// confirmation, run the handler, render the result, write the audit line. Every refusal here
// happens before any request to Proxmox.

import type { CreateTaskResult } from "@modelcontextprotocol/sdk/experimental/tasks/types.js";
import type { Server } from "@modelcontextprotocol/sdk/server/index.js";
import type { RequestHandlerExtra } from "@modelcontextprotocol/sdk/shared/protocol.js";
import type {
  CallToolRequest,
  CallToolResult,
  ServerNotification,
  ServerRequest,
} from "@modelcontextprotocol/sdk/types.js";
import { callLog } from "../pve/index.ts";
import type { ToolContext, ToolDef } from "../tools/define.ts";
import type { AuditEntry } from "./audit.ts";
import type { ServerOptions } from "./build.ts";
import { describeImpact, elicitConfirmation } from "./confirm.ts";
import { argumentErrorResult, errorResult } from "./errors.ts";
import { log } from "./log.ts";
import type { ToolTaskStore } from "./mcp-tasks.ts";
import { progressScale } from "./progress.ts";
import { renderText } from "./render.ts";
import { RPC, RpcError } from "./rpc-errors.ts";
import { outOfScope, UNRESTRICTED } from "./scope.ts";
import { runAsTask } from "./tool-task.ts";

type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

export interface CallEnv {
  server: Server;
  options: ServerOptions;
  /** Tools the session may call (lazy mode: also those not listed yet). */
  isAvailable(name: string): boolean;
  session: ToolContext["session"];
  /** Set when the server offers MCP tasks. */
  taskStore?: ToolTaskStore;
}

const refusal = (text: string): CallToolResult => ({
  isError: true,
  content: [{ type: "text", text }],
});

export async function callTool(
  env: CallEnv,
  request: CallToolRequest,
  extra: Extra,
): Promise<CallToolResult | CreateTaskResult> {
  const { options } = env;
  const { name, arguments: rawArgs = {} } = request.params;
  const tool = env.isAvailable(name) ? (await options.tools.load()).get(name) : undefined;
  if (!tool) return unavailable(options, name);
  const taskRequest = request.params.task;
  if (taskRequest && !tool.longRunning) {
    // The spec's answer to task augmentation of a tool whose taskSupport is not "optional".
    throw new RpcError(
      RPC.methodNotFound,
      `Tool ${name} does not run as a task (its execution.taskSupport is "forbidden"); call it without "task"`,
    );
  }
  const parsed = tool.input.safeParse(rawArgs);
  if (!parsed.success) return argumentErrorResult(name, parsed.error.issues);
  const args = parsed.data as Record<string, unknown>;
  const scope = options.scope ?? UNRESTRICTED;
  const audit = (outcome: AuditEntry["outcome"], fields: Partial<AuditEntry> = {}) => {
    if (tool.annotations.readOnlyHint || !options.audit) return;
    options.audit({
      tool: name,
      args,
      outcome,
      session: extra.sessionId,
      transport: options.transport ?? "stdio",
      ...fields,
    });
  };

  const outside = outOfScope(scope, args);
  if (outside) {
    audit("refused", { message: outside });
    return refusal(`${name}: ${outside}; nothing was sent.`);
  }

  const ctx = toolContext(env, request, extra, scope);
  // A tool may count as confirmed by an earlier step (typing into a console opened with consent).
  const confirmed = args.confirm === true || tool.confirmedBy?.(args, ctx) === true;
  if (tool.annotations.destructiveHint && options.confirm && !confirmed) {
    const declined = await confirm(env, tool, args, ctx, extra);
    if (declined) {
      audit(declined.outcome, { message: "not confirmed" });
      return declined.result;
    }
  }

  const run = async (context: ToolContext): Promise<CallToolResult> => {
    const started = performance.now();
    try {
      // `confirm` is the pipeline's, not the tool's: a handler must never forward it to PVE.
      const { confirm: _confirmed, ...toolArgs } = args;
      const result = await tool.handler(toolArgs, context);
      const data = JSON.parse(JSON.stringify(result.data ?? {})) as Record<string, unknown>;
      log.debug(`${name} ok in ${(performance.now() - started).toFixed(1)} ms`);
      audit("ok", { upid: typeof data.upid === "string" ? data.upid : undefined });
      return {
        content: [{ type: "text", text: result.text ?? renderText(data) }],
        structuredContent: data,
      };
    } catch (error) {
      log.debug(`${name} failed: ${(error as Error).message}`);
      const result = errorResult(name, error);
      audit("error", { message: (result.content[0] as { text: string }).text });
      return result;
    }
  };

  if (!taskRequest || !extra.taskStore || !env.taskStore) return run(ctx);
  const onCancelled = (message: string, upid?: string) => audit("cancelled", { message, upid });
  const pve = options.pve();
  return runAsTask(
    { store: env.taskStore, extra, ttl: taskRequest.ttl, pve, onCancelled },
    ctx,
    run,
  );
}

/**
 * An unknown name is a protocol error (-32602, as the spec shows); a real tool this server's
 * settings leave out is an error result that says why and who can change it.
 */
function unavailable(options: ServerOptions, name: string): CallToolResult {
  const known = options.tools.listed.find((t) => t.name === name);
  if (!known) {
    throw new RpcError(
      RPC.invalidParams,
      `Unknown tool: ${name}; tools/list shows the tools this server offers`,
    );
  }
  const why =
    options.policy?.readOnly && !known.annotations.readOnlyHint
      ? "the server runs read-only"
      : `its toolset "${known.toolset}" is not enabled, or the tool is excluded`;
  return refusal(
    `tool "${name}" is not enabled on this server: ${why}; nothing was sent. The administrator can enable it (--toolsets ${known.toolset} or --tools ${name}; see proxmox-mcp tools).`,
  );
}

async function confirm(
  env: CallEnv,
  tool: ToolDef,
  args: Record<string, unknown>,
  ctx: ToolContext,
  extra: Extra,
): Promise<{ outcome: "unconfirmed" | "cancelled"; result: CallToolResult } | undefined> {
  const impact = await describeImpact(tool, args, ctx.pve);
  const decision = await elicitConfirmation(env.server, impact, extra.requestId, extra.signal);
  if (decision === "confirmed") return undefined;
  if (decision === "declined") {
    return { outcome: "cancelled", result: refusal(`Not done: the user declined. ${impact}`) };
  }
  return {
    outcome: "unconfirmed",
    result: refusal(
      `Not done yet: ${tool.name} is destructive and needs confirmation.\n${impact}\n` +
        "Tell the user what will happen; if they agree, call again with the same arguments and confirm: true.",
    ),
  };
}

function toolContext(
  env: CallEnv,
  request: CallToolRequest,
  extra: Extra,
  scope: ToolContext["scope"],
): ToolContext {
  const token = request.params._meta?.progressToken;
  const progress: ToolContext["progress"] =
    token === undefined
      ? () => {}
      : progressScale((note) => {
          const params = { progressToken: token, ...note };
          extra.sendNotification({ method: "notifications/progress", params }).catch(() => {});
        });
  // This request's log (buildServer runs every request inside its sink): its stream, its level.
  const sink = callLog();
  return {
    pve: env.options.pve(),
    signal: extra.signal,
    taskWaitMs: env.options.taskWaitMs,
    taskReconnectMs: env.options.taskReconnectMs,
    scope,
    session: env.session,
    progress,
    notify: (level, message) => sink?.line(level, message),
  };
}
