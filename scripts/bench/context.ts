// Context cost: the tools/list a client puts in front of its model, per configuration, as the
// shipped server answers it from the precomputed catalogue and the policy: tools, bytes and
// ~tokens (bytes / 4), counted for a client without MCP Apps (a host with them also lists the
// view-only tools, which it keeps from its model: counted beside).

import { OPEN_POLICY, type ToolPolicy } from "../../src/server/policy.ts";
import { surfaceCost } from "../../src/server/surface.ts";
import { lazyToolSource } from "../../src/server/tool-source.ts";
import type { Row } from "../bench.ts";
import { inProcessServer } from "./in-process.ts";

const DEFAULT: ToolPolicy = { ...OPEN_POLICY, toolsets: ["default"] };

const MODES: [string, ToolPolicy][] = [
  ["default", DEFAULT],
  ["--read-only", { ...DEFAULT, readOnly: true }],
  ["--lazy-mode", { ...DEFAULT, lazy: true }],
  ["--toolsets seed", { ...OPEN_POLICY, toolsets: ["seed"] }],
  ["--toolsets all", OPEN_POLICY],
];

export async function contextSection(): Promise<Row[]> {
  const rows: Row[] = [];
  for (const [mode, policy] of MODES) {
    const server = await inProcessServer(undefined, policy);
    try {
      const { tools } = await server.client.listTools();
      const bytes = Buffer.byteLength(JSON.stringify(tools));
      const views = surfaceCost(lazyToolSource().listed, policy);
      rows.push({
        section: "context",
        measure: `tools/list, ${mode}`,
        value: `${bytes} B`,
        note: `~${Math.ceil(bytes / 4)} tokens; ${tools.length} tools${views.viewOnly.length > 0 ? ` (+${views.viewOnly.length} view-only tools, ${views.viewOnlyBytes} B, for hosts with MCP Apps)` : ""}`,
      });
    } finally {
      await server.close();
    }
  }
  return rows;
}
