// What a JSON-RPC message is, told by its fields. Every transport hands over only messages that
// passed the spec's schema (JSONRPCMessageSchema), and the SDK builds the ones sent, so the
// fields say it all. The SDK's guards (isJSONRPCRequest…) parse the whole message with zod each
// time, and a message passes several of ours on its way: that cost every call.

import type {
  JSONRPCErrorResponse,
  JSONRPCMessage,
  JSONRPCNotification,
  JSONRPCRequest,
  JSONRPCResultResponse,
} from "@modelcontextprotocol/sdk/types.js";

export const isRequest = (m: JSONRPCMessage): m is JSONRPCRequest => "method" in m && "id" in m;

export const isNotification = (m: JSONRPCMessage): m is JSONRPCNotification =>
  "method" in m && !("id" in m);

export const isErrorAnswer = (m: JSONRPCMessage): m is JSONRPCErrorResponse => "error" in m;

export const isAnswer = (m: JSONRPCMessage): m is JSONRPCResultResponse | JSONRPCErrorResponse =>
  "result" in m || "error" in m;
