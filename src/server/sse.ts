// The legacy HTTP+SSE transport (MCP 2024-11-05), web-standard so it runs on Bun.serve: one
// long GET stream per session that opens with an `endpoint` event naming where to POST, then
// carries every answer and notification as a `message` event, with keep-alive comments between.

import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { JSONRPCMessage, MessageExtraInfo } from "@modelcontextprotocol/sdk/types.js";

const encoder = new TextEncoder();

export class SseServerTransport implements Transport {
  readonly sessionId = crypto.randomUUID();
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: Transport["onmessage"];
  /** The stream to hand to the client as the body of its GET /sse. */
  readonly stream: ReadableStream<Uint8Array>;
  #controller!: ReadableStreamDefaultController<Uint8Array>;
  #keepAlive?: ReturnType<typeof setInterval>;
  #started = false;
  #closed = false;

  /** `endpoint` gets the session id and returns the URL (usually a path) of the POST route. */
  constructor(endpoint: (sessionId: string) => string, keepAliveMs: number) {
    this.stream = new ReadableStream<Uint8Array>({
      start: (controller) => {
        this.#controller = controller;
        this.#write(`event: endpoint\ndata: ${endpoint(this.sessionId)}\n\n`);
      },
      // The client went away.
      cancel: () => void this.close(),
    });
    this.#keepAlive = setInterval(() => this.#write(": keepalive\n\n"), keepAliveMs);
    this.#keepAlive.unref?.();
  }

  get closed(): boolean {
    return this.#closed;
  }

  async start(): Promise<void> {
    if (this.#started) throw new Error("SSE transport already started");
    this.#started = true;
  }

  async send(message: JSONRPCMessage): Promise<void> {
    if (this.#closed) throw new Error("SSE stream is closed");
    // JSON.stringify escapes newlines, so one data line always holds the whole message.
    if (!this.#write(`event: message\ndata: ${JSON.stringify(message)}\n\n`)) {
      throw new Error("SSE stream is closed");
    }
  }

  /** A message the client POSTed for this session. */
  receive(message: JSONRPCMessage, extra?: MessageExtraInfo): void {
    this.onmessage?.(message, extra);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#keepAlive);
    try {
      this.#controller.close();
    } catch {
      // already closed or cancelled
    }
    this.onclose?.();
  }

  #write(text: string): boolean {
    if (this.#closed) return false;
    try {
      this.#controller.enqueue(encoder.encode(text));
      return true;
    } catch {
      void this.close(); // enqueue fails once the client has gone
      return false;
    }
  }
}
