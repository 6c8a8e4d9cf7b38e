// One open console: the WebSocket, its output rendered into a bounded text buffer, the waits of
// console_read (quiet, pattern, timeout), keep-alive pings and the idle timer.

import { type ConsoleSocket, type ConsoleTarget, toBytes } from "./connect.ts";
import { ConsoleError } from "./errors.ts";
import { dataFrame, PING_FRAME, PING_INTERVAL_MS } from "./protocol.ts";
import { type ReadChunk, TerminalText } from "./terminal-text.ts";

export type WaitEnd = "pattern" | "quiet" | "timeout" | "closed" | "cancelled";

export interface WaitOptions {
  /** Ends the wait when it is true of the unread output. */
  until?: (unread: string, text: TerminalText) => boolean;
  /** Ends the wait after this long without new output (ignored when `until` is given). */
  quietMs?: number;
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface SessionInfo {
  session: string;
  target: ConsoleTarget;
  user: string;
  opened_at: string;
}

export class ConsoleSession {
  readonly text: TerminalText;
  readonly openedAt = new Date();
  /** Why the console ended (shell exited, idle, closed by a tool, server shutdown). */
  closedReason?: string;
  lastOutputAt = Date.now();
  readonly #socket: ConsoleSocket;
  readonly #secrets = new Set<string>();
  readonly #listeners = new Set<() => void>();
  readonly #ping: ReturnType<typeof setInterval>;
  #idle?: ReturnType<typeof setTimeout>;
  #busy = false;

  constructor(
    readonly id: string,
    readonly target: ConsoleTarget,
    socket: ConsoleSocket,
    readonly owner: object | undefined,
    private readonly idleMs: number,
    private readonly onClosed: (session: ConsoleSession) => void,
    bufferChars?: number,
  ) {
    this.#socket = socket;
    this.text = new TerminalText(bufferChars);
    const { ws } = socket;
    ws.onmessage = (event) => this.#output(toBytes(event.data));
    // termproxy drops the connection without a close frame when its program exits (1006), the
    // same as a lost connection: the reason cannot tell them apart.
    ws.onclose = (event) =>
      this.#ended(
        `the console ended: its program exited or the connection dropped (code ${event.code})`,
      );
    ws.onerror = () => {};
    if (socket.initial.length > 0) this.#output(socket.initial);
    this.#ping = setInterval(() => this.#write(PING_FRAME), PING_INTERVAL_MS);
    this.#ping.unref?.();
    this.touch();
  }

  get user(): string {
    return this.#socket.user;
  }
  get via(): "ticket" | "token" {
    return this.#socket.via;
  }
  get upid(): string | undefined {
    return this.#socket.upid;
  }
  get open(): boolean {
    return this.closedReason === undefined;
  }

  info(): SessionInfo {
    return {
      session: this.id,
      target: this.target,
      user: this.user,
      opened_at: this.openedAt.toISOString(),
    };
  }

  /** Restarts the idle timer: every tool call on the session counts as use. */
  touch(): void {
    if (this.#idle) clearTimeout(this.#idle);
    if (!this.open) return;
    this.#idle = setTimeout(
      () => this.close(`closed after ${duration(this.idleMs)} without use`),
      this.idleMs,
    );
    this.#idle.unref?.();
  }

  /** Types `input` (already translated: Enter is CR). `secret` parts are kept out of output. */
  send(input: string, secrets: readonly string[] = []): number {
    if (!this.open) throw this.closedError();
    for (const s of secrets) if (s.length >= 3) this.#secrets.add(s);
    if (input.length === 0) return 0;
    this.#write(dataFrame(input));
    return new TextEncoder().encode(input).length;
  }

  /**
   * Serialises waits: two reads at once would split the output between them unpredictably.
   * The callback runs with the session to itself.
   */
  async exclusive<T>(fn: () => Promise<T>): Promise<T> {
    if (this.#busy) {
      throw new ConsoleError(
        `console ${this.id} is busy: another call is waiting on it`,
        "Wait for that call to return (or cancel it), then read again.",
      );
    }
    this.#busy = true;
    try {
      return await fn();
    } finally {
      this.#busy = false;
      this.touch();
    }
  }

  /** Waits until `until` holds, output is quiet, the timeout passes, or the console ends. */
  wait(options: WaitOptions): Promise<WaitEnd> {
    const started = Date.now();
    return new Promise<WaitEnd>((resolve) => {
      let quietTimer: ReturnType<typeof setTimeout> | undefined;
      const check = (): WaitEnd | undefined => {
        if (options.signal?.aborted) return "cancelled";
        if (options.until?.(this.text.peek(), this.text)) return "pattern";
        if (!this.open) return "closed";
        return undefined;
      };
      const armQuiet = () => {
        if (options.until || options.quietMs === undefined) return;
        if (quietTimer) clearTimeout(quietTimer);
        const since = Math.max(this.lastOutputAt, started);
        const left = Math.max(0, since + options.quietMs - Date.now());
        quietTimer = setTimeout(() => finish("quiet"), left);
      };
      const listener = () => {
        const end = check();
        if (end) finish(end);
        else armQuiet();
      };
      const timeout = setTimeout(() => finish("timeout"), options.timeoutMs);
      const onAbort = () => finish("cancelled");
      const finish = (end: WaitEnd) => {
        clearTimeout(timeout);
        if (quietTimer) clearTimeout(quietTimer);
        this.#listeners.delete(listener);
        options.signal?.removeEventListener("abort", onAbort);
        resolve(end);
      };
      const first = check();
      if (first) {
        clearTimeout(timeout);
        resolve(first);
        return;
      }
      this.#listeners.add(listener);
      options.signal?.addEventListener("abort", onAbort, { once: true });
      armQuiet();
    });
  }

  /** Unread output with every secret typed into this console replaced by ***. */
  read(maxChars?: number): ReadChunk {
    const chunk = this.text.read(maxChars);
    return { ...chunk, text: this.scrub(chunk.text) };
  }

  scrub(text: string): string {
    let out = text;
    for (const s of this.#secrets) out = out.split(s).join("***");
    return out;
  }

  close(reason = "closed by console_close"): void {
    if (!this.open) return;
    this.#ended(reason);
    try {
      this.#socket.ws.close(1000);
    } catch {
      // already closing
    }
  }

  closedError(): ConsoleError {
    return new ConsoleError(
      `console ${this.id} is closed: ${this.closedReason}`,
      "Open a new one with console_open.",
    );
  }

  #write(frame: string): void {
    if (this.#socket.ws.readyState !== WebSocket.OPEN) return;
    this.#socket.ws.send(frame);
  }

  #output(bytes: Uint8Array): void {
    this.text.write(bytes);
    this.lastOutputAt = Date.now();
    for (const l of [...this.#listeners]) l();
  }

  #ended(reason: string): void {
    if (!this.open) return;
    this.closedReason = reason;
    clearInterval(this.#ping);
    if (this.#idle) clearTimeout(this.#idle);
    this.onClosed(this);
    for (const l of [...this.#listeners]) l();
  }
}

const duration = (ms: number): string =>
  ms >= 60_000 ? `${Math.round(ms / 60_000)} min` : `${Math.round(ms / 1000)} s`;
