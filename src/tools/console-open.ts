// Consoles a model can drive: open a guest's serial console, a container's console or a node
// shell (PVE termproxy + vncwebsocket, xterm.js protocol), and close it. Typing and reading are
// in console-io.ts; get_console_url (a link for a person) is in console.ts. The only way into a
// guest without agent or SSH: a hung boot, a broken network, a login prompt.

import { z } from "zod";
import { describeTarget, NODE_SHELL_TOKEN_HINT } from "../pve/console/index.ts";
import {
  CONSOLE_ENDPOINTS,
  consoleById,
  openTarget,
  promptKind,
  promptOf,
  resolveTarget,
  sessionArg,
  targetArgs,
  WEBSOCKET_ENDPOINTS,
} from "./console-common.ts";
import { consoleRead, consoleRun, consoleSend } from "./console-io.ts";
import { DESTRUCTIVE, defineTool, type ToolDef, WRITE_IDEMPOTENT } from "./define.ts";

const openInput = z.strictObject({
  ...targetArgs,
  cols: z.number().int().min(20).max(500).optional().describe("Terminal width (default 160)"),
  rows: z.number().int().min(5).max(200).optional().describe("Terminal height (default 50)"),
  wait_ms: z
    .number()
    .int()
    .min(0)
    .max(10_000)
    .optional()
    .describe("Collect the first output until it is quiet this long (default 500)"),
});

export const consoleOpen = defineTool({
  name: "console_open",
  title: "Open a console",
  toolset: "console",
  description:
    "Opens an interactive console and returns its id and first output: a VM's serial port (vmid; the VM needs `serial0: socket` and a getty on ttyS0), a container's console (vmid), or a node's host shell (node only). " +
    "Then type with console_send and read with console_read (or console_run for one command). This is the step that is confirmed: what is typed into the console afterwards runs with its rights. " +
    "Node shells: only root@pam logging in with a password (ticket) gets a root shell; API tokens and other users get a /bin/login prompt (PVE ≥ 9.0.13) or are refused (older).",
  input: openInput,
  output: z.object({
    session: z
      .string()
      .describe("Console id for console_send, console_read, console_run, console_close"),
    target: z.string(),
    kind: z.enum(["qemu", "lxc", "node"]),
    node: z.string(),
    vmid: z.number().optional(),
    user: z.string().describe("Whom PVE opened it for (user or token id)"),
    auth: z.enum(["ticket", "token"]),
    output: z.string().describe("What the console showed first (control sequences removed)"),
    prompt: promptKind,
    note: z.string().optional(),
  }),
  annotations: DESTRUCTIVE,
  endpoints: CONSOLE_ENDPOINTS,
  async handler(args, ctx) {
    const target = await resolveTarget(ctx, args);
    const { session, first } = await openTarget(ctx, target, {
      cols: args.cols,
      rows: args.rows,
      quietMs: args.wait_ms ?? 500,
    });
    const prompt = promptOf(session.text.currentLine);
    const notes: string[] = [];
    if (target.kind === "node" && session.user !== "root@pam") {
      notes.push(
        `Opened as ${session.user}, not as root@pam with a ticket: PVE shows /bin/login. Log in with console_send (text: user, then secret: password). ${NODE_SHELL_TOKEN_HINT}`,
      );
    }
    if (first.text.trim() === "" && target.kind !== "node") {
      notes.push(
        'Nothing shown yet: a console prints only new output. Send enter (console_send press ["enter"]) to get a fresh prompt.',
      );
    } else if (prompt === "login" && notes.length === 0) {
      notes.push(
        'At a login prompt: console_send text "root" with press ["enter"], then the password as secret (kept out of logs) with press ["enter"].',
      );
    }
    return {
      data: {
        session: session.id,
        target: describeTarget(target),
        kind: target.kind,
        node: target.node,
        ...(target.vmid !== undefined ? { vmid: target.vmid } : {}),
        user: session.user,
        auth: session.via,
        output: first.text,
        prompt,
        ...(notes.length > 0 ? { note: notes.join(" ") } : {}),
      },
    };
  },
});

export const consoleClose = defineTool({
  name: "console_close",
  title: "Close a console",
  toolset: "console",
  description:
    "Closes a console opened with console_open: the connection ends (a node shell's programs get a hangup; a VM behind a serial console keeps running). Consoles unused for 10 minutes close by themselves.",
  input: z.strictObject({ session: sessionArg }),
  output: z.object({
    session: z.string(),
    closed: z.boolean(),
    message: z.string(),
  }),
  annotations: WRITE_IDEMPOTENT,
  endpoints: WEBSOCKET_ENDPOINTS,
  async handler(args, ctx) {
    const session = await consoleById(ctx, args.session).catch(() => undefined);
    if (!session?.open) {
      return {
        data: {
          session: args.session,
          closed: false,
          message: `console ${args.session} is not open${session?.closedReason ? ` (${session.closedReason})` : ""}; nothing to do`,
        },
      };
    }
    session.close();
    return {
      data: { session: args.session, closed: true, message: `console ${args.session} closed` },
    };
  },
});

/** The interactive console tools (get_console_url, for people, lives in console.ts). */
export const consoleSessionTools: ToolDef[] = [
  consoleOpen,
  consoleSend,
  consoleRead,
  consoleRun,
  consoleClose,
];
