// A tool is data: one declarative value holds its name, toolset, texts, zod input and output,
// annotations and handler. tools/list, filters, docs and tests all derive from these values.

import { z } from "zod";
import type { ConsoleRegistry } from "../pve/console/registry.ts";
import {
  type Endpoint,
  type EndpointRef,
  endpointRefs,
  type Inventory,
  type Scope,
} from "../pve/index.ts";
import type { Progress } from "../pve/tasks.ts";
import type { RawApi } from "./api-access.ts";
import { declarationsOf, limitTo, readOnlyApi, type ToolClient } from "./tool-client.ts";
import type { Toolset } from "./toolsets.ts";

export type { EndpointRef } from "../pve/index.ts";
export { TOOLSETS, type Toolset, type ToolsetInfo, toolsetInfo } from "./toolsets.ts";

export interface Annotations {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint?: boolean;
}

/** A toolset as a session sees it: the tools it may list, and whether they are listed. */
export interface SessionToolset {
  toolset: string;
  description: string;
  tools: string[];
  enabled: boolean;
}

/** The session's tool list, for the discovery tools and the views' buttons. */
export interface SessionTools {
  /** The toolsets this session may list (the opt-in ones only when the settings enable them). */
  toolsets(): SessionToolset[];
  /** Lists the toolsets' tools (announced with tools/list_changed); returns those added. */
  enable(toolsets: readonly string[]): string[];
  /** What the session lists now, and so may call. */
  listed(): ReadonlySet<string>;
}

/**
 * What a handler works with. In a handler `E` is what its tool declares, so `pve` calls those
 * endpoints only, and a helper typed by the endpoints it calls accepts the context of a tool
 * only when that tool declares them all.
 */
export interface ToolContext<E extends Endpoint = Endpoint> {
  pve: ToolClient<E>;
  /** The raw API tools' access (settings, schema, arbitrary paths); absent when not offered. */
  api?: RawApi;
  /** The server's open consoles. */
  consoles: ConsoleRegistry;
  /** Aborted when the MCP client cancels the call. */
  signal: AbortSignal;
  /** How long a tool that starts a task waits for it by default (ms). */
  taskWaitMs: number;
  /** How long a task wait retries while Proxmox does not answer (ms; default 30 s). */
  taskReconnectMs?: number;
  /** Progress of a long wait; a no-op when the client asked for none. */
  progress: (progress: Progress) => void;
  /** Tell the MCP client's user something (notifications/message). */
  notify: (level: "info" | "warning", message: string) => void;
  scope: Scope;
  session: SessionTools;
}

export interface ToolResult<O> {
  data: O;
  /** Compact text rendering; by default derived from data. */
  text?: string;
}

/** A tool as the server keeps it: `endpoints` are the concrete templates it may call. */
export interface ToolDef<I extends z.ZodObject = z.ZodObject, O extends z.ZodObject = z.ZodObject> {
  name: string;
  title: string;
  toolset: Toolset;
  description: string;
  input: I;
  output: O;
  annotations: Annotations;
  /**
   * Starts a Proxmox task and may wait minutes (clone, migrate, backup…): clients that support
   * MCP tasks may run it as one (tools/list says `execution.taskSupport: "optional"`).
   * Default: true when the input has `wait` (the sign of a tool that waits for its task).
   */
  longRunning?: boolean;
  /**
   * The API endpoints the tool calls (templates as the API schema spells them), so
   * `proxmox-mcp tools --check-api` can tell which tools a cluster's API version lacks.
   */
  endpoints: readonly EndpointRef[];
  /**
   * The tool also calls paths its caller names (the api toolset), each checked against the
   * cluster's own schema when called: `endpoints` lists only what the tool calls by itself.
   */
  callerPaths?: boolean;
  /**
   * Destructive tools only: true when an earlier confirmed call already covers this one (typing
   * into a console whose console_open was confirmed), so the call pipeline need not ask again.
   */
  confirmedBy?: (args: z.output<I>, ctx: ToolContext) => boolean;
  /**
   * MCP Apps (the io.modelcontextprotocol/ui extension): the ui:// view a host that supports it
   * renders this tool's result in. An `appOnly` tool feeds such a view: the host hides it from
   * the model and only the view calls it.
   */
  ui?: { resourceUri: string; appOnly?: boolean };
  /**
   * Destructive tools only: true when this call cannot lose anything (a restore to a free vmid,
   * stopping a stopped guest), so nobody need be asked. Any doubt (an error) means asking. It
   * reads the client's guest index, nothing else.
   */
  losesNothing?: (
    args: z.output<I>,
    guests: Pick<Inventory, "guest" | "guests">,
  ) => Promise<boolean>;
  handler: (args: z.output<I>, ctx: ToolContext) => Promise<ToolResult<z.input<O>>>;
}

/** Every destructive tool takes `confirm`: the code of the two-step confirmation (no elicitation). */
export const confirmArg = z
  .string()
  .max(64)
  .optional()
  .describe("Code from a first call's structuredContent.confirm, once the user agreed");

/**
 * What a destructive tool answers instead when it needs confirmation first: the code and the
 * impact to show the user (the answer's text says what to do; no description repeats it here).
 */
export const confirmationOutput = {
  confirm: z.string().optional(),
  impact: z.string().optional(),
};

/** A tool as written: `endpoints` are the typed endpoint values its handler calls. */
export interface ToolSpec<
  I extends z.ZodObject,
  O extends z.ZodObject,
  E extends readonly Endpoint[],
> extends Omit<ToolDef<I, O>, "endpoints" | "handler"> {
  endpoints: E;
  handler: (args: z.output<I>, ctx: ToolContext<E[number]>) => Promise<ToolResult<z.input<O>>>;
}

/**
 * `defineTool({...})` ties the handler's types to the schemas and to the declared endpoints,
 * and turns those into the concrete templates the server, `--check-api` and the tests read; the
 * handler gets a client that calls them only. Destructive tools get the `confirm` argument (and
 * the answer that asks for it) here, so no tool can forget it.
 */
export function defineTool<
  I extends z.ZodObject,
  O extends z.ZodObject,
  const E extends readonly Endpoint[],
>(def: ToolSpec<I, O, E>): ToolDef {
  const destructive = def.annotations.destructiveHint;
  const input = destructive ? def.input.extend({ confirm: confirmArg }) : def.input;
  const output = destructive ? def.output.extend(confirmationOutput) : def.output;
  // A tool that takes `wait` starts a Proxmox task: it may run as an MCP task.
  const longRunning = def.longRunning ?? "wait" in def.input.shape;
  const endpoints = endpointRefs(def.endpoints);
  const declared = declarationsOf(endpoints);
  const tool: ToolDef<I, O> = {
    ...def,
    input: input as I,
    output: output as O,
    longRunning,
    endpoints,
    handler: (args, ctx) =>
      def.handler(args, {
        ...ctx,
        pve: limitTo(ctx.pve, def.name, declared),
        api: ctx.api && !def.callerPaths ? readOnlyApi(ctx.api, def.name) : ctx.api,
      }),
  };
  return tool as unknown as ToolDef;
}

export const READ: Annotations = {
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: true,
};

/** A change that can be repeated without harm (start a running guest, set a value). */
export const WRITE_IDEMPOTENT: Annotations = {
  readOnlyHint: false,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: true,
};

/** Creates something new each call. */
export const WRITE: Annotations = {
  readOnlyHint: false,
  destructiveHint: false,
  idempotentHint: false,
  openWorldHint: true,
};

/** Loses state or data: stop, reset, delete, rollback. */
export const DESTRUCTIVE: Annotations = {
  readOnlyHint: false,
  destructiveHint: true,
  idempotentHint: false,
  openWorldHint: true,
};
