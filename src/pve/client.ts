// The Proxmox VE API client: every call goes through `request`, which adds auth, decodes
// `{"data": …}`, turns failures into typed errors, re-logs in once on 401 and retries only reads.

import { type Authenticator, TicketAuth, TokenAuth } from "./auth.ts";
import { callLog } from "./call-log.ts";
import { PveConnectionError, PveError } from "./errors.ts";
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
  log?: ClientLog;
}

export interface RequestOptions {
  signal?: AbortSignal;
}

/** Statuses worth one more try for an idempotent read: node unreachable or busy. */
const TRANSIENT = new Set([502, 503, 595, 596]);
const READ_RETRY_DELAY_MS = 300;

export class PveClient {
  readonly auth: Authenticator;
  readonly origin: string;
  /** The TLS options of every request, for a GET outside /api2/json (see api-schema.ts). */
  readonly tls: ReturnType<typeof tlsOptions>;
  readonly #send: Send;
  readonly #readOnly: boolean;
  readonly #log: ClientLog;
  readonly #options: ClientOptions;
  #ticketTwin?: PveClient;

  constructor(options: ClientOptions) {
    this.#options = options;
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
    this.#ticketTwin ??= new PveClient({
      ...this.#options,
      tokenName: undefined,
      tokenValue: undefined,
    });
    return this.#ticketTwin;
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
    if (this.#readOnly && method !== "GET") {
      throw new PveConnectionError(
        `read-only mode: ${method} ${path} was not sent`,
        method,
        path,
        "The server runs with --read-only; only reads reach Proxmox.",
      );
    }
    const started = performance.now();
    const read = method === "GET";
    let retried = false;
    let res: Response;
    try {
      res = await this.#exchange(method, path, params, options.signal);
    } catch (error) {
      // A read whose connection was cut before any answer (pveproxy restarting) gets its one retry.
      const cut = error instanceof PveConnectionError && error.cut;
      if (!read || !cut || options.signal?.aborted) throw error;
      retried = true;
      await Bun.sleep(READ_RETRY_DELAY_MS);
      res = await this.#exchange(method, path, params, options.signal);
    }
    if (res.status === 401 && (await this.auth.recover())) {
      res = await this.#exchange(method, path, params, options.signal);
    }
    if (read && !retried && TRANSIENT.has(res.status) && !options.signal?.aborted) {
      await Bun.sleep(READ_RETRY_DELAY_MS);
      res = await this.#exchange(method, path, params, options.signal);
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
