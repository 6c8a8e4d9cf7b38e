// The audit log: one JSON line per mutating tool call, appended to --audit-log FILE. Arguments
// are redacted (secret-named keys and registered secrets) before they are written.

import { appendFileSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
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

export type AuditLog = (entry: AuditEntry) => void;

const SECRET_KEY = /pass|secret|token|key|cipassword|sshkeys|ticket/i;

export function redactArgs(args: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(args)) {
    // Nested too: proxmox_api carries the API's own parameters (password, …) in `params`.
    out[k] = SECRET_KEY.test(k)
      ? "***"
      : typeof v === "string"
        ? redact(v)
        : v && typeof v === "object" && !Array.isArray(v)
          ? redactArgs(v as Record<string, unknown>)
          : v;
  }
  return out;
}

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
  return (entry) => {
    const line = {
      time: new Date().toISOString(),
      tool: entry.tool,
      target: target(entry.args),
      args: redactArgs(entry.args),
      outcome: entry.outcome,
      message: entry.message ? redact(entry.message) : undefined,
      upid: entry.upid,
      transport: entry.transport,
      session: entry.session,
    };
    try {
      appendFileSync(path, `${JSON.stringify(line)}\n`);
    } catch (error) {
      log.error(`audit log ${path}: ${(error as Error).message}`);
    }
  };
}
