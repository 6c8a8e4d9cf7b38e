// Confirmation of destructive calls belongs to a person. When the client can elicit, the person
// is asked every time and the model's `confirm` counts for nothing (a declined question stays
// declined: asking again asks the person again). Without elicitation the first call only
// describes the impact and returns a single-use code; the action runs when the same session
// passes that code back as `confirm`, with the same arguments, within five minutes: the model
// has to show the person what will happen to get that far. --no-confirm turns this off.

import type { Server } from "@modelcontextprotocol/sdk/server/index.js";
import type { RequestId } from "@modelcontextprotocol/sdk/types.js";
import { type InventoryReader, resolveGuest, ScopeError } from "../pve/index.ts";
import type { ToolDef } from "../tools/define.ts";
import { redactArgs } from "./audit.ts";

/** unanswered: the client can elicit, but the question failed (timeout, client error). */
export type Decision = "confirmed" | "declined" | "unanswered";

export const CODE_TTL_MS = 5 * 60_000;
/** Codes one session may hold at once; the oldest go first. */
const MAX_CODES = 64;
const ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

type Redeemed = "ok" | "unknown" | "expired" | "other-call";

/** The codes a session has handed out: each runs exactly the call it was issued for, once. */
export class ConfirmationCodes {
  readonly #codes = new Map<string, { call: string; expires: number }>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  issue(tool: string, args: Record<string, unknown>): string {
    const now = this.#now();
    for (const [code, entry] of this.#codes) {
      if (entry.expires <= now || this.#codes.size >= MAX_CODES) this.#codes.delete(code);
    }
    // 32 letters: a random byte modulo 32 picks each one uniformly.
    const bytes = crypto.getRandomValues(new Uint8Array(8));
    const code = Array.from(bytes, (b) => ALPHABET[b % ALPHABET.length]).join("");
    this.#codes.set(code, { call: fingerprint(tool, args), expires: now + CODE_TTL_MS });
    return code;
  }

  /** Spends the code (whatever the verdict: a code is good for one try). */
  redeem(code: string, tool: string, args: Record<string, unknown>): Redeemed {
    const entry = this.#codes.get(code.trim().toUpperCase());
    if (!entry) return "unknown";
    this.#codes.delete(code.trim().toUpperCase());
    if (entry.expires <= this.#now()) return "expired";
    return entry.call === fingerprint(tool, args) ? "ok" : "other-call";
  }
}

/** The tool and its arguments (without `confirm`), in a stable order. */
function fingerprint(tool: string, args: Record<string, unknown>): string {
  const { confirm: _, ...rest } = args;
  return JSON.stringify([tool, sorted(rest)]);
}

function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (!value || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((k) => [k, sorted((value as Record<string, unknown>)[k])]),
  );
}

export const WHY_NOT: Record<Exclude<Redeemed, "ok">, string> = {
  unknown:
    "The confirm code is not one this session was given (or it was used already): a code comes only from the first call's structuredContent.confirm.",
  expired: "The confirm code has expired (codes last 5 minutes).",
  "other-call": "The confirm code was given for other arguments.",
};

/**
 * One sentence on what the call will do and to what, read from the inventory when it can. A
 * guest outside the scope is refused here already: nobody is asked about a call that cannot run.
 */
export async function describeImpact(
  tool: ToolDef,
  args: Record<string, unknown>,
  pve: InventoryReader,
): Promise<string> {
  const vmid = Number(args.vmid ?? args.vm_id ?? args.container_id);
  let target = "";
  if (Number.isInteger(vmid) && vmid >= 100) {
    const guest = await resolveGuest(pve, vmid).catch((error) => {
      if (error instanceof ScopeError) throw error;
      return undefined;
    });
    target = guest
      ? ` Target: ${guest.type === "qemu" ? "VM" : "CT"} ${vmid}${guest.name ? ` "${guest.name}"` : ""} on ${guest.node}, currently ${guest.status ?? "unknown"}.`
      : ` Target: guest ${vmid}.`;
  } else if (typeof args.node === "string") {
    target = ` Target: node ${args.node}.`;
  }
  // Nested values too (proxmox_api's params): redacted like the audit log's.
  const shown = Object.entries(redactArgs(args))
    .filter(([k, v]) => k !== "confirm" && v !== undefined && !/pass|secret|key|token/i.test(k))
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(", ");
  return `${tool.name} (${tool.title}): ${tool.description}${target} Arguments: ${shown || "none"}.`;
}

/** Asks the user through the client; undefined when the client cannot be asked. */
export async function elicitConfirmation(
  server: Server,
  impact: string,
  relatedRequestId: RequestId,
  signal: AbortSignal,
): Promise<Decision | undefined> {
  if (!server.getClientCapabilities()?.elicitation) return undefined;
  try {
    const answer = await server.elicitInput(
      {
        message: `Allow this destructive action?\n${impact}`,
        requestedSchema: {
          type: "object",
          properties: {
            confirm: { type: "boolean", title: "Proceed", description: "Run it now" },
          },
          required: ["confirm"],
        },
      },
      { relatedRequestId, signal },
    );
    return answer.action === "accept" && answer.content?.confirm === true
      ? "confirmed"
      : "declined";
  } catch {
    // No fallback to a code here: with a client that can ask, only the person confirms.
    return "unanswered";
  }
}
