// The live MCP sessions of the HTTP server, whatever their transport: one SDK Server each (built
// by buildServer, sharing the one Proxmox client), behind a TrackedTransport. Bounded: at most
// `max` sessions in all and `perClient` per client (its address and the token it presented),
// so one client cannot take the server's memory; past either a new session is refused (503).

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

export interface SessionLimits {
  /** Open sessions in all (stateless requests in flight count as sessions). */
  max: number;
  /** Open sessions of one client. */
  perClient: number;
}

export class Sessions {
  readonly #byKey = new Map<string, { session: Session; client: string }>();
  readonly #perClient = new Map<string, number>();

  constructor(readonly limits: SessionLimits = { max: 1000, perClient: 100 }) {}

  /** Why a new session of `client` is refused now; undefined when it may open one. */
  refusal(client: string): string | undefined {
    if (this.#byKey.size >= this.limits.max) {
      return `Too many open sessions (${this.limits.max}); retry later`;
    }
    if ((this.#perClient.get(client) ?? 0) >= this.limits.perClient) {
      return `Too many open sessions from this client (${this.limits.perClient}); end unused ones (DELETE /mcp) or retry later`;
    }
    return undefined;
  }

  add(key: string, session: Session, client: string): void {
    if (this.#byKey.has(key)) return;
    this.#byKey.set(key, { session, client });
    this.#perClient.set(client, (this.#perClient.get(client) ?? 0) + 1);
  }

  get(key: string): Session | undefined {
    return this.#byKey.get(key)?.session;
  }

  delete(key: string): void {
    const entry = this.#byKey.get(key);
    if (!entry) return;
    this.#byKey.delete(key);
    const left = (this.#perClient.get(entry.client) ?? 1) - 1;
    if (left > 0) this.#perClient.set(entry.client, left);
    else this.#perClient.delete(entry.client);
  }

  count(kind?: SessionKind): number {
    if (!kind) return this.#byKey.size;
    let n = 0;
    for (const { session } of this.#byKey.values()) if (session.kind === kind) n++;
    return n;
  }

  inflight(): number {
    let n = 0;
    for (const { session } of this.#byKey.values()) n += session.transport.inflight;
    return n;
  }

  /** Resolves when no session has an unanswered request (new ones may still arrive). */
  async settled(): Promise<void> {
    while (this.inflight() > 0) {
      await Promise.all([...this.#byKey.values()].map((e) => e.session.transport.settled()));
    }
  }

  /** Closes sessions (stateless ones close themselves) with no open request and nothing done for `idleMs`. */
  closeIdle(idleMs: number, now = Date.now()): number {
    let closed = 0;
    for (const { session } of [...this.#byKey.values()]) {
      if (session.kind === "stateless" || session.transport.inflight > 0) continue;
      if (now - session.transport.lastActivity < idleMs) continue;
      closed++;
      void session.server.close().catch(() => {});
    }
    return closed;
  }

  async closeAll(): Promise<void> {
    const all = [...this.#byKey.values()];
    await Promise.all(all.map((e) => e.session.server.close().catch(() => {})));
    this.#byKey.clear();
    this.#perClient.clear();
  }
}
