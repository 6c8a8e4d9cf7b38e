// Every JSON-RPC message between a client and our server passes here, on every transport. In: a
// request whose params do not fit its method's schema is answered -32602 with one line naming
// the parameter (the SDK would answer -32603 with a validator dump), and every other request is
// handled inside `around` (the session's log sink). Out: error answers lose the SDK's
// "MCP error N:" prefix, which the client's SDK would add a second time.

import type {
  Transport,
  TransportSendOptions,
} from "@modelcontextprotocol/sdk/shared/transport.js";
import {
  ClientRequestSchema,
  type JSONRPCMessage,
  type JSONRPCRequest,
} from "@modelcontextprotocol/sdk/types.js";
import { isErrorAnswer, isRequest } from "./message-kind.ts";
import { paramsMessage, plainMessage, RPC } from "./rpc-errors.ts";

type Schema = (typeof ClientRequestSchema.options)[number];

/** The spec's request schemas by method (tools/call, resources/read, logging/setLevel…). */
const SCHEMAS = new Map<string, Schema>(
  ClientRequestSchema.options.map((schema) => [schema.shape.method.value, schema]),
);

/** Runs the handling of one request (to give it context); must call `handle` synchronously. */
export type Around = (request: JSONRPCRequest, handle: () => void) => void;

export class RpcGate implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: Transport["onmessage"];

  constructor(
    readonly inner: Transport,
    private readonly around: Around = (_, handle) => handle(),
  ) {
    // Handlers set before connecting (a session's cleanup) stay in force: the SDK chains to them.
    this.onclose = inner.onclose;
    this.onerror = inner.onerror;
    inner.onclose = () => this.onclose?.();
    inner.onerror = (error) => this.onerror?.(error);
    inner.onmessage = (message, extra) => {
      if (!isRequest(message)) return this.onmessage?.(message, extra);
      const refused = badParams(message);
      if (refused) {
        this.inner.send(refused).catch((error: Error) => this.onerror?.(error));
        return;
      }
      this.around(message, () => this.onmessage?.(message, extra));
    };
  }

  get sessionId(): string | undefined {
    return this.inner.sessionId;
  }

  start(): Promise<void> {
    return this.inner.start();
  }

  send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    if (isErrorAnswer(message) && /^MCP error /.test(message.error.message)) {
      const error = { ...message.error, message: plainMessage(message.error.message) };
      return this.inner.send({ ...message, error }, options);
    }
    return this.inner.send(message, options);
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  setProtocolVersion(version: string): void {
    this.inner.setProtocolVersion?.(version);
  }
}

/** The -32602 answer to a known method's request with unfit params; undefined when they fit. */
function badParams(request: JSONRPCRequest): JSONRPCMessage | undefined {
  const schema = SCHEMAS.get(request.method);
  if (!schema) return undefined; // unknown methods: the SDK answers -32601
  const parsed = schema.safeParse(request);
  if (parsed.success) return undefined;
  return {
    jsonrpc: "2.0",
    id: request.id,
    error: { code: RPC.invalidParams, message: paramsMessage(request.method, parsed.error.issues) },
  };
}
