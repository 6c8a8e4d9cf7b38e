// The console engine: drive a guest's serial console, a container's console or a node shell
// through PVE's termproxy + vncwebsocket. Loaded with the console tools only, never at start.

export { type ConsoleCapableClient, ticketClientOf } from "./access.ts";
export { type ConsoleTarget, describeTarget } from "./connect.ts";
export { ConsoleError, NODE_SHELL_TOKEN_HINT } from "./errors.ts";
export { KEY_NAMES, keySequence, typed } from "./protocol.ts";
export {
  CONSOLE_DEFAULTS,
  ConsoleRegistry,
  type ConsoleSettings,
  type OpenOptions,
} from "./registry.ts";
export { ConsoleSession, type WaitEnd } from "./session.ts";
export { type ReadChunk, TerminalText } from "./terminal-text.ts";
