// Destructive calls are confirmed before they run: by MCP elicitation when the client supports
// it (one clear question), else by a two-step `confirm: true` whose first call only describes
// the impact. --no-confirm turns this off for automation.

import type { Server } from "@modelcontextprotocol/sdk/server/index.js";
import type { RequestId } from "@modelcontextprotocol/sdk/types.js";
import { type InventoryReader, resolveGuest } from "../pve/index.ts";
import type { ToolDef } from "../tools/define.ts";
import { redactArgs } from "./audit.ts";

export type Decision = "confirmed" | "declined" | "ask-again";

/** One sentence on what the call will do and to what, read from the inventory when it can. */
export async function describeImpact(
  tool: ToolDef,
  args: Record<string, unknown>,
  pve: InventoryReader,
): Promise<string> {
  const vmid = Number(args.vmid ?? args.vm_id ?? args.container_id);
  let target = "";
  if (Number.isInteger(vmid) && vmid >= 100) {
    const guest = await resolveGuest(pve, vmid).catch(() => undefined);
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
    return undefined; // the client said it can, then could not: fall back to the two-step
  }
}
