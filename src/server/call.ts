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
import type { ToolContext, ToolDef } from "../tools/define.ts";
import { renderText } from "../tools/text.ts";
import type { AuditEntry } from "./audit.ts";
import { describeImpact, elicitConfirmation } from "./confirm.ts";
import { argumentErrorResult, errorResult } from "./errors.ts";
import { log } from "./log.ts";
import {
  type CancellableTaskStore,
  DEFAULT_TASK_TTL_MS,
  TASK_POLL_INTERVAL_MS,
} from "./mcp-tasks.ts";
import type { ServerOptions } from "./options.ts";
import { outOfScope, UNRESTRICTED } from "./scope.ts";

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
  taskStore?: CancellableTaskStore;
}

/** As an MCP task, a tool waits for its Proxmox task this long (the client polls meanwhile). */
const TASK_WAIT_MS = 6 * 60 * 60 * 1000;

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
  if (!tool) return refusal(env.whyUnavailable(name));
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
        content: [{ type: "text", text: result.text ?? renderText(data, tool.output) }],
        structuredContent: data,
      };
    } catch (error) {
      log.debug(`${name} failed: ${(error as Error).message}`);
      const result = errorResult(name, error);
      audit("error", { message: (result.content[0] as { text: string }).text });
      return result;
    }
  };

  const taskRequest = request.params.task;
  if (!taskRequest || !tool.longRunning || !extra.taskStore || !env.taskStore) return run(ctx);
  return startAsTask(env, extra, taskRequest.ttl, ctx, run);
}

/**
 * Runs the call as an MCP task: answers at once with the task, then waits for the Proxmox task
 * without the usual bound (the client polls tasks/get), until it ends or the client cancels.
 */
async function startAsTask(
  env: CallEnv,
  extra: Extra,
  ttl: number | undefined,
  ctx: ToolContext,
  run: (context: ToolContext) => Promise<CallToolResult>,
): Promise<CreateTaskResult> {
  const store = extra.taskStore as NonNullable<Extra["taskStore"]>;
  const task = await store.createTask({
    ttl: ttl ?? DEFAULT_TASK_TTL_MS,
    pollInterval: TASK_POLL_INTERVAL_MS,
  });
  const cancelled = env.taskStore?.signalFor(task.taskId) ?? new AbortController().signal;
  const context: ToolContext = { ...ctx, signal: cancelled, taskWaitMs: TASK_WAIT_MS };
  void run(context)
    .then((result) =>
      cancelled.aborted
        ? undefined
        : store.storeTaskResult(task.taskId, result.isError ? "failed" : "completed", result),
    )
    .catch((error) => log.debug(`task ${task.taskId}: ${(error as Error).message}`))
    .finally(() => env.taskStore?.finished(task.taskId));
  return { task };
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
  let lastProgress = 0;
  const send = (n: ServerNotification) => extra.sendNotification(n).catch(() => {});
  return {
    pve: env.options.pve(),
    api: env.options.api,
    consoles: env.options.consoles,
    signal: extra.signal,
    taskWaitMs: env.options.taskWaitMs,
    scope,
    session: env.session,
    progress: ({ percent, message }) => {
      if (token === undefined) return;
      // Progress must grow with every notification, percent or not.
      lastProgress = Math.max(percent ?? lastProgress + 1, lastProgress + 0.01);
      send({
        method: "notifications/progress",
        params: {
          progressToken: token,
          progress: Number(lastProgress.toFixed(2)),
          ...(percent !== undefined ? { total: 100 } : {}),
          message,
        },
      });
    },
    notify: (level, message) => {
      env.server
        .sendLoggingMessage({ level, logger: "proxmox", data: message }, extra.sessionId)
        .catch(() => {});
    },
  };
}
