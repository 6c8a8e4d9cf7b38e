// How requests prove who they are: an API token header, or a ticket cookie (+ CSRF token on
// writes) obtained by logging in once, renewed before its 2-hour life ends.

import { PveError } from "./errors.ts";
import type { Send } from "./transport.ts";

export interface Authenticator {
  readonly kind: "token" | "ticket";
  /** Who the requests run as (`user@realm` or `user@realm!token`). */
  readonly identity: string;
  headers(method: string): Promise<Record<string, string>>;
  /** After a 401: get fresh credentials if that can help; true means "retry once". */
  recover(): Promise<boolean>;
}

export class TokenAuth implements Authenticator {
  readonly kind = "token";
  readonly identity: string;
  readonly #header: string;

  constructor(user: string, tokenName: string, secret: string) {
    this.identity = `${user}!${tokenName}`;
    this.#header = `PVEAPIToken=${this.identity}=${secret}`;
  }

  async headers(): Promise<Record<string, string>> {
    return { Authorization: this.#header };
  }

  async recover(): Promise<boolean> {
    return false; // a wrong token stays wrong
  }
}

interface Ticket {
  ticket: string;
  csrf: string;
  obtainedAt: number;
}

/** Renew well before PVE's 2 h ticket lifetime. */
const RENEW_AFTER_MS = 90 * 60 * 1000;

export class TicketAuth implements Authenticator {
  readonly kind = "ticket";
  #current?: Ticket;
  #pending?: Promise<Ticket>;

  constructor(
    readonly identity: string,
    readonly password: string,
    private readonly send: Send,
    private readonly notice: (message: string) => void = () => {},
    private readonly now: () => number = Date.now,
  ) {}

  async headers(method: string): Promise<Record<string, string>> {
    const t = await this.#valid();
    const headers: Record<string, string> = {
      Cookie: `PVEAuthCookie=${encodeURIComponent(t.ticket)}`,
    };
    if (method !== "GET") headers.CSRFPreventionToken = t.csrf;
    return headers;
  }

  async recover(): Promise<boolean> {
    this.#current = undefined;
    await this.#valid();
    this.notice("Proxmox ticket was refused (expired?); logged in again.");
    return true;
  }

  async #valid(): Promise<Ticket> {
    const t = this.#current;
    if (t && this.now() - t.obtainedAt < RENEW_AFTER_MS) return t;
    // One login at a time: concurrent calls share it.
    this.#pending ??= this.#login(t).finally(() => {
      this.#pending = undefined;
    });
    this.#current = await this.#pending;
    return this.#current;
  }

  async #login(previous?: Ticket): Promise<Ticket> {
    if (previous) {
      // PVE renews a ticket when it is posted as the password.
      const renewed = await this.#post(previous.ticket).catch(() => undefined);
      if (renewed) {
        this.notice("Proxmox ticket renewed before expiry.");
        return renewed;
      }
    }
    const fresh = await this.#post(this.password);
    if (!fresh) throw new PveError(401, "authentication failure", "POST", "/access/ticket");
    return fresh;
  }

  async #post(password: string): Promise<Ticket | undefined> {
    const res = await this.send("POST", "/access/ticket", {
      username: this.identity,
      password,
    });
    if (!res.ok) {
      throw new PveError(
        res.status,
        res.statusText || "authentication failure",
        "POST",
        "/access/ticket",
      );
    }
    const body = (await res.json()) as {
      data?: { ticket?: string; CSRFPreventionToken?: string; NeedTFA?: number };
    };
    const data = body.data;
    if (data?.NeedTFA) {
      throw new PveError(
        401,
        "this user has two-factor authentication: use an API token instead of a password",
        "POST",
        "/access/ticket",
      );
    }
    if (!data?.ticket || !data.CSRFPreventionToken) return undefined;
    return { ticket: data.ticket, csrf: data.CSRFPreventionToken, obtainedAt: this.now() };
  }
}
