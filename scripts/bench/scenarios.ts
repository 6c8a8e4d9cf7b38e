// Answers sized for a model: each administrator request of the scenario suite
// (tests/scenarios/scenarios.ts) run from the default surface against a fresh simulated
// cluster, with the bytes of text the model reads (budget 6 KB) and of structuredContent.

import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { startMock } from "../../src/mock/index.ts";
import { OPEN_POLICY } from "../../src/server/policy.ts";
import { runScenario, SCENARIO_BYTES, SCENARIOS, sum } from "../../tests/scenarios/scenarios.ts";
import type { Row } from "../bench.ts";
import { inProcessServer, mockClient } from "./in-process.ts";

const kb = (n: number) => `${(n / 1024).toFixed(1)} KiB`;

export async function scenariosSection(): Promise<Row[]> {
  const rows: Row[] = [];
  for (const scenario of SCENARIOS) {
    const mock = await startMock({ tls: false, taskDurationMs: 60 });
    const pve = mockClient(mock);
    const server = await inProcessServer(pve, { ...OPEN_POLICY, toolsets: ["default"] }, true);
    try {
      const records = await runScenario(
        scenario,
        async (name, args) =>
          (await server.client.callTool({ name, arguments: args })) as CallToolResult,
        mock,
      );
      const text = sum(records, "textBytes");
      rows.push({
        section: "scenarios",
        measure: scenario.request,
        value: kb(text),
        note: `${records.map((r) => r.tool).join(", ")}; structured ${kb(sum(records, "structuredBytes"))}${text > SCENARIO_BYTES ? "; OVER BUDGET" : ""}`,
      });
    } finally {
      await server.close();
      await mock.stop();
    }
  }
  return rows;
}
