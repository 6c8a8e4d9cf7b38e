// Tickets, CSRF tokens and API tokens, with PVE's formats and 401 reasons.
import { createHmac, randomBytes } from "node:crypto";
import { PveError, unauthorized } from "./errors.ts";
import type { Principal } from "./perms.ts";
import type { ClusterState } from "./state.ts";

const hex8 = (n: number): string => n.toString(16).toUpperCase().padStart(8, "0");
const nowSec = (): number => Math.floor(Date.now() / 1000);
/** PVE accepts tickets up to 5 minutes from the future (clock skew). */
const SKEW_SEC = 300;

export interface Ticket {
  userid: string;
  time: number;
}

export class Auth {
  private key = randomBytes(32);

  constructor(
    private readonly state: ClusterState,
    private readonly lifetimeSec: number,
  ) {}

  /** A new signing key: every ticket and CSRF token issued so far stops verifying. */
  rotateKey(): void {
    this.key = randomBytes(32);
  }

  private sig(data: string): string {
    return createHmac("sha256", this.key).update(data).digest("base64");
  }

  issueTicket(userid: string): { ticket: string; csrf: string } {
    const t = hex8(nowSec());
    const plain = `PVE:${userid}:${t}`;
    return {
      ticket: `${plain}::${this.sig(plain)}`,
      csrf: `${t}:${this.sig(`${t}:${userid}`).replace(/=+$/, "")}`,
    };
  }

  verifyTicket(ticket: string): Ticket | undefined {
    const m = /^(PVE:([^:\s]+):([0-9A-F]{8}))::(.+)$/.exec(ticket);
    if (!m || m[4] !== this.sig(m[1] as string)) return undefined;
    const time = Number.parseInt(m[3] as string, 16);
    const age = nowSec() - time;
    if (age < -SKEW_SEC || age >= this.lifetimeSec) return undefined;
    return { userid: m[2] as string, time };
  }

  verifyCsrf(token: string | null, userid: string): boolean {
    const m = /^([0-9A-F]{8}):(.+)$/.exec(token ?? "");
    if (!m) return false;
    if (m[2] !== this.sig(`${m[1]}:${userid}`).replace(/=+$/, "")) return false;
    const age = nowSec() - Number.parseInt(m[1] as string, 16);
    return age >= -SKEW_SEC && age < this.lifetimeSec;
  }

  /** check_user_enabled: the user exists and is enabled (or the call is a 401 saying which). */
  private checkUserEnabled(userid: string): void {
    const user = this.state.users.get(userid);
    if (!user) throw unauthorized(`no such user ('${userid}')`);
    if (!user.enable) throw unauthorized(`user '${userid}' is disabled`);
  }

  checkPassword(userid: string, password: string): boolean {
    const user = this.state.users.get(userid);
    return user?.enable === true && user.password === password;
  }

  /**
   * Reads the credentials of a request. Returns undefined when there are none,
   * throws the auth-layer 401 when they are wrong.
   */
  authenticate(
    headers: Headers,
    method: string,
  ): { who: Principal; via: "ticket" | "token" } | undefined {
    const authz = headers.get("authorization") ?? "";
    const token = /^PVEAPIToken[= ]([^!\s]+)!([^=\s]+)=(\S+)$/.exec(authz.trim());
    if (token) {
      const [, userid = "", tokenid = "", secret] = token;
      // verify_token's own texts: PVE 9.1.3 still returns them (9.1.5 says "Authentication failed!").
      this.checkUserEnabled(userid);
      const known = this.state.tokens.find((t) => t.userid === userid && t.tokenid === tokenid);
      if (!known) throw unauthorized(`no such token '${tokenid}' for user '${userid}'`);
      if (known.secret !== secret) throw unauthorized("invalid token value!");
      return { who: { userid: known.userid, tokenid: known.tokenid }, via: "token" };
    }
    const raw = cookieTicket(headers.get("cookie")) ?? headerTicket(authz);
    if (raw === undefined) return undefined;
    const ticket = this.verifyTicket(raw);
    if (!ticket) throw unauthorized("permission denied - invalid PVE ticket");
    this.checkUserEnabled(ticket.userid);
    if (method !== "GET" && !this.verifyCsrf(headers.get("csrfpreventiontoken"), ticket.userid)) {
      throw unauthorized("Permission denied - invalid csrf token");
    }
    return { who: { userid: ticket.userid }, via: "ticket" };
  }
}

function cookieTicket(cookie: string | null): string | undefined {
  for (const part of (cookie ?? "").split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === "PVEAuthCookie") return safeDecode(v.join("="));
  }
  return undefined;
}

function headerTicket(authz: string): string | undefined {
  const m = /^PVEAuthCookie=(\S+)$/.exec(authz.trim());
  return m ? safeDecode(m[1] as string) : undefined;
}

/** URL-encoding of the cookie is optional. */
function safeDecode(v: string): string {
  try {
    return decodeURIComponent(v);
  } catch {
    return v;
  }
}

export function tokenRefused(path: string): PveError {
  return new PveError(403, `URI '${path}' not available with API token, need proper ticket.`);
}
