// The listening socket. node:http(s), not Bun.serve: Bun.serve drops custom reason phrases,
// and PVE puts its error messages there.
import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import type { IncomingRequest } from "./dispatch.ts";
import type { MockResponse } from "./http.ts";

export interface Listener {
  port: number;
  close(): Promise<void>;
}

export interface ListenOptions {
  hostname: string;
  port: number;
  tls?: { cert: string; key: string };
}

/** A WebSocket upgrade request with its raw socket (node:http's 'upgrade' event). */
export type UpgradeHandler = (req: IncomingRequest, socket: Duplex, head: Buffer) => void;

export async function listen(
  opts: ListenOptions,
  handle: (req: IncomingRequest) => Promise<MockResponse>,
  onUpgrade?: UpgradeHandler,
): Promise<Listener> {
  const onRequest = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) {
        if (typeof v === "string") headers.set(k, v);
        else if (Array.isArray(v)) for (const item of v) headers.append(k, item);
      }
      const incoming: IncomingRequest = {
        method: req.method ?? "GET",
        url: req.url ?? "/",
        headers,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      handle(incoming).then(
        (out) => {
          if (out.drop) {
            res.socket?.destroy();
            return;
          }
          const body = Buffer.from(out.body, "utf8");
          res.writeHead(out.status, out.reason, {
            ...out.headers,
            "Content-Length": String(body.length),
          });
          res.end(body);
        },
        (err: unknown) => {
          res.writeHead(500, "internal mock error", { Connection: "close" });
          res.end(String(err));
        },
      );
    });
  };
  const server = opts.tls
    ? https.createServer({ cert: opts.tls.cert, key: opts.tls.key }, onRequest)
    : http.createServer(onRequest);
  // Upgraded sockets leave the server's bookkeeping: close() must end them itself.
  const upgraded = new Set<Duplex>();
  server.on("upgrade", (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    if (!onUpgrade) {
      socket.destroy();
      return;
    }
    upgraded.add(socket);
    socket.on("close", () => upgraded.delete(socket));
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) {
      if (typeof v === "string") headers.set(k, v);
      else if (Array.isArray(v)) for (const item of v) headers.append(k, item);
    }
    onUpgrade(
      { method: req.method ?? "GET", url: req.url ?? "/", headers, body: "" },
      socket,
      head,
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.hostname, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections?.();
        for (const socket of upgraded) socket.destroy();
      }),
  };
}
