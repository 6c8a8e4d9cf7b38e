// Wraps a server transport to know which client requests are still unanswered and when the
// session last did anything: graceful shutdown waits for the first, idle expiry reads the second.

import type {
  Transport,
  TransportSendOptions,
} from "@modelcontextprotocol/sdk/shared/transport.js";
import type { JSONRPCMessage, RequestId } from "@modelcontextprotocol/sdk/types.js";
import { isAnswer, isNotification, isRequest } from "./message-kind.ts";

export class TrackedTransport<T extends Transport = Transport> implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: Transport["onmessage"];
  lastActivity = Date.now();
  readonly #pending = new Set<RequestId>();
  #waiters: (() => void)[] = [];

  constructor(readonly inner: T) {
    inner.onmessage = (message, extra) => {
      this.touch();
      if (isRequest(message)) this.#pending.add(message.id);
      else if (isNotification(message) && message.method === "notifications/cancelled") {
        // A cancelled request gets no answer: stop waiting for one.
        this.#settle((message.params as { requestId?: RequestId } | undefined)?.requestId);
      }
      this.onmessage?.(message, extra);
    };
    inner.onclose = () => {
      this.#pending.clear();
      this.#wake();
      this.onclose?.();
    };
    inner.onerror = (error) => this.onerror?.(error);
  }

  get sessionId(): string | undefined {
    return this.inner.sessionId;
  }

  /** Client requests received and not yet answered. */
  get inflight(): number {
    return this.#pending.size;
  }

  touch(): void {
    this.lastActivity = Date.now();
  }

  /** Resolves once every request received so far has its answer (at once if none is open). */
  settled(): Promise<void> {
    if (this.#pending.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  start(): Promise<void> {
    return this.inner.start();
  }

  async send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    try {
      await this.inner.send(message, options);
    } finally {
      this.touch();
      if (isAnswer(message)) {
        this.#settle(message.id);
      }
    }
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  setProtocolVersion(version: string): void {
    this.inner.setProtocolVersion?.(version);
  }

  #settle(id: RequestId | undefined): void {
    if (id === undefined || !this.#pending.delete(id) || this.#pending.size > 0) return;
    this.#wake();
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }
}
