// The raw API tools through the harness: a mock that serves the official API schema (or none),
// and the server's raw API access from the api settings (defaults unless given).

import { defaults, type Settings } from "../../src/config/index.ts";
import type { PveClient } from "../../src/pve/index.ts";
import { rawApiFromSettings } from "../../src/server/api-settings.ts";
import type { RawApi } from "../../src/tools/api-access.ts";
import { schemaFile } from "../support/api-schema.ts";
import { type Harness, type HarnessOptions, startHarness } from "../support/harness.ts";

export type ApiSettings = Partial<
  Pick<Settings, "api_schema" | "api_schema_cache" | "api_allow_paths" | "api_deny_paths">
>;

export async function startApiHarness(
  api: ApiSettings = {},
  options: HarnessOptions = {},
): Promise<Harness> {
  // The harness makes its client after the server's options: the raw API finds it at call time.
  let client: PveClient | undefined;
  const h = await startHarness({
    ...options,
    // The official schema when the checkout has it; else the mock's own, generated one.
    mock: { apiSchemaFile: schemaFile(), ...options.mock },
    server: { ...options.server, api: rawApi(() => made(client), api) },
  });
  client = h.pve;
  return h;
}

function made(client: PveClient | undefined): PveClient {
  if (!client) throw new Error("the harness has not made its client yet");
  return client;
}

/** The server's raw API access from these settings, for the client `pve` gives. */
export function rawApi(pve: () => PveClient, api: ApiSettings = {}): RawApi {
  return rawApiFromSettings(pve, { ...(defaults() as Settings), api_schema_cache: "off", ...api });
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
