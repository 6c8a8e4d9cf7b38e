// One tools/call, start to end: find the tool, check the arguments and the confirmation, run
// the handler, render the result, write the audit line. Every refusal here happens before any
// request to Proxmox; the scope is held by the Proxmox client's guard, on every request.

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
import { renderText } from "../tools/text.ts";
import { type AuditEntry, auditContext } from "./audit.ts";
import {
  CODE_TTL_MS,
  ConfirmationCodes,
  describeImpact,
  elicitConfirmation,
  WHY_NOT,
} from "./confirm.ts";
import { argumentErrorResult, errorResult } from "./errors.ts";
import { log } from "./log.ts";
import type { ToolTaskStore } from "./mcp-tasks.ts";
import type { ServerOptions } from "./options.ts";
import { progressScale } from "./progress.ts";
import { RPC, RpcError } from "./rpc-errors.ts";
import { runAsTask } from "./tool-task.ts";

type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

export interface CallEnv {
  server: Server;
  options: ServerOptions;
  /** Tools the session may call: those it lists. */
  isAvailable(name: string): boolean;
  /** Why it may not, and how to get the tool. */
  whyUnavailable(name: string): string;
  session: ToolContext["session"];
  /** Set when the server offers MCP tasks. */
  taskStore?: ToolTaskStore;
  /** The confirmation codes this session was given (made when it first needs one). */
  codes?: ConfirmationCodes;
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
  if (!tool) return unavailable(env, name);
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
  const transport = options.transport ?? "stdio";
  const audit = (outcome: AuditEntry["outcome"], fields: Partial<AuditEntry> = {}) => {
    if (tool.annotations.readOnlyHint || !options.audit) return;
    options.audit.call({
      tool: name,
      args,
      outcome,
      session: extra.sessionId,
      transport,
      ...fields,
    });
  };

  const ctx = toolContext(env, request, extra);
  if (tool.annotations.destructiveHint && options.confirm) {
    const stop = await confirmation(env, tool, args, ctx, extra).catch((error: unknown) => {
      const result = errorResult(name, error);
      return { outcome: "refused" as const, result, message: textOf(result) };
    });
    if (stop) {
      audit(stop.outcome, { message: stop.message });
      return stop.result;
    }
  }

  const run = async (context: ToolContext): Promise<CallToolResult> => {
    const started = performance.now();
    try {
      // `confirm` is the pipeline's, not the tool's: a handler must never forward it to PVE.
      const { confirm: _confirmed, ...toolArgs } = args;
      const result = await auditContext.run(
        { tool: name, session: extra.sessionId, transport },
        () => tool.handler(toolArgs, context),
      );
      const data = JSON.parse(JSON.stringify(result.data ?? {})) as Record<string, unknown>;
      log.debug(`${name} ok in ${(performance.now() - started).toFixed(1)} ms`);
      audit("ok", { upid: typeof data.upid === "string" ? data.upid : undefined });
      return {
        content: [{ type: "text", text: result.text ?? renderText(data, tool.output) }],
        structuredContent: data,
      };
    } catch (error) {
      log.debug(`${name} failed: ${(error as Error).message}`);
      const result = errorResult(name, error);
      audit("error", { message: textOf(result) });
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
function unavailable(env: CallEnv, name: string): CallToolResult {
  if (!env.options.tools.listed.some((t) => t.name === name)) {
    throw new RpcError(
      RPC.invalidParams,
      `Unknown tool: ${name}; tools/list shows the tools this server offers`,
    );
  }
  return refusal(env.whyUnavailable(name));
}

type Stop = {
  outcome: "unconfirmed" | "cancelled" | "refused";
  result: CallToolResult;
  message: string;
};

/** Undefined when the call may run; else the answer that stops it (and why, for the audit). */
async function confirmation(
  env: CallEnv,
  tool: ToolDef,
  args: Record<string, unknown>,
  ctx: ToolContext,
  extra: Extra,
): Promise<Stop | undefined> {
  // Typing into a console opened with consent, or a call that cannot lose anything.
  if (tool.confirmedBy?.(args, ctx) === true) return undefined;
  const guests = env.options.pve().inventory;
  if (tool.losesNothing && (await tool.losesNothing(args, guests).catch(() => false))) {
    return undefined;
  }
  const impact = await describeImpact(tool, args, ctx.pve);
  const decision = await elicitConfirmation(env.server, impact, extra.requestId, extra.signal);
  if (decision === "confirmed") return undefined;
  if (decision === "declined") {
    const text = `Not done: the user declined. ${impact}`;
    return { outcome: "cancelled", result: refusal(text), message: "declined by the user" };
  }
  if (decision === "unanswered") {
    const text = `Not done: the user could not be asked (the client's question failed). ${impact}`;
    return { outcome: "unconfirmed", result: refusal(text), message: "question failed" };
  }
  // No elicitation: a code this session was given for exactly this call runs it.
  const given = typeof args.confirm === "string" ? args.confirm : undefined;
  env.codes ??= new ConfirmationCodes();
  const redeemed = given === undefined ? undefined : env.codes.redeem(given, tool.name, args);
  if (redeemed === "ok") return undefined;
  const code = env.codes.issue(tool.name, args);
  const why = redeemed === undefined ? "" : `${WHY_NOT[redeemed]}\n`;
  const text =
    `Not done yet: ${tool.name} is destructive and needs the user's confirmation.\n${why}${impact}\n` +
    `Tell the user what will happen; if they agree, call again with the same arguments and confirm: "${code}" (valid once, for ${CODE_TTL_MS / 60_000} minutes).`;
  return {
    outcome: "unconfirmed",
    result: { ...refusal(text), structuredContent: { confirm: code, impact } },
    message: redeemed === undefined ? "code issued" : `code refused (${redeemed}); new code issued`,
  };
}

const textOf = (r: CallToolResult): string =>
  r.content.map((c) => (c.type === "text" ? c.text : "")).join("\n");

function toolContext(env: CallEnv, request: CallToolRequest, extra: Extra): ToolContext {
  const token = request.params._meta?.progressToken;
  const pve = env.options.pve();
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
    pve,
    api: env.options.api,
    consoles: env.options.consoles,
    signal: extra.signal,
    taskWaitMs: env.options.taskWaitMs,
    taskReconnectMs: env.options.taskReconnectMs,
    scope: pve.scope,
    session: env.session,
    progress,
    notify: (level, message) => sink?.line(level, message),
  };
}
