// Each administrator request of scenarios.ts on its own simulated cluster, through a real MCP
// client, from the default surface: every call is one a model could make (listed, or enabled
// first), the request has its effect, and what the model reads stays within 6 KB of text.

import { afterEach, describe, expect, test } from "bun:test";
import { OPEN_POLICY } from "../../src/server/policy.ts";
import { type Harness, startHarness } from "../support/harness.ts";
import { runScenario, SCENARIO_BYTES, SCENARIOS, sum, textOf } from "./scenarios.ts";

/** "VM.{Audit,Clone}" (whoami's compact privileges) → "VM.Audit VM.Clone". */
const expandBraces = (text: string): string =>
  text.replace(/([\w.]+)\.\{([^}]*)\}/g, (_, head: string, rest: string) =>
    rest
      .split(",")
      .map((r) => `${head}.${r}`)
      .join(" "),
  );

/** Every string value in a structured answer, however deep. */
function stringsOf(value: unknown): string[] {
  if (typeof value === "string") return value === "" ? [] : [value];
  if (Array.isArray(value)) return value.flatMap(stringsOf);
  if (value && typeof value === "object") return Object.values(value).flatMap(stringsOf);
  return [];
}

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe("administrator requests from the default surface", () => {
  test("at least 15 requests", () => {
    expect(SCENARIOS.length).toBeGreaterThanOrEqual(15);
  });

  for (const scenario of SCENARIOS) {
    test(scenario.request, async () => {
      // As the server runs by default: destructive calls need the person's confirmation.
      h = await startHarness({
        server: { policy: { ...OPEN_POLICY, toolsets: ["default"] }, confirm: true },
      });
      const x = h;
      const records = await runScenario(scenario, (name, args) => x.call(name, args), x.mock);
      expect(records.length).toBeGreaterThan(0);
      // Every call reached a tool the session listed: no "not enabled" refusals.
      for (const r of records) expect(r.tool).toBeTruthy();
      // A confirmation request (the first call of a destructive tool) is not a refusal.
      const asksConfirmation = (r: (typeof records)[number]) =>
        typeof (r.result.structuredContent as { confirm?: unknown } | undefined)?.confirm ===
        "string";
      const refused = records.filter(
        (r) => r.isError && r.tool !== "start_vm" && !asksConfirmation(r),
      );
      expect(refused).toEqual([]);
      // The text says what the structured part says: every name, id, state and time in it.
      for (const r of records.filter((r) => !r.isError)) {
        const text = expandBraces(textOf(r.result));
        const missing = stringsOf(r.result.structuredContent).filter((v) => !text.includes(v));
        expect({ tool: r.tool, missing }).toEqual({ tool: r.tool, missing: [] });
      }
      scenario.verify?.(x.mock);
      expect(sum(records, "textBytes")).toBeLessThanOrEqual(SCENARIO_BYTES);
    });
  }
});
