// The Proxmox VE API client: every call goes through `request`, which holds it against the
// scope (the guard), announces a write to the audit hook before it leaves, adds auth, decodes
// `{"data": …}`, turns failures into typed errors, re-logs in once on 401, retries only reads,
// and drops the rows of a read's answer that lie outside the scope.

import { type Authenticator, TicketAuth, TokenAuth } from "./auth.ts";
import { callLog } from "./call-log.ts";
import {
  type AnswerOf,
  type CallArgs,
  type Endpoint,
  type EndpointCaller,
  resolveCall,
} from "./endpoint.ts";
import { PveConnectionError, PveError } from "./errors.ts";
import type { ScopeGuard } from "./guard/index.ts";
import { Inventory } from "./inventory.ts";
import type { RequestAudit } from "./request-audit.ts";
import type { Resource } from "./resources.ts";
import { type Scope, UNRESTRICTED } from "./scope.ts";
import {
  createTransport,
  type Params,
  type Send,
  type TransportOptions,
  tlsOptions,
} from "./transport.ts";

export type Method = "GET" | "POST" | "PUT" | "DELETE";

export interface ClientLog {
  debug(message: string): void;
  /** Something the MCP client's user should see (renewed ticket, offline node, slow task). */
  notice(message: string): void;
}

export interface ClientOptions extends TransportOptions {
  user: string;
  password?: string;
  tokenName?: string;
  tokenValue?: string;
  /** Second wall of read-only mode: refuse anything but GET before it leaves. */
  readOnly?: boolean;
  /** What may be touched (allowed_* settings): every request is held against it. */
  scope?: Scope;
  /** Told of every mutating request before it leaves, and of its outcome. */
  audit?: RequestAudit;
  /** How long the guest index is reused (default INVENTORY_TTL_MS). */
  inventoryTtlMs?: number;
  log?: ClientLog;
}

export interface RequestOptions {
  signal?: AbortSignal;
  /** The template the path was built from, when the call came through `call()`. */
  endpoint?: { method: Method; path: string };
}

/** Statuses worth one more try for an idempotent read: node unreachable or busy. */
const TRANSIENT = new Set([502, 503, 595, 596]);
const READ_RETRY_DELAY_MS = 300;

export class PveClient implements EndpointCaller {
  readonly auth: Authenticator;
  readonly origin: string;
  /** The TLS options of every request, for a GET outside /api2/json (see api-schema.ts). */
  readonly tls: ReturnType<typeof tlsOptions>;
  readonly #send: Send;
  readonly #readOnly: boolean;
  readonly #log: ClientLog;
  readonly #options: ClientOptions;
  /** Loaded with the first request: a session that only lists tools needs none of its code. */
  #guard?: Promise<ScopeGuard>;
  readonly #audit?: RequestAudit;
  #ticketTwin?: PveClient;
  /** What this client may touch; the same for every caller. */
  readonly scope: Scope;
  /** The guest index behind vmid-only lookups and the guard (shared with the ticket twin). */
  readonly inventory: Inventory;

  constructor(options: ClientOptions, shared?: { inventory: Inventory }) {
    this.#options = options;
    this.scope = options.scope ?? UNRESTRICTED;
    this.#audit = options.audit;
    // The guard's own view: the whole inventory, fetched past the guard's filter.
    this.inventory =
      shared?.inventory ??
      new Inventory(
        () => this.#perform<Resource[]>("GET", "/cluster/resources", { type: "vm" }),
        options.inventoryTtlMs,
      );
    this.origin = options.origin;
    this.tls = tlsOptions(options);
    this.#send = createTransport(options);
    this.#readOnly = options.readOnly ?? false;
    this.#log = options.log ?? { debug: () => {}, notice: () => {} };
    this.auth =
      options.tokenName && options.tokenValue
        ? new TokenAuth(options.user, options.tokenName, options.tokenValue)
        : new TicketAuth(options.user, options.password ?? "", this.#send, (m) => {
            this.#log.notice(m);
            callLog()?.line("warning", m);
          });
  }

  /**
   * A client with ticket auth, for the calls PVE refuses to API tokens (node shells): this one
   * when it already uses a ticket, a twin logging in with the configured password, or none.
   */
  ticketClient(): PveClient | undefined {
    if (this.auth.kind === "ticket") return this;
    if (!this.#options.password) return undefined;
    this.#ticketTwin ??= new PveClient(
      { ...this.#options, tokenName: undefined, tokenValue: undefined },
      { inventory: this.inventory },
    );
    return this.#ticketTwin;
  }

  /** Calls a typed endpoint: the path from its template (segments checked), its params only. */
  call<X extends Endpoint>(
    endpoint: X,
    args: CallArgs<X>,
    options: RequestOptions = {},
  ): Promise<AnswerOf<X>> {
    const c = resolveCall(endpoint, args);
    return this.request(c.method, c.path, c.params, {
      ...options,
      endpoint: { method: c.method, path: c.template },
    });
  }

  /** Holds a request against the scope without sending it (a console's WebSocket upgrade). */
  async admit(method: Method, path: string, params?: Params): Promise<void> {
    return (await this.#scopeGuard()).admit(method, path, params);
  }

  #scopeGuard(): Promise<ScopeGuard> {
    this.#guard ??= import("./guard/index.ts").then(
      (m) => new m.ScopeGuard(this.scope, this.inventory),
    );
    return this.#guard;
  }

  get<T = unknown>(path: string, params?: Params, options?: RequestOptions): Promise<T> {
    return this.request<T>("GET", path, params, options);
  }
  post<T = unknown>(path: string, params?: Params, options?: RequestOptions): Promise<T> {
    return this.request<T>("POST", path, params, options);
  }
  put<T = unknown>(path: string, params?: Params, options?: RequestOptions): Promise<T> {
    return this.request<T>("PUT", path, params, options);
  }
  delete<T = unknown>(path: string, params?: Params, options?: RequestOptions): Promise<T> {
    return this.request<T>("DELETE", path, params, options);
  }

  async request<T = unknown>(
    method: Method,
    path: string,
    params?: Params,
    options: RequestOptions = {},
  ): Promise<T> {
    const write = method !== "GET";
    const audited = { method, path, params };
    try {
      if (this.#readOnly && write) {
        throw new PveConnectionError(
          `read-only mode: ${method} ${path} was not sent`,
          method,
          path,
          "The server runs with --read-only; only reads reach Proxmox.",
        );
      }
      await this.admit(method, path, params);
    } catch (error) {
      if (write) {
        this.#audit?.outcome(undefined, audited, { status: "refused", message: messageOf(error) });
      }
      throw error;
    }
    // Written before the request leaves, so it stands even if the process dies meanwhile.
    const intent = write ? this.#audit?.intent(audited) : undefined;
    let data: T;
    try {
      data = await this.#perform<T>(method, path, params, options.signal);
    } catch (error) {
      if (write || (error instanceof PveError && error.isNotFound)) this.inventory.invalidate();
      if (write)
        this.#audit?.outcome(intent, audited, { status: "error", message: messageOf(error) });
      throw error;
    }
    if (write) {
      this.inventory.invalidate();
      this.#audit?.outcome(intent, audited, { status: "ok", data });
      return data;
    }
    this.#learn(path, params, data);
    return (await this.#scopeGuard()).filter(method, path, data);
  }

  /** What a read tells the inventory: a whole guest list, or a task that has ended. */
  #learn(path: string, params: Params | undefined, data: unknown): void {
    if (path === "/cluster/resources" && Array.isArray(data)) {
      if (!params?.type || params.type === "vm") this.inventory.feed(data as Resource[]);
    } else if (
      path.endsWith("/status") &&
      path.includes("/tasks/") &&
      (data as { status?: string } | null)?.status === "stopped"
    ) {
      this.inventory.invalidate(); // a clone, migration or restore may have moved a guest
    }
  }

  /** One exchange with its retries and decoding; no guard, no audit. */
  async #perform<T>(
    method: Method,
    path: string,
    params?: Params,
    signal?: AbortSignal,
  ): Promise<T> {
    const started = performance.now();
    const read = method === "GET";
    let retried = false;
    let res: Response;
    try {
      res = await this.#exchange(method, path, params, signal);
    } catch (error) {
      // A read whose connection was cut before any answer (pveproxy restarting) gets its one retry.
      const cut = error instanceof PveConnectionError && error.cut;
      if (!read || !cut || signal?.aborted) throw error;
      retried = true;
      await Bun.sleep(READ_RETRY_DELAY_MS);
      res = await this.#exchange(method, path, params, signal);
    }
    if (res.status === 401 && (await this.auth.recover())) {
      res = await this.#exchange(method, path, params, signal);
    }
    if (read && !retried && TRANSIENT.has(res.status) && !signal?.aborted) {
      await Bun.sleep(READ_RETRY_DELAY_MS);
      res = await this.#exchange(method, path, params, signal);
    }
    const ms = performance.now() - started;
    this.#log.debug(`${method} ${path} → ${res.status} (${ms.toFixed(1)} ms)`);
    callLog()?.request(method, path, res.status, ms);
    return decode<T>(res, method, path);
  }

  async #exchange(method: Method, path: string, params?: Params, signal?: AbortSignal) {
    const headers = await this.auth.headers(method);
    return this.#send(method, path, params, headers, signal);
  }
}

const messageOf = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);

async function decode<T>(res: Response, method: string, path: string): Promise<T> {
  const text = await res.text();
  let body: { data?: unknown; message?: string; errors?: Record<string, string> } = {};
  try {
    body = text ? JSON.parse(text) : {};
  } catch {
    if (res.ok) throw new PveError(res.status, "answer is not JSON", method, path);
  }
  if (!res.ok) {
    const reason = res.statusText || body.message?.trim() || text.trim() || "request failed";
    throw new PveError(res.status, reason, method, path, body.errors ?? {});
  }
  return body.data as T;
}
