// What the console tools share: the target arguments, opening a console for a target (guest by
// vmid, or a node shell), reading its output into a result, and the engine's errors as ToolErrors.

import { z } from "zod";
import {
  ConsoleError,
  type ConsoleRegistry,
  type ConsoleSession,
  type ConsoleTarget,
  describeTarget,
  type WaitEnd,
} from "../pve/console/index.ts";
import {
  CLUSTER_RESOURCES,
  GUEST_TERMPROXY,
  GUEST_VNCWEBSOCKET,
  NODE_TERMPROXY,
  NODE_VNCWEBSOCKET,
} from "../pve/endpoints/index.ts";
import { segment } from "../pve/index.ts";
import { guestType, nodeOptional } from "./args.ts";
import type { ToolContext } from "./define.ts";
import { ToolError } from "./errors.ts";
import { describeGuest, onGuest } from "./guest-ref.ts";

/** The WebSocket a console lives on (typing and reading use nothing else). */
export const WEBSOCKET_ENDPOINTS = [GUEST_VNCWEBSOCKET, NODE_VNCWEBSOCKET] as const;

/** Everything opening a console calls: the inventory, termproxy, then the vncwebsocket. */
export const CONSOLE_ENDPOINTS = [
  CLUSTER_RESOURCES,
  GUEST_TERMPROXY.only("qemu"),
  GUEST_TERMPROXY.only("lxc").sending(),
  NODE_TERMPROXY,
  ...WEBSOCKET_ENDPOINTS,
] as const;

export const sessionArg = z
  .string()
  .min(3)
  .max(80)
  .describe("Console id returned by console_open (e.g. vm100-3fa2c1)");

export const targetArgs = {
  vmid: z.coerce
    .number()
    .int()
    .min(100)
    .max(999_999_999)
    .optional()
    .describe("Guest whose console to open (VM: serial port; container: its console)"),
  node: nodeOptional.describe(
    "Without vmid: open this node's host shell. With vmid: optional, found from the vmid",
  ),
  type: guestType,
  serial: z
    .enum(["serial0", "serial1", "serial2", "serial3"])
    .optional()
    .describe("VMs: which serial port (default serial0; the VM needs `serialN: socket`)"),
};

export interface TargetArgs {
  vmid?: number;
  node?: string;
  type?: "qemu" | "lxc";
  serial?: string;
}

export const promptKind = z
  .enum(["login", "password", "shell", "unknown"])
  .describe("What the console's last line looks like: a login or password prompt, a shell prompt");

export const readFields = {
  session: z.string(),
  output: z.string().describe("New output since the last read, control sequences removed"),
  ended: z
    .enum(["pattern", "quiet", "timeout", "closed", "cancelled"])
    .describe("Why the wait ended"),
  prompt: promptKind,
  more: z.boolean().optional().describe("More unread output remains: read again"),
  dropped_chars: z
    .number()
    .optional()
    .describe("Older unread output lost because the console's buffer was full"),
  closed: z.boolean().optional().describe("The console has ended; nothing more will come"),
  closed_reason: z.string().optional(),
};

/** Runs engine code; its explained failures become ToolErrors. */
export async function consoleCall<T>(fn: () => Promise<T> | T): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof ConsoleError) throw new ToolError(error.message, error.hint);
    throw error;
  }
}

export async function consoleById(ctx: ToolContext<never>, id: string): Promise<ConsoleSession> {
  const session = await consoleCall(() => ctx.consoles.get(id));
  session.touch();
  return session;
}

/** Is this console open and known? (console_send/console_run: covered by console_open's confirmation) */
export function consoleExists(consoles: ConsoleRegistry, id: unknown): boolean {
  if (typeof id !== "string") return false;
  try {
    return consoles.get(id).open;
  } catch {
    return false;
  }
}

/**
 * console_run's confirmation: a console this client opened (and so confirmed) on the same
 * target, or the named one, covers it.
 */
export function coveredByOpenConsole(
  args: { session?: string; vmid?: number; node?: string },
  ctx: ToolContext<never>,
): boolean {
  if (args.session) return consoleExists(ctx.consoles, args.session);
  return ctx.consoles
    .list(ctx.session)
    .some((s) =>
      args.vmid !== undefined
        ? s.target.vmid === args.vmid
        : s.target.kind === "node" && s.target.node === args.node,
    );
}

/** The target of console_open/console_run: a guest (node and type found) or a node shell. */
export async function resolveTarget(
  ctx: ToolContext<typeof CLUSTER_RESOURCES>,
  args: TargetArgs,
): Promise<ConsoleTarget> {
  if (args.vmid === undefined) {
    if (!args.node) {
      throw new ToolError(
        "say which console: vmid for a guest's console, or node (without vmid) for a node shell",
        'e.g. { vmid: 100 } or { node: "pve1" }',
      );
    }
    if (args.type || args.serial) {
      throw new ToolError("type and serial apply to guest consoles: give a vmid with them");
    }
    segment("node", args.node);
    if (!ctx.scope.allowsNode(args.node)) {
      throw new ToolError(
        `node ${args.node} is outside this server's scope (allowed: ${ctx.scope.describe()})`,
      );
    }
    return { kind: "node", node: args.node };
  }
  const vmid = args.vmid;
  return onGuest(ctx, { vmid, node: args.node, type: args.type }, async (guest) => {
    if (guest.type === "lxc" && args.serial) {
      throw new ToolError(
        `${describeGuest(guest)} is a container: it has one console, no serial ports`,
        "Leave out serial.",
      );
    }
    if (guest.status === "stopped") {
      throw new ToolError(
        `${describeGuest(guest)} is stopped: its console shows nothing`,
        "Start it first (start_vm).",
      );
    }
    return {
      kind: guest.type,
      node: guest.node,
      vmid,
      ...(guest.type === "qemu" ? { serial: args.serial ?? "serial0" } : {}),
    };
  });
}

/**
 * Opens a console and waits briefly for its first output. A console that closes at once
 * (VM stopped, no serial port, node unreachable) is an error with what it printed.
 */
export async function openTarget(
  ctx: ToolContext<never>,
  target: ConsoleTarget,
  options: { cols?: number; rows?: number; quietMs: number },
): Promise<{ session: ConsoleSession; first: ReturnType<ConsoleSession["read"]>; ended: WaitEnd }> {
  const session = await consoleCall(() =>
    ctx.consoles.open(target, {
      owner: ctx.session,
      cols: options.cols,
      rows: options.rows,
      signal: ctx.signal,
    }),
  );
  const ended = await session.wait({
    quietMs: options.quietMs,
    timeoutMs: Math.max(options.quietMs * 4, 3000),
    signal: ctx.signal,
  });
  const first = session.read();
  if (!session.open) {
    ctx.consoles.releaseIfDrained(session);
    const said = first.text.trim();
    throw new ToolError(
      `${describeTarget(target)} closed right after it opened${said ? `: ${said}` : ""}`,
      closeHint(said, target),
    );
  }
  return { session, first, ended };
}

function closeHint(said: string, target: ConsoleTarget): string | undefined {
  if (/serial interface .* is not configured|wrong serial type/.test(said)) {
    return `The VM needs a serial port: set ${target.serial ?? "serial0"}: socket (update_vm_config), then power it off and on again; the guest must run a getty on ttyS0 (console=ttyS0 on its kernel command line).`;
  }
  if (/not running/.test(said)) return "Start the guest first.";
  if (/ssh: connect to host/.test(said)) {
    return "The node that answers the API could not reach the target node over SSH: is it offline?";
  }
  return undefined;
}

/** Classifies the console's current last line. */
export function promptOf(line: string): z.infer<typeof promptKind> {
  if (/login:\s*$/i.test(line)) return "login";
  if (/password[^:]*:\s*$/i.test(line)) return "password";
  if (/[#$%>]\s*$/.test(line)) return "shell";
  return "unknown";
}

/** A read as tool output; an ended console whose output is all read is forgotten. */
export function readResult(
  consoles: ConsoleRegistry,
  session: ConsoleSession,
  ended: WaitEnd,
  maxChars?: number,
) {
  const chunk = session.read(maxChars);
  consoles.releaseIfDrained(session);
  return {
    session: session.id,
    output: chunk.text,
    ended,
    prompt: promptOf(session.text.currentLine),
    ...(chunk.more ? { more: true } : {}),
    ...(chunk.dropped > 0 ? { dropped_chars: chunk.dropped } : {}),
    ...(session.open ? {} : { closed: true, closed_reason: session.closedReason }),
  };
}

/** The text rendering of a read: the output itself, then one status line. */
export function readText(data: ReturnType<typeof readResult>): string {
  const status = [
    `[console ${data.session}: ${data.ended}`,
    data.prompt !== "unknown" ? `, at a ${data.prompt} prompt` : "",
    data.more ? ", more output waiting" : "",
    data.dropped_chars ? `, ${data.dropped_chars} older characters dropped` : "",
    data.closed ? `, closed: ${data.closed_reason}` : "",
    "]",
  ].join("");
  return data.output ? `${data.output}${data.output.endsWith("\n") ? "" : "\n"}${status}` : status;
}

/** A user-given regular expression, checked before anything is sent. */
export function userRegex(source: string | undefined, arg: string): RegExp | undefined {
  if (source === undefined) return undefined;
  try {
    return new RegExp(source, "m");
  } catch (error) {
    throw new ToolError(
      `${arg} is not a valid regular expression: ${(error as Error).message}; nothing was sent`,
    );
  }
}
