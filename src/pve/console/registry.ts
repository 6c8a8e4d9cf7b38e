// The open consoles of one server (made at start, shared by its sessions, handed to the tools in
// ToolContext.consoles). Ids are random (a client cannot guess another's console); each console
// remembers the MCP session that opened it (`owner`) so console_run can reuse its own and a
// closing MCP session can close its consoles. Idle consoles close by themselves. Making one
// loads nothing of the console engine: that loads with the first console opened.

import type { PveClient } from "../client.ts";
import type { ConnectOptions, ConsoleTarget } from "./connect.ts";
import { ConsoleError } from "./errors.ts";
import type { ConsoleSession } from "./session.ts";

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

export const CONSOLE_DEFAULTS: ConsoleSettings = {
  idleMs: 10 * 60_000,
  maxSessions: 16,
  bufferChars: 64 * 1024,
  connectTimeoutMs: 15_000,
};

/** Why recently closed consoles ended, so a late console_read says more than "unknown". */
const ENDED_KEPT = 200;
/** Ended consoles whose last output was not read yet. */
const LINGERING_KEPT = 20;

export interface OpenOptions extends Partial<Pick<ConnectOptions, "cols" | "rows">> {
  owner?: object;
  signal?: AbortSignal;
}

export class ConsoleRegistry {
  readonly settings: ConsoleSettings;
  readonly #pve: () => PveClient;
  readonly #sessions = new Map<string, ConsoleSession>();
  readonly #ended = new Map<string, string>();
  readonly #lingering = new Map<string, ConsoleSession>();

  /** `pve` is the client consoles open through; `settings` change the defaults (tests). */
  constructor(pve: () => PveClient, settings: Partial<ConsoleSettings> = {}) {
    this.#pve = pve;
    this.settings = { ...CONSOLE_DEFAULTS, ...settings };
  }

  async open(target: ConsoleTarget, options: OpenOptions = {}): Promise<ConsoleSession> {
    if (this.#sessions.size >= this.settings.maxSessions) {
      const ids = this.list().map((s) => s.id);
      throw new ConsoleError(
        `too many open consoles (limit ${this.settings.maxSessions}): ${ids.join(", ")}`,
        "Close one with console_close (idle consoles close by themselves).",
      );
    }
    const [{ connectConsole }, { ConsoleSession }] = await Promise.all([
      import("./connect.ts"),
      import("./session.ts"),
    ]);
    const socket = await connectConsole(this.#pve(), target, {
      cols: options.cols ?? 160,
      rows: options.rows ?? 50,
      timeoutMs: this.settings.connectTimeoutMs,
      signal: options.signal,
    });
    const id = this.#newId(target);
    const session = new ConsoleSession(
      id,
      target,
      socket,
      options.owner,
      this.settings.idleMs,
      (s) => this.#closed(s),
      this.settings.bufferChars,
    );
    this.#sessions.set(id, session);
    return session;
  }

  /**
   * The console with this id. A console that ended stays readable until its output is read,
   * then it is gone; an unknown id lists the open ones.
   */
  get(id: string): ConsoleSession {
    const session = this.#sessions.get(id) ?? this.#lingering.get(id);
    if (session) return session;
    const why = this.#ended.get(id);
    if (why) {
      throw new ConsoleError(
        `console ${id} is closed: ${why}`,
        "Open a new one with console_open.",
      );
    }
    const open = this.list().map((s) => s.id);
    throw new ConsoleError(
      `no console ${JSON.stringify(id)}`,
      open.length > 0
        ? `Open consoles: ${open.join(", ")}.`
        : "No console is open; open one with console_open.",
    );
  }

  /** After a read: an ended console whose output is all read is gone for good. */
  releaseIfDrained(session: ConsoleSession): void {
    if (!session.open && !session.text.hasUnread) this.#lingering.delete(session.id);
  }

  list(owner?: object): ConsoleSession[] {
    return [...this.#sessions.values()].filter((s) => owner === undefined || s.owner === owner);
  }

  /** An open console of this owner on the same target, for console_run to reuse. */
  find(owner: object, target: ConsoleTarget): ConsoleSession | undefined {
    return this.list(owner).find(
      (s) =>
        s.target.kind === target.kind &&
        s.target.node === target.node &&
        s.target.vmid === target.vmid &&
        (s.target.serial ?? "serial0") === (target.serial ?? "serial0"),
    );
  }

  /** Closes the consoles an MCP session opened (call when it ends). */
  closeOwnedBy(owner: object, reason = "the MCP session ended"): number {
    const mine = this.list(owner);
    for (const s of mine) s.close(reason);
    return mine.length;
  }

  /** Closes every console (server shutdown). */
  closeAll(reason = "the server is shutting down"): number {
    const all = [...this.#sessions.values()];
    for (const s of all) s.close(reason);
    this.#lingering.clear();
    return all.length;
  }

  #closed(s: ConsoleSession): void {
    this.#sessions.delete(s.id);
    this.#ended.set(s.id, s.closedReason ?? "closed");
    if (this.#ended.size > ENDED_KEPT)
      this.#ended.delete(this.#ended.keys().next().value as string);
    // Its last words (a logout, an error) stay readable until read.
    if (s.text.hasUnread) this.#lingering.set(s.id, s);
    if (this.#lingering.size > LINGERING_KEPT) {
      this.#lingering.delete(this.#lingering.keys().next().value as string);
    }
  }

  #newId(target: ConsoleTarget): string {
    const prefix =
      target.kind === "node"
        ? `${target.node}-shell`
        : `${target.kind === "qemu" ? "vm" : "ct"}${target.vmid}`;
    let id: string;
    // Web Crypto: node:crypto would cost every start ~3 ms to load.
    do id = `${prefix}-${Buffer.from(crypto.getRandomValues(new Uint8Array(3))).toString("hex")}`;
    while (this.#sessions.has(id));
    return id;
  }
}
