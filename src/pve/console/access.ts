// How a console reaches Proxmox: which credentials open it. The WebSocket goes to the same
// pveproxy as the API client (the node that answered termproxy), with the same cookie or token
// header and the same TLS settings (PveClient.tls).

import type { PveClient } from "../client.ts";

/**
 * What the console engine needs from a PveClient beyond its public API (its TLS settings are
 * `PveClient.tls`). Optional, so that the engine works with any client; a client that has it
 * opens node shells as root@pam with a ticket when a password is configured beside a token.
 */
export interface ConsoleCapableClient {
  /**
   * The same connection with ticket (password) authentication: the client itself when it logs
   * in with a password; a twin built from the password when it uses a token and a password is
   * configured too; undefined when there is no password.
   */
  ticketClient?(): PveClient | undefined;
}

/** A client that authenticates with a ticket, when there is one. */
export function ticketClientOf(pve: PveClient): PveClient | undefined {
  if (pve.auth.kind === "ticket") return pve;
  return (pve as PveClient & ConsoleCapableClient).ticketClient?.();
}

/** wss://host:8006/api2/json + path (ws:// for a plain-HTTP mock). */
export function websocketUrl(pve: PveClient, path: string, query: URLSearchParams): string {
  const origin = pve.origin.replace(/\/+$/, "").replace(/^http/i, "ws");
  return `${origin}/api2/json${path}?${query}`;
}
