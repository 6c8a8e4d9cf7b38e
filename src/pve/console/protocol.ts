// The xterm.js text protocol that PVE's termproxy speaks over the vncwebsocket (pve-xtermjs
// xterm.js/src/main.js, termproxy/src/main.rs): the first message is `<user>:<ticket>\n`, the
// server answers `OK` and then sends raw terminal bytes; the client sends framed messages.

const encoder = new TextEncoder();

/** Keyboard input: `0:<UTF-8 byte length>:<data>` (a character count would desync the stream). */
export const dataFrame = (data: string): string => `0:${encoder.encode(data).length}:${data}`;

/** Terminal size: `1:<cols>:<rows>:`. */
export const resizeFrame = (cols: number, rows: number): string => `1:${cols}:${rows}:`;

/** Keep-alive, sent every 30 s like the web console does. */
export const PING_FRAME = "2";
export const PING_INTERVAL_MS = 30_000;

/** The login line termproxy checks against the API. */
export const authLine = (user: string, ticket: string): string => `${user}:${ticket}\n`;

/** What an xterm sends for each named key (xterm defaults: DEL for backspace, CSI arrows). */
const NAMED_KEYS: Record<string, string> = {
  enter: "\r",
  tab: "\t",
  esc: "\x1b",
  backspace: "\x7f",
  delete: "\x1b[3~",
  up: "\x1b[A",
  down: "\x1b[B",
  right: "\x1b[C",
  left: "\x1b[D",
  home: "\x1b[H",
  end: "\x1b[F",
  pageup: "\x1b[5~",
  pagedown: "\x1b[6~",
  space: " ",
  "ctrl-\\": "\x1c",
  "ctrl-]": "\x1d",
};
for (let i = 0; i < 26; i++) {
  NAMED_KEYS[`ctrl-${String.fromCharCode(97 + i)}`] = String.fromCharCode(1 + i);
}
for (let i = 1; i <= 12; i++) {
  // F1-F4 are SS3 sequences, F5-F12 CSI ~ sequences with their historical gaps.
  const csi = [0, 0, 0, 0, 0, 15, 17, 18, 19, 20, 21, 23, 24][i] as number;
  NAMED_KEYS[`f${i}`] = i <= 4 ? `\x1bO${"PQRS"[i - 1]}` : `\x1b[${csi}~`;
}

export const KEY_NAMES = Object.keys(NAMED_KEYS) as [string, ...string[]];

export function keySequence(name: string): string {
  const seq = NAMED_KEYS[name];
  if (seq === undefined) throw new Error(`unknown key ${JSON.stringify(name)}`);
  return seq;
}

/** Text as typed: a newline is the Enter key (CR), as a terminal sends it. */
export const typed = (text: string): string => text.replace(/\r?\n/g, "\r");
