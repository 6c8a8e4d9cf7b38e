// The live MCP sessions of the HTTP server, whatever their transport: one SDK Server each (built
// by buildServer, sharing the one Proxmox client), behind a TrackedTransport.

import type { Server } from "@modelcontextprotocol/sdk/server/index.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import { buildServer } from "./build.ts";
import { log } from "./log.ts";
import type { ServerOptions } from "./options.ts";
import { TrackedTransport } from "./tracked-transport.ts";

export type SessionKind = "streamable" | "stateless" | "sse";

export interface Session<T extends Transport = Transport> {
  readonly kind: SessionKind;
  readonly server: Server;
  readonly transport: TrackedTransport<T>;
}

/** Builds a server for `inner` and connects it; `onClosed` runs once the transport closes. */
export async function openSession<T extends Transport>(
  kind: SessionKind,
  options: ServerOptions,
  inner: T,
  onClosed: () => void,
): Promise<Session<T>> {
  const server = buildServer(options);
  const transport = new TrackedTransport(inner);
  transport.onclose = onClosed; // the SDK's Protocol keeps it and calls it before its own
  transport.onerror = (error) => log.debug(`${kind} transport: ${error.message}`);
  await server.connect(transport);
  return { kind, server, transport };
}

/** Beyond this many open sessions a new one is refused (503) rather than exhaust memory. */
const MAX_SESSIONS = 10_000;

export class Sessions {
  readonly #byKey = new Map<string, Session>();

  get full(): boolean {
    return this.#byKey.size >= MAX_SESSIONS;
  }

  add(key: string, session: Session): void {
    this.#byKey.set(key, session);
  }

  get(key: string): Session | undefined {
    return this.#byKey.get(key);
  }

  delete(key: string): void {
    this.#byKey.delete(key);
  }

  count(kind?: SessionKind): number {
    if (!kind) return this.#byKey.size;
    let n = 0;
    for (const s of this.#byKey.values()) if (s.kind === kind) n++;
    return n;
  }

  inflight(): number {
    let n = 0;
    for (const s of this.#byKey.values()) n += s.transport.inflight;
    return n;
  }

  /** Resolves when no session has an unanswered request (new ones may still arrive). */
  async settled(): Promise<void> {
    while (this.inflight() > 0) {
      await Promise.all([...this.#byKey.values()].map((s) => s.transport.settled()));
    }
  }

  /** Closes sessions of `kind` with no open request and nothing done for `idleMs`. */
  closeIdle(kind: SessionKind, idleMs: number, now = Date.now()): number {
    let closed = 0;
    for (const s of [...this.#byKey.values()]) {
      if (s.kind !== kind || s.transport.inflight > 0) continue;
      if (now - s.transport.lastActivity < idleMs) continue;
      closed++;
      void s.server.close().catch(() => {});
    }
    return closed;
  }

  async closeAll(): Promise<void> {
    const all = [...this.#byKey.values()];
    await Promise.all(all.map((s) => s.server.close().catch(() => {})));
    this.#byKey.clear();
  }
}
