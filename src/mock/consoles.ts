// termproxy, as PVE runs it: POST …/termproxy starts a `vncproxy`/`vncshell` task listening on a
// port (5900-5999) for ~10 s and returns a VNC ticket bound to user, path and port, valid −20…+40 s.
// The vncwebsocket checks that ticket and connects the WebSocket to the port; termproxy then
// wants `<user>:<ticket>\n`, checks it again, answers `OK` and runs the terminal program behind
// the xterm.js protocol (`0:LEN:DATA`, `1:COLS:ROWS:`, `2`).
// [qemu-server API2/Qemu.pm termproxy; pve-manager API2/Nodes.pm termproxy; pve-xtermjs termproxy]

import { createHmac, randomBytes } from "node:crypto";
import type { Duplex } from "node:stream";
import { terminalFailure, terminalSpec } from "./console-terminals.ts";
import type { IncomingRequest } from "./dispatch.ts";
import { fail, PveError } from "./errors.ts";
import type { Faults } from "./faults.ts";
import { errorResponse, type MockResponse, plainError } from "./http.ts";
import type { Principal } from "./perms.ts";
import { principalName } from "./perms.ts";
import { SimulatedTerminal } from "./shell.ts";
import type { ClusterState, GuestType, MockTask } from "./state.ts";
import type { TaskManager } from "./tasks.ts";
import { acceptWebSocket, checkHandshake, refuseUpgrade, type WsPeer } from "./websocket.ts";

const hex8 = (n: number): string => n.toString(16).toUpperCase().padStart(8, "0");

export interface ConsoleSpec {
  kind: GuestType | "node";
  /** The node named in the path (where the terminal runs). */
  node: string;
  vmid?: number;
  serial?: string;
  who: Principal;
}

interface Listener {
  port: number;
  user: string;
  authpath: string;
  spec: ConsoleSpec;
  task: MockTask;
  timer: ReturnType<typeof setTimeout>;
}

export class Consoles {
  /** The clock of VNC tickets; tests move it to check the validity window. */
  now: () => number = Date.now;
  /** How long termproxy waits for its connection (PVE: 10 s). */
  acceptTimeoutMs = 10_000;
  readonly #key = randomBytes(32);
  readonly #listeners = new Map<number, Listener>();
  readonly #live = new Set<{ terminal?: SimulatedTerminal; peer: WsPeer }>();

  constructor(
    private readonly state: ClusterState,
    private readonly tasks: TaskManager,
    private readonly faults: Faults,
  ) {}

  /** Open terminals (connected consoles), for tests. */
  get connected(): number {
    return this.#live.size;
  }

  /** The task, port and ticket of a new termproxy. */
  open(spec: ConsoleSpec): { user: string; ticket: string; port: string; upid: string } {
    const user = principalName(spec.who);
    const authpath = spec.kind === "node" ? `/nodes/${spec.node}` : `/vms/${spec.vmid}`;
    const port = this.#nextPort();
    const task = this.tasks.start({
      node: spec.node,
      type: spec.kind === "node" ? "vncshell" : "vncproxy",
      id: spec.kind === "node" ? "" : String(spec.vmid),
      who: spec.who,
      untilFinished: true,
    });
    const timer = setTimeout(() => {
      // Nobody connected: termproxy gives up and the worker fails (exact text unverified).
      this.#listeners.delete(port);
      this.tasks.finishNow(task, `command '/usr/bin/termproxy ${port} …' failed: exit code 1`);
    }, this.acceptTimeoutMs);
    timer.unref?.();
    this.#listeners.set(port, { port, user, authpath, spec, task, timer });
    // The port goes out as a string (the Perl value served as a hash key; REALITIES §9).
    return {
      user,
      ticket: this.#ticket(user, authpath),
      port: String(port),
      upid: task.upid,
    };
  }

  /**
   * PVE 9.1.3's verify_vnc_ticket: signature over user and path; age −20…+40 s. (Binding the
   * ticket to its port came with pve-access-control's April 2026 releases, after 9.1.3.)
   */
  verify(ticket: string, user: string, authpath: string): boolean {
    const m = /^PVEVNC:([0-9A-F]{8})::(\S+)$/.exec(ticket);
    if (!m) return false;
    const time = Number.parseInt(m[1] as string, 16);
    if (m[2] !== this.#sign(m[1] as string, user, authpath)) return false;
    const age = Math.floor(this.now() / 1000) - time;
    return age >= -20 && age <= 40;
  }

  /** The vncwebsocket API call: the ticket must be this caller's, for this path. */
  checkWebsocket(who: Principal, authpath: string, ticket: string): void {
    if (!this.verify(ticket, principalName(who), authpath)) {
      throw fail("permission denied - invalid PVEVNC ticket");
    }
  }

  /**
   * A WebSocket upgrade after its API call ran (`response`): pveproxy checks the handshake, and
   * on success connects to termproxy's port before it answers 101 (no listener: it just closes).
   */
  upgrade(req: IncomingRequest, response: MockResponse, socket: Duplex, head: Buffer): void {
    const path = new URL(req.url, "http://mock").pathname;
    if (req.method !== "GET" || !path.endsWith("/vncwebsocket")) {
      refuseUpgrade(socket, plainError(501, `unable to upgrade ${path}`));
      return;
    }
    const handshake = checkHandshake(req.headers);
    if (!handshake.ok) {
      refuseUpgrade(socket, errorResponse(new PveError(501, handshake.reason)));
      return;
    }
    if (response.status !== 200) {
      refuseUpgrade(socket, response);
      return;
    }
    const port = Number((JSON.parse(response.body) as { data?: { port?: string } }).data?.port);
    if (!this.#listeners.has(port)) {
      socket.destroy(); // "failed to connect": pveproxy drops the client
      return;
    }
    const key = req.headers.get("sec-websocket-key") ?? "";
    this.attach(port, acceptWebSocket(socket, head, key, handshake.protocol));
  }

  /** Connects an upgraded WebSocket to the termproxy on `port`; false when none listens. */
  attach(port: number, peer: WsPeer): boolean {
    const listener = this.#listeners.get(port);
    if (!listener) return false;
    // termproxy accepts one connection, then stops listening.
    this.#listeners.delete(port);
    clearTimeout(listener.timer);
    let authed = false;
    let firstLine = "";
    let stream: Buffer = Buffer.alloc(0);
    let terminal: SimulatedTerminal | undefined;
    const entry: { terminal?: SimulatedTerminal; peer: WsPeer } = { peer };
    const end = (error?: string) => {
      terminal?.dispose();
      this.#live.delete(entry);
      if (listener.task.status === "running") this.tasks.finishNow(listener.task, error);
    };
    peer.onClose = () => end();
    peer.onMessage = (payload) => {
      if (!authed) {
        firstLine += Buffer.from(payload).toString("utf8");
        const nl = firstLine.indexOf("\n");
        if (nl < 0) {
          if (firstLine.length > 4096) peer.drop();
          return;
        }
        const line = firstLine.slice(0, nl);
        const rest = Buffer.from(firstLine.slice(nl + 1), "utf8");
        const colon = line.indexOf(":");
        const user = line.slice(0, colon);
        const ticket = line.slice(colon + 1);
        // termproxy asks the API (POST /access/ticket with path, privs, port); a refusal ends it.
        if (colon < 0 || user !== listener.user || !this.verify(ticket, user, listener.authpath)) {
          end("authentication failed");
          peer.drop();
          return;
        }
        authed = true;
        peer.send("OK");
        terminal = this.#start(listener, peer, end);
        entry.terminal = terminal;
        this.#live.add(entry);
        if (rest.length > 0) stream = rest;
        else return;
      } else {
        stream = Buffer.concat([stream, Buffer.from(payload)]);
      }
      stream = this.#frames(stream, (data) => terminal?.input(data), peer);
    };
    return true;
  }

  /** Parses `0:LEN:DATA` / `1:COLS:ROWS:` / `2` from the byte stream; returns what is left. */
  #frames(stream: Buffer, onData: (text: string) => void, peer: WsPeer): Buffer {
    let buf = stream;
    while (buf.length > 0) {
      const type = buf[0];
      if (type === 0x32) {
        buf = buf.subarray(1); // ping
        continue;
      }
      const text = buf.toString("latin1");
      if (type === 0x31) {
        const m = /^1:(\d+):(\d+):/.exec(text);
        if (!m) {
          if (/^1(:\d*){0,2}$/.test(text)) return buf; // incomplete
          peer.drop();
          return Buffer.alloc(0);
        }
        buf = buf.subarray(m[0].length);
        continue;
      }
      if (type === 0x30) {
        const m = /^0:(\d+):/.exec(text);
        if (!m) {
          if (/^0(:\d*)?$/.test(text)) return buf;
          peer.drop();
          return Buffer.alloc(0);
        }
        const len = Number(m[1]);
        const start = m[0].length;
        if (buf.length < start + len) return buf;
        onData(buf.subarray(start, start + len).toString("utf8"));
        buf = buf.subarray(start + len);
        continue;
      }
      // Anything else is not the xterm.js protocol: termproxy gives up.
      peer.drop();
      return Buffer.alloc(0);
    }
    return buf;
  }

  #start(listener: Listener, peer: WsPeer, end: (error?: string) => void): SimulatedTerminal {
    const terminal = new SimulatedTerminal(terminalSpec(this.state, listener.spec, listener.user), {
      write: (text: string) => peer.send(text),
      end: () => {
        end();
        peer.drop();
      },
    });
    const failure = terminalFailure(this.state, this.faults, listener.spec);
    if (failure === undefined) {
      terminal.start();
      return terminal;
    }
    terminal.dispose();
    // Its words on the terminal, then termproxy ends and its worker fails (text unverified).
    peer.send(`${failure}\r\n`);
    setTimeout(() => {
      end(`command '/usr/bin/termproxy ${listener.port} …' failed: exit code 1`);
      peer.drop();
    }, 20);
    return terminal;
  }

  #ticket(user: string, authpath: string): string {
    const t = hex8(Math.floor(this.now() / 1000));
    return `PVEVNC:${t}::${this.#sign(t, user, authpath)}`;
  }

  #sign(time: string, user: string, authpath: string): string {
    return createHmac("sha256", this.#key)
      .update(`PVEVNC:${time}:${user}:${authpath}`)
      .digest("base64");
  }

  /** next_unused_port: the lowest free one in 5900-5999. */
  #nextPort(): number {
    for (let port = 5900; port <= 5999; port++) {
      if (!this.#listeners.has(port)) return port;
    }
    throw fail("unable to find free port (5900-5999)");
  }

  /** Server shutdown: every terminal and pending listener goes. */
  shutdown(): void {
    for (const l of this.#listeners.values()) clearTimeout(l.timer);
    this.#listeners.clear();
    for (const { terminal, peer } of [...this.#live]) {
      terminal?.dispose();
      peer.drop();
    }
    this.#live.clear();
  }
}
