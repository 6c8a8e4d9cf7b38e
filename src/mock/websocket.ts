// The server side of RFC 6455 over the raw socket that node:http's 'upgrade' event hands over
// (the mock serves HTTP with node:http so that reason phrases survive; Bun's node:http emits
// 'upgrade', so the WebSocket lives on the same port as the API, as pveproxy's does).
// Like pveproxy: subprotocol `binary` (raw bytes) or `base64` (text frames), no extensions.

import { createHash } from "node:crypto";
import type { Duplex } from "node:stream";
import type { MockResponse } from "./http.ts";

const GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
/** pveproxy reads at most 128 KiB per frame. */
const MAX_PAYLOAD = 128 * 1024;

export interface WsPeer {
  /** Sends terminal bytes to the client. */
  send(data: Uint8Array | string): void;
  /** Drops the connection without a close frame, as pveproxy does when termproxy goes away. */
  drop(): void;
  onMessage?: (payload: Uint8Array) => void;
  onClose?: () => void;
}

export type HandshakeResult =
  | { ok: true; protocol: "binary" | "base64" }
  | { ok: false; reason: string };

/** pveproxy's checks before it proxies: version 13, a key, and a protocol it speaks. */
export function checkHandshake(headers: Headers): HandshakeResult {
  if (headers.get("sec-websocket-version") !== "13") {
    return { ok: false, reason: "websocket: unsupported version" };
  }
  if (!headers.get("sec-websocket-key")) return { ok: false, reason: "missing websocket-key" };
  const offered = (headers.get("sec-websocket-protocol") ?? "")
    .split(/[\s,]+/)
    .filter((p) => p !== "");
  if (offered.length === 0) return { ok: false, reason: "missing websocket-protocol header" };
  if (offered.includes("binary")) return { ok: true, protocol: "binary" };
  if (offered.includes("base64")) return { ok: true, protocol: "base64" };
  return { ok: false, reason: `unsupported protocol '${offered.join(", ")}'` };
}

/** An HTTP answer instead of the upgrade (a refused vncwebsocket call), then the socket closes. */
export function refuseUpgrade(socket: Duplex, response: MockResponse): void {
  const body = Buffer.from(response.body, "utf8");
  const headers = {
    ...response.headers,
    Connection: "close",
    "Content-Length": String(body.length),
  };
  const lines = Object.entries(headers).map(([k, v]) => `${k}: ${v}`);
  socket.end(
    Buffer.concat([
      Buffer.from(
        `HTTP/1.1 ${response.status} ${response.reason}\r\n${lines.join("\r\n")}\r\n\r\n`,
      ),
      body,
    ]),
  );
}

/** Answers 101 and returns the peer; `head` holds bytes the client sent after its request. */
export function acceptWebSocket(
  socket: Duplex,
  head: Buffer,
  key: string,
  protocol: "binary" | "base64",
): WsPeer {
  const accept = createHash("sha1").update(`${key}${GUID}`).digest("base64");
  socket.write(
    "HTTP/1.1 101 Switching Protocols\r\nUpgrade: WebSocket\r\nConnection: upgrade\r\n" +
      `Sec-WebSocket-Accept: ${accept}\r\nSec-WebSocket-Protocol: ${protocol}\r\n\r\n`,
  );
  let buffer: Buffer = Buffer.alloc(0);
  let fragments: Buffer[] = [];
  let closed = false;
  const peer: WsPeer = {
    send(data) {
      if (closed) return;
      const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : Buffer.from(data);
      if (protocol === "base64") socket.write(frame(0x1, Buffer.from(bytes.toString("base64"))));
      else socket.write(frame(0x2, bytes));
    },
    drop() {
      finish();
      socket.destroy();
    },
  };
  const finish = () => {
    if (closed) return;
    closed = true;
    peer.onClose?.();
  };
  const onData = (chunk: Buffer) => {
    buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
    for (;;) {
      const parsed = parseFrame(buffer);
      if (parsed === "incomplete") return;
      if (parsed === "invalid") {
        socket.end(frame(0x8, closePayload(1002)));
        finish();
        return;
      }
      buffer = buffer.subarray(parsed.length);
      const { fin, opcode, payload } = parsed;
      if (opcode === 0x8) {
        if (!closed) socket.end(frame(0x8, payload.subarray(0, 2)));
        finish();
        return;
      }
      if (opcode === 0x9) {
        socket.write(frame(0xa, payload));
        continue;
      }
      if (opcode === 0xa) continue;
      fragments.push(payload);
      if (!fin) continue;
      let message = Buffer.concat(fragments);
      fragments = [];
      if (protocol === "base64") message = Buffer.from(message.toString("utf8"), "base64");
      peer.onMessage?.(new Uint8Array(message));
    }
  };
  socket.on("data", onData);
  socket.on("close", finish);
  socket.on("error", finish);
  if (head.length > 0) queueMicrotask(() => onData(head));
  return peer;
}

interface Frame {
  fin: boolean;
  opcode: number;
  payload: Buffer;
  length: number;
}

function parseFrame(buf: Buffer): Frame | "incomplete" | "invalid" {
  if (buf.length < 2) return "incomplete";
  const b0 = buf[0] as number;
  const b1 = buf[1] as number;
  if (!(b1 & 0x80)) return "invalid"; // clients must mask
  let len = b1 & 0x7f;
  let offset = 2;
  if (len === 126) {
    if (buf.length < 4) return "incomplete";
    len = buf.readUInt16BE(2);
    offset = 4;
  } else if (len === 127) {
    if (buf.length < 10) return "incomplete";
    const big = buf.readBigUInt64BE(2);
    if (big > BigInt(MAX_PAYLOAD)) return "invalid";
    len = Number(big);
    offset = 10;
  }
  if (len > MAX_PAYLOAD) return "invalid";
  if (buf.length < offset + 4 + len) return "incomplete";
  const mask = buf.subarray(offset, offset + 4);
  const payload = Buffer.from(buf.subarray(offset + 4, offset + 4 + len));
  for (let i = 0; i < payload.length; i++) {
    payload[i] = (payload[i] as number) ^ (mask[i % 4] as number);
  }
  return { fin: (b0 & 0x80) !== 0, opcode: b0 & 0x0f, payload, length: offset + 4 + len };
}

function frame(opcode: number, payload: Buffer): Buffer {
  const len = payload.length;
  const header =
    len < 126
      ? Buffer.from([0x80 | opcode, len])
      : len < 65536
        ? Buffer.from([0x80 | opcode, 126, len >> 8, len & 0xff])
        : Buffer.concat([Buffer.from([0x80 | opcode, 127]), bigLength(len)]);
  return Buffer.concat([header, payload]);
}

function bigLength(len: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(len));
  return b;
}

function closePayload(code: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(code);
  return b;
}
