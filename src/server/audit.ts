// The audit log (--audit-log FILE), one JSON line per event, appended synchronously so a line
// stands even if the process dies right after:
// - `intent` before every mutating request leaves for Proxmox, and `outcome` when it has an
//   answer (or `refused` when the client's guard kept it), written by the Proxmox client's hook,
//   so tools, the raw API and consoles are all covered; each names the tool and session it
//   served (carried through the call by AsyncLocalStorage);
// - `call` for each mutating tool call: refused, not confirmed, or its result.
// Secret-named arguments and registered secrets are redacted; file contents and stdin given to
// the guest agent are recorded as their size and SHA-256, never in clear.

import { AsyncLocalStorage } from "node:async_hooks";
import { appendFileSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import type { AuditedRequest, RequestAudit, RequestOutcome } from "../pve/index.ts";
import { isUpid } from "../pve/index.ts";
import { log, redact } from "./log.ts";

export interface AuditEntry {
  tool: string;
  args: Record<string, unknown>;
  outcome: "ok" | "error" | "refused" | "unconfirmed" | "cancelled";
  message?: string;
  upid?: string;
  session?: string;
  transport: string;
}

/** Who a request serves: the tool call in flight. */
export interface AuditContext {
  tool: string;
  session?: string;
  transport: string;
}

export const auditContext = new AsyncLocalStorage<AuditContext>();

export interface AuditLog extends RequestAudit {
  /** The line of a mutating tool call. */
  call(entry: AuditEntry): void;
}

const SECRET_KEY = /pass|secret|token|key|cipassword|sshkeys|ticket/i;
/** What the guest agent is given to write or to read on stdin: recorded as size and hash. */
const CONTENT_KEY = /^(?:content|input[-_]data)$/;

export function redactArgs(args: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(args)) {
    // Nested too: proxmox_api carries the API's own parameters (password, …) in `params`.
    out[k] = SECRET_KEY.test(k)
      ? "***"
      : CONTENT_KEY.test(k) && typeof v === "string"
        ? digest(v)
        : typeof v === "string"
          ? redact(v)
          : v && typeof v === "object" && !Array.isArray(v)
            ? redactArgs(v as Record<string, unknown>)
            : v;
  }
  return out;
}

// Bun's hasher rather than node:crypto, whose loading would cost every start ~3 ms.
const digest = (text: string) => ({
  bytes: Buffer.byteLength(text),
  sha256: new Bun.CryptoHasher("sha256").update(text).digest("hex"),
});

/** The target a line is about, from the usual argument names. */
function target(args: Record<string, unknown>): Record<string, unknown> | undefined {
  const picked = Object.fromEntries(
    ["node", "vmid", "vm_id", "container_id", "storage", "userid", "poolid", "sid", "id", "upid"]
      .filter((k) => args[k] !== undefined)
      .map((k) => [k, args[k]]),
  );
  return Object.keys(picked).length > 0 ? picked : undefined;
}

export function createAuditLog(path: string): AuditLog {
  mkdirSync(dirname(path), { recursive: true });
  const write = (line: Record<string, unknown>) => {
    try {
      appendFileSync(path, `${JSON.stringify({ time: new Date().toISOString(), ...line })}\n`);
    } catch (error) {
      log.error(`audit log ${path}: ${(error as Error).message}`);
    }
  };
  // Request ids pair an intent with its outcome; the pid keeps them apart across restarts.
  const prefix = process.pid.toString(36);
  let next = 0;
  const context = () => {
    const c = auditContext.getStore();
    return c ? { tool: c.tool, transport: c.transport, session: c.session } : { tool: null };
  };
  const request = (r: AuditedRequest, withParams: boolean) => ({
    method: r.method,
    path: r.path,
    params: withParams && r.params ? redactArgs(r.params) : undefined,
  });
  return {
    call(entry) {
      write({
        event: "call",
        tool: entry.tool,
        target: target(entry.args),
        args: redactArgs(entry.args),
        outcome: entry.outcome,
        message: entry.message ? redact(entry.message) : undefined,
        upid: entry.upid,
        transport: entry.transport,
        session: entry.session,
      });
    },
    intent(r) {
      const id = ++next;
      write({ event: "intent", request: `${prefix}-${id}`, ...request(r, true), ...context() });
      return id;
    },
    outcome(id, r, o: RequestOutcome) {
      write({
        event: o.status === "refused" ? "refused" : "outcome",
        request: id === undefined ? undefined : `${prefix}-${id}`,
        ...request(r, o.status === "refused"),
        status: o.status,
        message: o.status === "ok" ? undefined : redact(o.message),
        upid: o.status === "ok" && isUpid(o.data) ? o.data : undefined,
        ...context(),
      });
    },
  };
}
