// The raw API tools' settings (api_schema, api_schema_cache, api_allow_paths, api_deny_paths)
// made into their access to the Proxmox client. Nothing is read or fetched here: the schema
// loads on the first raw call.

import { homedir } from "node:os";
import { join } from "node:path";
import { ConfigError, type Settings } from "../config/index.ts";
import type { PveClient } from "../pve/index.ts";
import { type ApiAccessOptions, createRawApi, type RawApi } from "../tools/api-access.ts";

type ApiSettings = Pick<
  Settings,
  "api_schema" | "api_schema_cache" | "api_allow_paths" | "api_deny_paths" | "demo"
>;

/** $XDG_CACHE_HOME/proxmox-mcp, or ~/.cache/proxmox-mcp (%LOCALAPPDATA% on Windows). */
export function defaultCacheDir(env: Record<string, string | undefined> = process.env): string {
  const base =
    env.XDG_CACHE_HOME ||
    (process.platform === "win32" && env.LOCALAPPDATA) ||
    join(homedir(), ".cache");
  return join(base, "proxmox-mcp");
}

export function apiAccessOptions(s: ApiSettings): ApiAccessOptions {
  // The demo's schema is the simulated cluster's: it must never stand in for a real one.
  const cacheDir =
    s.demo || s.api_schema_cache === "off" ? undefined : (s.api_schema_cache ?? defaultCacheDir());
  return {
    schemaFile: s.api_schema,
    cacheDir,
    allowPaths: s.api_allow_paths ?? [],
    denyPaths: s.api_deny_paths,
  };
}

/** The raw API access these settings give; a bad path pattern is a configuration error. */
export function rawApiFromSettings(pve: () => PveClient, settings: ApiSettings): RawApi {
  try {
    return createRawApi(pve, apiAccessOptions(settings));
  } catch (error) {
    throw new ConfigError(`api_allow_paths/api_deny_paths: ${(error as Error).message}`);
  }
}
