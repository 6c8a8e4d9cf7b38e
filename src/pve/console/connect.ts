// Opening a console: POST …/termproxy (PVE starts termproxy on the node that answers and hands
// back a port and a short-lived VNC ticket), then the vncwebsocket on that same node with the
// normal credentials, then the xterm.js login line, answered by `OK`.

import type { PveClient } from "../client.ts";
import { GUEST_TERMPROXY, NODE_TERMPROXY, type TermproxyReply } from "../endpoints/guests.ts";
import { PveConnectionError, PveError } from "../errors.ts";
import { segment } from "../path.ts";
import { ticketClientOf, websocketUrl } from "./access.ts";
import { ConsoleError, NODE_SHELL_TOKEN_HINT } from "./errors.ts";
import { authLine, resizeFrame } from "./protocol.ts";

export interface ConsoleTarget {
  kind: "qemu" | "lxc" | "node";
  node: string;
  vmid?: number;
  /** QEMU: the serial port to attach (serial0…serial3). */
  serial?: string;
}

export interface ConnectOptions {
  cols: number;
  rows: number;
  /** For each step (termproxy, upgrade, OK). */
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface ConsoleSocket {
  ws: WebSocket;
  /** Whom PVE issued the VNC ticket to: `root@pam`, or a token id such as `root@pam!mcp`. */
  user: string;
  via: "ticket" | "token";
  port: number;
  upid?: string;
  /** Terminal bytes that came with the `OK`. */
  initial: Uint8Array;
}

export function targetPath(target: ConsoleTarget): string {
  const node = `/nodes/${segment("node", target.node)}`;
  return target.kind === "node"
    ? node
    : `${node}/${target.kind}/${segment("vmid", target.vmid ?? 0)}`;
}

export const describeTarget = (t: ConsoleTarget): string =>
  t.kind === "node"
    ? `the shell of node ${t.node}`
    : t.kind === "qemu"
      ? `the ${t.serial ?? "serial0"} console of VM ${t.vmid}`
      : `the console of CT ${t.vmid}`;

export async function connectConsole(
  pve: PveClient,
  target: ConsoleTarget,
  options: ConnectOptions,
): Promise<ConsoleSocket> {
  const ticketClient = ticketClientOf(pve);
  // A node shell is a root shell only for root@pam with a ticket: prefer the ticket there.
  let client = target.kind === "node" ? (ticketClient ?? pve) : pve;
  let reply: TermproxyReply;
  try {
    reply = await termproxy(client, target, options);
  } catch (error) {
    if (!isTokenRefusal(error) || !ticketClient || client === ticketClient) {
      throw explainTermproxyError(error, target, client);
    }
    client = ticketClient;
    reply = await termproxy(client, target, options).catch((e) => {
      throw explainTermproxyError(e, target, client);
    });
  }
  const port = Number(reply.port);
  if (!Number.isInteger(port) || typeof reply.ticket !== "string") {
    throw new ConsoleError(`termproxy gave no usable port/ticket for ${describeTarget(target)}`);
  }
  const query = new URLSearchParams({ port: String(port), vncticket: reply.ticket });
  const path = `${targetPath(target)}/vncwebsocket`;
  const ws = await upgrade(client, path, query, options);
  try {
    ws.send(authLine(reply.user, reply.ticket));
    const initial = await firstAnswer(ws, options, target);
    ws.send(resizeFrame(options.cols, options.rows));
    return {
      ws,
      user: reply.user,
      via: client.auth.kind,
      port,
      upid: reply.upid,
      initial,
    };
  } catch (error) {
    ws.close();
    throw error;
  }
}

function termproxy(
  client: PveClient,
  target: ConsoleTarget,
  options: ConnectOptions,
): Promise<TermproxyReply> {
  const { signal } = options;
  if (target.kind === "node") return client.call(NODE_TERMPROXY, { node: target.node }, { signal });
  const serial = target.kind === "qemu" ? (target.serial ?? "serial0") : undefined;
  const at = { node: target.node, kind: target.kind, vmid: target.vmid ?? 0 };
  return client.call(GUEST_TERMPROXY, { ...at, serial }, { signal });
}

function isTokenRefusal(error: unknown): boolean {
  return (
    error instanceof PveError &&
    /not available with API token|does not look like a valid user name/.test(error.reason)
  );
}

function explainTermproxyError(error: unknown, target: ConsoleTarget, client: PveClient): unknown {
  if (!(error instanceof PveError)) return error;
  const what = describeTarget(target);
  if (/does not look like a valid user name/.test(error.reason)) {
    return new ConsoleError(
      `Proxmox refused the API token ${client.auth.identity} for ${what} (PVE before 9.0.13 ` +
        `opens node shells with tickets only): ${error.status} ${error.reason}`,
      NODE_SHELL_TOKEN_HINT,
    );
  }
  if (/realm != pam/.test(error.reason)) {
    return new ConsoleError(
      `Proxmox refused ${what} to ${client.auth.identity}: ${error.status} ${error.reason}`,
      "On this PVE version node shells are for users of the pam realm (e.g. root@pam) only.",
    );
  }
  if (/not available with API token/.test(error.reason)) {
    return new ConsoleError(
      `Proxmox refused the API token for ${what}: ${error.status} ${error.reason}`,
      NODE_SHELL_TOKEN_HINT,
    );
  }
  return error;
}

/** Opens the WebSocket; when PVE refuses the upgrade, a plain GET of the URL says why. */
async function upgrade(
  client: PveClient,
  path: string,
  query: URLSearchParams,
  options: ConnectOptions,
): Promise<WebSocket> {
  // The upgrade is a request like any other: the scope guard holds it too.
  await client.admit("GET", path, Object.fromEntries(query));
  const headers = await client.auth.headers("GET");
  const ws = new WebSocket(websocketUrl(client, path, query), {
    headers,
    protocols: ["binary"],
    tls: client.tls,
    perMessageDeflate: false,
  });
  ws.binaryType = "arraybuffer";
  const failure = await new Promise<string | undefined>((resolve) => {
    const timer = setTimeout(
      () => done(`no WebSocket answer within ${options.timeoutMs} ms`),
      options.timeoutMs,
    );
    const onAbort = () => done("cancelled");
    options.signal?.addEventListener("abort", onAbort, { once: true });
    ws.onopen = () => done(undefined);
    ws.onerror = (event) => done((event as ErrorEvent).message || "WebSocket error");
    ws.onclose = (event) => done(`closed (${event.code})`);
    function done(result: string | undefined) {
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
      ws.onopen = ws.onerror = ws.onclose = null;
      resolve(result);
    }
  });
  if (failure === undefined) return ws;
  ws.close();
  if (options.signal?.aborted) throw new PveConnectionError("request cancelled", "GET", path);
  if (/certificate|TLS|SSL|self.signed/i.test(failure)) {
    throw new ConsoleError(
      `TLS verification of the console WebSocket to ${client.origin} failed (${failure})`,
      "The console uses the API client's TLS settings: pass the PVE CA with --ca-file, or --no-verify-ssl.",
    );
  }
  // PVE runs the vncwebsocket API call before upgrading: asked plainly, it names the refusal.
  await client.get(path, Object.fromEntries(query), { signal: options.signal });
  throw new ConsoleError(
    `the console WebSocket ${path} did not open: ${failure}`,
    "termproxy waits only ~10 s for its connection and the ticket is valid for 40 s; open the console again.",
  );
}

/** Waits for termproxy's `OK`; anything else (or a close) means the login line was refused. */
function firstAnswer(
  ws: WebSocket,
  options: ConnectOptions,
  target: ConsoleTarget,
): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    let got: Uint8Array = new Uint8Array(0);
    const timer = setTimeout(
      () => fail("termproxy did not answer the login line"),
      options.timeoutMs,
    );
    const onAbort = () => fail("cancelled");
    options.signal?.addEventListener("abort", onAbort, { once: true });
    ws.onmessage = (event) => {
      got = concat(got, toBytes(event.data));
      if (got.length < 2) return;
      if (got[0] === 0x4f && got[1] === 0x4b) finish(() => resolve(got.slice(2)));
      else fail("termproxy answered the login line with something else than OK");
    };
    ws.onclose = () =>
      fail(
        `termproxy closed ${describeTarget(target)} after the login line: the VNC ticket or user was not accepted`,
      );
    function fail(message: string) {
      finish(() => reject(new ConsoleError(message, "Open the console again; tickets live 40 s.")));
    }
    function finish(then: () => void) {
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
      ws.onmessage = ws.onclose = null;
      then();
    }
  });
}

export function toBytes(data: unknown): Uint8Array {
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data))
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return new TextEncoder().encode(String(data));
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
