export { type Authenticator, TicketAuth, TokenAuth } from "./auth.ts";
export {
  type ClientLog,
  type ClientOptions,
  type Method,
  PveClient,
  type RequestOptions,
} from "./client.ts";
export * from "./endpoint.ts";
export { PveConnectionError, PveError } from "./errors.ts";
export { InvalidSegmentError, isValid, segment } from "./path.ts";
export * from "./resources.ts";
export * from "./tasks.ts";
export { encodeParams, type Params, type ParamValue } from "./transport.ts";
export { isUpid, parseUpid, type Upid } from "./upid.ts";
