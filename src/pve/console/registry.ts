// The open consoles of this process. Ids are random (a client cannot guess another's console);
// each console remembers the MCP session that opened it (`owner`) so console_run can reuse its
// own and a closing MCP session can close its consoles. Idle consoles close by themselves.

import { randomBytes } from "node:crypto";
import type { PveClient } from "../client.ts";
import { type ConnectOptions, type ConsoleTarget, connectConsole } from "./connect.ts";
import { ConsoleError } from "./errors.ts";
import { registerConsoleClosers } from "./lifecycle.ts";
import { ConsoleSession } from "./session.ts";

export interface ConsoleSettings {
  /** A console unused this long closes (default 10 min). */
  idleMs: number;
  /** Open consoles at most, across all MCP sessions. */
  maxSessions: number;
  /** Characters of unread output kept per console. */
  bufferChars: number;
  /** Per connection step (termproxy, upgrade, OK). */
  connectTimeoutMs: number;
}

const DEFAULTS: ConsoleSettings = {
  idleMs: 10 * 60_000,
  maxSessions: 16,
  bufferChars: 64 * 1024,
  connectTimeoutMs: 15_000,
};

let settings: ConsoleSettings = { ...DEFAULTS };
const sessions = new Map<string, ConsoleSession>();
/** Why recently closed consoles ended, so a late console_read says more than "unknown". */
const ended = new Map<string, string>();
const ENDED_KEPT = 200;
/** Ended consoles whose last output was not read yet. */
const lingering = new Map<string, ConsoleSession>();
const LINGERING_KEPT = 20;

/** Changes the limits (tests use short idle times; a setting may come later). */
export function configureConsoles(change: Partial<ConsoleSettings>): ConsoleSettings {
  settings = { ...settings, ...change };
  return settings;
}

export function resetConsoleSettings(): void {
  settings = { ...DEFAULTS };
}

export interface OpenOptions extends Partial<Pick<ConnectOptions, "cols" | "rows">> {
  owner?: object;
  signal?: AbortSignal;
}

export async function openConsole(
  pve: PveClient,
  target: ConsoleTarget,
  options: OpenOptions = {},
): Promise<ConsoleSession> {
  if (openCount() >= settings.maxSessions) {
    const ids = listConsoles().map((s) => s.id);
    throw new ConsoleError(
      `too many open consoles (limit ${settings.maxSessions}): ${ids.join(", ")}`,
      "Close one with console_close (idle consoles close by themselves).",
    );
  }
  const socket = await connectConsole(pve, target, {
    cols: options.cols ?? 160,
    rows: options.rows ?? 50,
    timeoutMs: settings.connectTimeoutMs,
    signal: options.signal,
  });
  const id = newId(target);
  const session = new ConsoleSession(
    id,
    target,
    socket,
    options.owner,
    settings.idleMs,
    (s) => {
      sessions.delete(s.id);
      ended.set(s.id, s.closedReason ?? "closed");
      if (ended.size > ENDED_KEPT) ended.delete(ended.keys().next().value as string);
      // Its last words (a logout, an error) stay readable until read.
      if (s.text.hasUnread) lingering.set(s.id, s);
      if (lingering.size > LINGERING_KEPT)
        lingering.delete(lingering.keys().next().value as string);
    },
    settings.bufferChars,
  );
  sessions.set(id, session);
  return session;
}

/**
 * The console with this id. A console that ended stays readable until its output is read, then
 * it is gone; an unknown id lists the open ones.
 */
export function getConsole(id: string): ConsoleSession {
  const session = sessions.get(id) ?? lingering.get(id);
  if (session) return session;
  const why = ended.get(id);
  if (why) {
    throw new ConsoleError(`console ${id} is closed: ${why}`, "Open a new one with console_open.");
  }
  const open = listConsoles().map((s) => s.id);
  throw new ConsoleError(
    `no console ${JSON.stringify(id)}`,
    open.length > 0
      ? `Open consoles: ${open.join(", ")}.`
      : "No console is open; open one with console_open.",
  );
}

/** After a read: an ended console whose output is all read is gone for good. */
export function releaseIfDrained(session: ConsoleSession): void {
  if (!session.open && !session.text.hasUnread) lingering.delete(session.id);
}

export function listConsoles(owner?: object): ConsoleSession[] {
  return [...sessions.values()].filter((s) => owner === undefined || s.owner === owner);
}

export function openCount(): number {
  return sessions.size;
}

/** An open console of this owner on the same target, for console_run to reuse. */
export function findConsole(owner: object, target: ConsoleTarget): ConsoleSession | undefined {
  return listConsoles(owner).find(
    (s) =>
      s.target.kind === target.kind &&
      s.target.node === target.node &&
      s.target.vmid === target.vmid &&
      (s.target.serial ?? "serial0") === (target.serial ?? "serial0"),
  );
}

/** Closes the consoles an MCP session opened (call when it ends). */
export function closeConsolesOf(owner: object, reason = "the MCP session ended"): number {
  const mine = listConsoles(owner);
  for (const s of mine) s.close(reason);
  return mine.length;
}

/** Closes every console (server shutdown). */
export function closeAllConsoles(reason = "the server is shutting down"): number {
  const all = [...sessions.values()];
  for (const s of all) s.close(reason);
  lingering.clear();
  return all.length;
}

function newId(target: ConsoleTarget): string {
  const prefix =
    target.kind === "node"
      ? `${target.node}-shell`
      : `${target.kind === "qemu" ? "vm" : "ct"}${target.vmid}`;
  let id: string;
  do id = `${prefix}-${randomBytes(3).toString("hex")}`;
  while (sessions.has(id));
  return id;
}

registerConsoleClosers({ owned: closeConsolesOf, all: closeAllConsoles });
