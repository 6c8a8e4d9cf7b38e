export { type Authenticator, TicketAuth, TokenAuth } from "./auth.ts";
export { type CallLog, type CallLogLevel, callLog, withCallLog } from "./call-log.ts";
export { type ClientLog, type ClientOptions, type Method, PveClient } from "./client.ts";
export { PveConnectionError, PveError } from "./errors.ts";
export { InvalidSegmentError, isValid, segment } from "./path.ts";
export * from "./resources.ts";
export * from "./tasks.ts";
export { encodeParams, type Params } from "./transport.ts";
export { isUpid, parseUpid, type Upid } from "./upid.ts";
