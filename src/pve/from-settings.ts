import type { Settings } from "../config/index.ts";
import { type ClientLog, type ClientOptions, PveClient } from "./client.ts";
import { createScope } from "./scope.ts";

/** The safety options of every client the server makes: read-only, scope, audit. */
export type SafetyOptions = Pick<ClientOptions, "readOnly" | "scope" | "audit">;

export const safetyOf = (settings: Settings, audit?: ClientOptions["audit"]): SafetyOptions => ({
  readOnly: settings.read_only,
  scope: createScope(settings),
  audit,
});

/** The client for a real cluster, as the settings describe it. */
export function clientFromSettings(
  settings: Settings,
  log?: ClientLog,
  safety: SafetyOptions = safetyOf(settings),
): PveClient {
  if (!settings.host) {
    throw new Error("no Proxmox host: set --host (PROXMOX_HOST), or try --demo");
  }
  if (!settings.user) throw new Error("no user: set --user (e.g. root@pam)");
  if (!settings.password && !settings.token_value) {
    throw new Error("no credentials: set --token-name and --token-value, or --password");
  }
  return new PveClient({
    origin: originOf(settings.host, settings.port),
    verifyTls: !settings.no_verify_ssl,
    caFile: settings.ca_file,
    timeoutMs: settings.timeout * 1000,
    user: settings.user,
    password: settings.password,
    tokenName: settings.token_name,
    tokenValue: settings.token_value,
    ...safety,
    log,
  });
}

/**
 * `pve.example.com` → https://pve.example.com:8006. A pasted URL (`https://pve:8006/…`) is
 * accepted too; plain `http://` only reaches a local mock, never a real PVE.
 */
export function originOf(host: string, port: number): string {
  if (/^https?:\/\//i.test(host)) {
    const url = new URL(host);
    return `${url.protocol}//${url.hostname}:${url.port || port}`; // IPv6 keeps its [brackets]
  }
  const bare = host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
  return `https://${bare}:${port}`;
}
