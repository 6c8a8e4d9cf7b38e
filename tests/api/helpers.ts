// The raw API tools through the harness: a mock that serves the official API schema (or none),
// and the server's api settings (defaults unless given) bound to the harness's client.

import { defaults, type Settings } from "../../src/config/index.ts";
import { bindApiSettings } from "../../src/server/api-settings.ts";
import { schemaFile } from "../support/api-schema.ts";
import { type Harness, type HarnessOptions, startHarness } from "../support/harness.ts";

export type ApiSettings = Partial<
  Pick<Settings, "api_schema" | "api_schema_cache" | "api_allow_paths" | "api_deny_paths">
>;

export async function startApiHarness(
  api: ApiSettings = {},
  options: HarnessOptions = {},
): Promise<Harness> {
  const h = await startHarness({
    ...options,
    // The official schema when the checkout has it; else the mock's own, generated one.
    mock: { apiSchemaFile: schemaFile(), ...options.mock },
  });
  bindApi(h, api);
  return h;
}

export function bindApi(h: Harness, api: ApiSettings = {}): void {
  bindApiSettings(h.pve, { ...(defaults() as Settings), api_schema_cache: "off", ...api });
}

/** Requests other than the login: what a refused call must not have sent. */
export const sent = (h: Harness) =>
  h.mock.requests.filter((r) => r.path !== "/access/ticket").map((r) => `${r.method} ${r.path}`);

/** A guest of the mock, to arrange or inspect its state. */
export function guestOf(h: Harness, vmid: number) {
  const g = h.mock.state.guests.get(vmid);
  if (!g) throw new Error(`mock has no guest ${vmid}`);
  return g;
}
