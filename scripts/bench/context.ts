// Context cost: the size of the tools/list answer a client puts in front of its model, in the
// default, read-only and lazy modes (and with every toolset, for reference), as the shipped server
// answers it from the precomputed catalogue and the policy. Tokens are approximated as bytes / 4.

import { OPEN_POLICY, type ToolPolicy } from "../../src/server/policy.ts";
import type { Row } from "../bench.ts";
import { inProcessServer } from "./in-process.ts";

const DEFAULT: ToolPolicy = { ...OPEN_POLICY, toolsets: ["default"] };

const MODES: [string, ToolPolicy][] = [
  ["default toolsets", DEFAULT],
  ["--read-only", { ...DEFAULT, readOnly: true }],
  ["--lazy-mode (discovery tools)", { ...DEFAULT, lazy: true }],
  ["--toolsets all", OPEN_POLICY],
];

export async function contextSection(): Promise<Row[]> {
  const rows: Row[] = [];
  for (const [mode, policy] of MODES) {
    const server = await inProcessServer(undefined, policy);
    try {
      const list = await server.client.listTools();
      const bytes = Buffer.byteLength(JSON.stringify(list));
      rows.push({
        section: "context",
        measure: `tools/list, ${mode}`,
        value: `${bytes} B`,
        note: `~${Math.ceil(bytes / 4)} tokens; ${list.tools.length} tools`,
      });
    } finally {
      await server.close();
    }
  }
  return rows;
}
