export { type Authenticator, TicketAuth, TokenAuth } from "./auth.ts";
export { type CallLog, type CallLogLevel, callLog, withCallLog } from "./call-log.ts";
export {
  type ClientLog,
  type ClientOptions,
  type Method,
  PveClient,
  type RequestOptions,
} from "./client.ts";
export * from "./endpoint.ts";
export { PveConnectionError, PveError, ScopeError } from "./errors.ts";
export { ScopeGuard } from "./guard/index.ts";
export { Inventory } from "./inventory.ts";
export { InvalidSegmentError, isValid, segment } from "./path.ts";
export type { AuditedRequest, RequestAudit, RequestOutcome } from "./request-audit.ts";
export * from "./resources.ts";
export * from "./scope.ts";
export * from "./tasks.ts";
export { encodeParams, type Params, type ParamValue } from "./transport.ts";
export { isUpid, parseUpid, type Upid } from "./upid.ts";
