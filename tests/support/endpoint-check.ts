// Keeps ToolDef.endpoints true: every request the mock receives during a tool call made through
// the harness (while no other call is in flight) must match one of that tool's declared
// endpoints (method, path template, parameter names). `proxmox-mcp tools --check-api` trusts
// these declarations, so a missing one would let a cluster's missing endpoint go unnoticed.

import type { RecordedRequest } from "../../src/mock/index.ts";
import type { EndpointRef, ToolDef } from "../../src/tools/define.ts";
import { ALL_TOOLS } from "../../src/tools/index.ts";

/**
 * Requests that are no tool's API call: the ticket login of password auth, and the client's own
 * guest index (src/pve/inventory.ts), which the scope guard and vmid lookups share.
 */
const NOT_A_TOOL_CALL = new Set(["POST /access/ticket", "GET /cluster/resources"]);

const byName = new Map<string, ToolDef>(ALL_TOOLS.map((t) => [t.name, t]));
const patterns = new Map<string, RegExp>();

function patternOf(template: string): RegExp {
  let re = patterns.get(template);
  if (!re) {
    const segments = template.split("/").filter(Boolean);
    re = new RegExp(
      `^${segments.map((s) => (s.startsWith("{") ? "/[^/]+" : `/${s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`)).join("")}$`,
    );
    patterns.set(template, re);
  }
  return re;
}

/** Does the request fit the declaration? Indexed names (net0) fit a declared `net[n]`. */
export function fits(ref: EndpointRef, req: Pick<RecordedRequest, "method" | "path" | "params">) {
  if (ref.method !== req.method || !patternOf(ref.path).test(req.path)) return false;
  const declared = new Set(ref.params ?? []);
  return Object.keys(req.params).every(
    (name) => declared.has(name) || declared.has(name.replace(/\d+$/, "[n]")),
  );
}

const describeRef = (r: EndpointRef) =>
  `${r.method} ${r.path}${r.params?.length ? ` [${r.params.join(", ")}]` : ""}`;

/** Problems of one tool call's requests; empty when the declarations cover them all. */
export function checkCall(tool: string, requests: readonly RecordedRequest[]): string[] {
  const def = byName.get(tool);
  if (!def) return []; // an unknown tool's call fails on its own
  const declared = def.endpoints ?? [];
  const problems: string[] = [];
  for (const req of requests) {
    if (NOT_A_TOOL_CALL.has(`${req.method} ${req.path}`)) continue;
    if (declared.some((ref) => fits(ref, req))) continue;
    // proxmox_api_get and proxmox_api call whatever path they are given.
    if (def.callerPaths) continue;
    const params = Object.keys(req.params).sort().join(", ");
    problems.push(
      `${tool}: ${req.method} ${req.path} (params: ${params || "none"}) matches none of its endpoints: ${declared.map(describeRef).join("; ") || "none declared"}`,
    );
  }
  return problems;
}

const mismatches: string[] = [];

/** Reported (and cleared) by the harness's afterAll. */
export function takeEndpointMismatches(): string[] {
  const unique = [...new Set(mismatches)];
  mismatches.length = 0;
  return unique;
}

/**
 * One per harness (one mock): attributes the mock's requests to the tool call in flight. A call
 * that overlapped another is not judged: its requests cannot be told apart.
 */
export class CallRecorder {
  private readonly open = new Set<{ requests: RecordedRequest[]; overlapped: boolean }>();

  request(req: RecordedRequest): void {
    for (const call of this.open) call.requests.push(req);
  }

  async around<T>(tool: string, run: () => Promise<T>): Promise<T> {
    const call = { requests: [] as RecordedRequest[], overlapped: this.open.size > 0 };
    for (const other of this.open) other.overlapped = true;
    this.open.add(call);
    try {
      return await run();
    } finally {
      this.open.delete(call);
      if (!call.overlapped) mismatches.push(...checkCall(tool, call.requests));
    }
  }
}
