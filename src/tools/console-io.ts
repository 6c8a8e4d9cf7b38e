// Typing into a console and reading what it prints: console_send (text, secrets, special keys),
// console_read (until quiet, a pattern, or a timeout) and console_run (one command line, up to
// the next prompt). Sends are destructive-capable; a console whose console_open was confirmed
// covers them (see confirmedBy), so a session is confirmed once, not per keystroke.

import { z } from "zod";
import {
  type ConsoleRegistry,
  type ConsoleSession,
  KEY_NAMES,
  keySequence,
  typed,
  type WaitEnd,
} from "../pve/console/index.ts";
import {
  CONSOLE_ENDPOINTS,
  consoleById,
  consoleCall,
  consoleExists,
  coveredByOpenConsole,
  openTarget,
  promptKind,
  promptOf,
  readFields,
  readResult,
  readText,
  resolveTarget,
  sessionArg,
  targetArgs,
  userRegex,
  WEBSOCKET_ENDPOINTS,
} from "./console-common.ts";
import { DESTRUCTIVE, defineTool, WRITE } from "./define.ts";
import { ToolError } from "./errors.ts";

const sendInput = z.strictObject({
  session: sessionArg,
  text: z.string().max(16_384).optional().describe("Text to type; each newline is the Enter key"),
  secret: z
    .string()
    .max(1024)
    .optional()
    .describe(
      "Typed after text like text, but never logged, audited or shown (a password at a prompt)",
    ),
  press: z
    .array(z.enum(KEY_NAMES))
    .max(64)
    .optional()
    .describe(
      "Special keys pressed after text and secret, in order (ctrl-c interrupts, ctrl-d ends input, ctrl-z suspends)",
    ),
});

export const consoleSend = defineTool({
  name: "console_send",
  title: "Type into a console",
  toolset: "console",
  description:
    "Types into an open console: text (newline = Enter), then secret (a password: kept out of logs, the audit log and later output), then special keys (press). Returns at once; read the answer with console_read. Whatever is typed runs with the console's rights.",
  input: sendInput,
  output: z.object({
    session: z.string(),
    sent_bytes: z.number(),
    keys: z.array(z.string()).optional(),
  }),
  annotations: DESTRUCTIVE,
  endpoints: WEBSOCKET_ENDPOINTS,
  confirmedBy: (args, ctx) => consoleExists(ctx.consoles, (args as { session?: unknown }).session),
  async handler(args, ctx) {
    if (!args.text && !args.secret && (args.press ?? []).length === 0) {
      throw new ToolError("nothing to send: give text, secret or press; nothing was sent");
    }
    const session = await consoleById(ctx, args.session);
    const input =
      typed(args.text ?? "") + (args.secret ?? "") + (args.press ?? []).map(keySequence).join("");
    const sent = await consoleCall(() => session.send(input, args.secret ? [args.secret] : []));
    return {
      data: {
        session: session.id,
        sent_bytes: sent,
        ...(args.press && args.press.length > 0 ? { keys: args.press } : {}),
      },
    };
  },
});

const readInput = z.strictObject({
  session: sessionArg,
  until: z
    .string()
    .min(1)
    .max(500)
    .optional()
    .describe(
      'Regular expression (multiline): return as soon as the unread output matches, e.g. "[#$] $" or "login: $"',
    ),
  quiet_ms: z
    .number()
    .int()
    .min(0)
    .max(60_000)
    .optional()
    .describe("Without until: return once no output came for this long (default 500)"),
  timeout_ms: z
    .number()
    .int()
    .min(0)
    .max(300_000)
    .optional()
    .describe("Return after this long at the latest (default 10000)"),
  max_chars: z
    .number()
    .int()
    .min(100)
    .max(100_000)
    .optional()
    .describe("Return at most this much output; the rest stays unread (default 16000)"),
});

export const consoleRead = defineTool({
  name: "console_read",
  title: "Read a console",
  toolset: "console",
  description:
    "Returns the console's new output (terminal control sequences removed) after waiting until it is quiet for quiet_ms, the until pattern appears, or timeout_ms passes; says why it returned and whether the last line is a login, password or shell prompt.",
  input: readInput,
  output: z.object(readFields),
  // Not read-only: it moves the console's read cursor (a second read returns other output).
  annotations: WRITE,
  endpoints: WEBSOCKET_ENDPOINTS,
  async handler(args, ctx) {
    const until = userRegex(args.until, "until");
    const session = await consoleById(ctx, args.session);
    const data = await consoleCall(() =>
      session.exclusive(async () => {
        const ended = await session.wait({
          until: until ? (unread) => until.test(unread) : undefined,
          quietMs: args.quiet_ms ?? 500,
          timeoutMs: args.timeout_ms ?? 10_000,
          signal: ctx.signal,
        });
        return readResult(ctx.consoles, session, ended, args.max_chars ?? 16_000);
      }),
    );
    return { data, text: readText(data) };
  },
});

/** The last line of a shell, login or continuation prompt. */
const READY = /(?:[#$%>]|login:|[Pp]assword:)\s*$/;
/** After the prompt appears, output must stay quiet this long (a `$` inside output is not one). */
const SETTLE_MS = 150;

const runInput = z.strictObject({
  session: sessionArg
    .optional()
    .describe("Console to use; without it one is found or opened for the target"),
  ...targetArgs,
  command: z
    .string()
    .min(1)
    .max(4096)
    .refine((c) => !/[\r\n]/.test(c), "one line: no newlines")
    .describe("One command line, typed and followed by Enter"),
  prompt: z
    .string()
    .min(1)
    .max(500)
    .optional()
    .describe(
      "Regular expression the prompt line matches when the command is done (default: ends with #, $, %, >, login: or Password:)",
    ),
  timeout_ms: z
    .number()
    .int()
    .min(100)
    .max(300_000)
    .optional()
    .describe("Wait at most this long for the prompt (default 30000)"),
  max_chars: z
    .number()
    .int()
    .min(100)
    .max(100_000)
    .optional()
    .describe("Output cap (default 16000)"),
});

export const consoleRun = defineTool({
  name: "console_run",
  title: "Run a command in a console",
  toolset: "console",
  description:
    "Types one command line into a console and returns its output once the prompt is back (or at the timeout). Uses the given session, else this client's open console of the target (vmid, or node for a node shell), else opens one. Refuses at a login prompt: log in with console_send first.",
  input: runInput,
  output: z.object({
    session: z.string(),
    opened: z.boolean().describe("A console was opened for this call (it stays open)"),
    command: z.string(),
    output: z.string().describe("What the command printed (its echo and the final prompt removed)"),
    prompt_line: z.string().describe("The console's last line when the call returned"),
    prompt: promptKind,
    ended: z.enum(["pattern", "quiet", "timeout", "closed", "cancelled"]),
    earlier_output: z.string().optional().describe("Unread output from before the command"),
    closed: z.boolean().optional(),
    note: z.string().optional(),
  }),
  annotations: DESTRUCTIVE,
  endpoints: CONSOLE_ENDPOINTS,
  confirmedBy: (args, ctx) => coveredByOpenConsole(args, ctx),
  async handler(args, ctx) {
    const ready = userRegex(args.prompt, "prompt") ?? READY;
    const hasTarget = args.vmid !== undefined || args.node !== undefined;
    if (args.session && hasTarget) {
      throw new ToolError("give session or a target (vmid/node), not both; nothing was sent");
    }
    let session: ConsoleSession;
    let opened = false;
    if (args.session) session = await consoleById(ctx, args.session);
    else {
      const target = await resolveTarget(ctx, args);
      const existing = ctx.consoles.find(ctx.session, target);
      if (existing) {
        session = existing;
        existing.touch();
      } else {
        session = (await openTarget(ctx, target, { quietMs: 300 })).session;
        opened = true;
      }
    }
    const data = await consoleCall(() =>
      session.exclusive(() => run(ctx.consoles, session, args, ready, opened, ctx.signal)),
    );
    return { data, text: runText(data) };
  },
});

async function run(
  consoles: ConsoleRegistry,
  session: ConsoleSession,
  args: { command: string; timeout_ms?: number; max_chars?: number },
  ready: RegExp,
  opened: boolean,
  signal: AbortSignal,
) {
  const deadline = Date.now() + (args.timeout_ms ?? 30_000);
  const earlier = session.read().text;
  if (opened && session.text.currentLine.trim() === "") {
    // A serial console shows only new output: wake it to see what it is at.
    session.send("\r");
    await session.wait({ until: (_, t) => ready.test(t.currentLine), timeoutMs: 3000, signal });
    session.read();
  }
  const at = promptOf(session.text.currentLine);
  if (at === "login" || at === "password") {
    throw new ToolError(
      `console ${session.id} is at a ${at} prompt; the command was not typed`,
      `Log in first: console_send (session "${session.id}") text "root" with press ["enter"], then the password as secret with press ["enter"]; then console_run again with that session.`,
    );
  }
  const mark = session.text.lines;
  session.send(`${typed(args.command)}\r`);
  const done = (t: ConsoleSession["text"]) => t.lines > mark && ready.test(t.currentLine);
  let ended: WaitEnd = "timeout";
  while (Date.now() < deadline) {
    ended = await session.wait({
      until: (_, t) => done(t),
      timeoutMs: deadline - Date.now(),
      signal,
    });
    if (ended !== "pattern") break;
    const settle = await session.wait({
      quietMs: SETTLE_MS,
      timeoutMs: Math.max(1, Math.min(deadline - Date.now(), SETTLE_MS * 4)),
      signal,
    });
    if (settle === "cancelled" || settle === "closed") {
      ended = settle;
      break;
    }
    if (done(session.text)) break;
    ended = "timeout";
  }
  const chunk = session.read(args.max_chars ?? 16_000);
  consoles.releaseIfDrained(session);
  const lines = chunk.text.split("\n");
  const promptLine = session.text.currentLine;
  // The last element is the unfinished prompt line; the first, the command's own echo.
  if (lines.length > 1 && lines[lines.length - 1] === promptLine) lines.pop();
  else if (lines.length === 1 && lines[0] === promptLine) lines.pop();
  if (lines.length > 0 && (lines[0] ?? "").trimEnd().endsWith(args.command.trim())) lines.shift();
  const output = lines.join("\n");
  const finished = ended === "pattern";
  return {
    session: session.id,
    opened,
    command: args.command,
    output: output === "" || output.endsWith("\n") || !finished ? output : `${output}\n`,
    prompt_line: promptLine,
    prompt: promptOf(promptLine),
    ended,
    ...(earlier.trim() !== "" ? { earlier_output: earlier } : {}),
    ...(session.open ? {} : { closed: true }),
    ...(finished
      ? {}
      : {
          note:
            ended === "timeout"
              ? 'No prompt yet: the command may still run. Read on with console_read, or interrupt it with console_send press ["ctrl-c"].'
              : `The console ${ended === "closed" ? `closed: ${session.closedReason}` : "wait was cancelled"}.`,
        }),
  };
}

function runText(data: Awaited<ReturnType<typeof run>>): string {
  const status = `[console ${data.session}: ${data.ended}${data.prompt !== "unknown" ? `, at a ${data.prompt} prompt` : ""}${data.note ? `; ${data.note}` : ""}]`;
  return `${data.output}${data.output && !data.output.endsWith("\n") ? "\n" : ""}${data.prompt_line}\n${status}`;
}
