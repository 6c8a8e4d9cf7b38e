// Scope tests through a real MCP client against the simulated cluster. The proof that a refused
// call touched nothing is the mock's own request log: no request may name the guest (or node)
// outside the scope, in its path or in any parameter, and the mock's state stays as it was.

import { afterEach } from "bun:test";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { ScopeSettings } from "../../src/pve/index.ts";
import { startApiHarness } from "../api/helpers.ts";
import { type Harness, type HarnessOptions, startHarness } from "../support/harness.ts";

let open: Harness[] = [];
afterEach(async () => {
  const closing = open;
  open = [];
  for (const h of closing) await h.close();
});

/** A harness whose Proxmox client holds this scope (closed after the test). */
export async function scoped(scope: ScopeSettings, options: HarnessOptions = {}): Promise<Harness> {
  const h = await startHarness({ ...options, scope });
  open.push(h);
  h.mock.requests.length = 0;
  return h;
}

/** The same, with the raw API tools' access (default settings) wired in. */
export async function scopedApi(
  scope: ScopeSettings,
  options: HarnessOptions = {},
): Promise<Harness> {
  const h = await startApiHarness({}, { ...options, scope });
  open.push(h);
  h.mock.requests.length = 0;
  return h;
}

/** The mock's requests that name this value (a vmid, a node) anywhere: path or parameters. */
export function touching(h: Harness, value: string | number): string[] {
  const word = new RegExp(`(?:^|[^0-9A-Za-z])${value}(?:$|[^0-9A-Za-z])`);
  return h.mock.requests
    .map((r) => `${r.method} ${decodeURIComponent(r.path)} ${JSON.stringify(r.params)}`)
    .filter((line) => word.test(line));
}

export const textOf = (r: CallToolResult): string =>
  r.content.map((c) => (c.type === "text" ? c.text : "")).join("\n");

/** The guests a listing shows, whatever the field is called. */
export const vmidsOf = (rows: readonly Record<string, unknown>[]): number[] =>
  rows.map((r) => Number(r.vmid ?? r.guest)).filter((n) => Number.isInteger(n) && n > 0);
