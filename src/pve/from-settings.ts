import { readFileSync } from "node:fs";
import { ConfigError, type Settings } from "../config/index.ts";
import { type ClientLog, type ClientOptions, PveClient } from "./client.ts";
import type { CheckTarget } from "./connection-check.ts";
import { createScope } from "./scope.ts";

/** The safety options of every client the server makes: read-only, scope, audit. */
export type SafetyOptions = Pick<ClientOptions, "readOnly" | "scope" | "audit">;

export const safetyOf = (settings: Settings, audit?: ClientOptions["audit"]): SafetyOptions => ({
  readOnly: settings.read_only,
  scope: createScope(settings),
  audit,
});

/** The client for a real cluster, as the settings describe it. Sends nothing. */
export function clientFromSettings(
  settings: Settings,
  log?: ClientLog,
  safety: SafetyOptions = safetyOf(settings),
): PveClient {
  if (!settings.host) {
    throw new ConfigError("no Proxmox host: set --host (PROXMOX_HOST), or try --demo");
  }
  if (!settings.user) {
    throw new ConfigError(
      "no user: set --user (PROXMOX_USER), e.g. root@pam, or the whole token as --user 'USER@REALM!TOKENID=SECRET'",
    );
  }
  if (!settings.password && !settings.token_value) {
    throw new ConfigError(
      "no credentials: set a token (--token-name and --token-value, or PROXMOX_API_TOKEN) or --password",
    );
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
 * `pve.example.com` → https://pve.example.com:8006. `host:port` and `[v6]:port` carry their own
 * port; a bare IPv6 address gets brackets. A pasted URL (`https://pve:8006/…`) is accepted too;
 * plain `http://` only reaches a local mock, never a real PVE.
 */
export function originOf(host: string, port: number): string {
  if (/^https?:\/\//i.test(host)) {
    const url = new URL(host);
    return `${url.protocol}//${url.hostname}:${url.port || port}`; // IPv6 keeps its [brackets]
  }
  const withPort = /^(\[[^\]]+\]|[^:[\]]+):(\d{1,5})$/.exec(host);
  if (withPort) return `https://${withPort[1]}:${withPort[2]}`;
  const bare = host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
  return `https://${bare}:${port}`;
}

/** What the connection check needs, as the settings describe it. Sends nothing. */
export function checkTargetFromSettings(settings: Settings, log?: ClientLog): CheckTarget {
  return {
    origin: originOf(settings.host ?? "", settings.port),
    verifyTls: !settings.no_verify_ssl,
    ...(settings.ca_file
      ? { ca: readFileSync(settings.ca_file, "utf8"), caFile: settings.ca_file }
      : {}),
    timeoutMs: settings.timeout * 1000,
    client: clientFromSettings(settings, log),
    insecureClient: () => clientFromSettings({ ...settings, no_verify_ssl: true }, log),
  };
}
