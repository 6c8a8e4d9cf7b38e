// The settings a desktop MCP client asks its user for when it installs this server (MCP Bundle
// user_config, registry environmentVariables). Their types, help text, defaults and env names
// come from the settings table; only the choice of which ones, and whether required, is here.

import { envName, SETTINGS, type SettingDef } from "../../src/config/index.ts";

/** key → required. An API token is the recommended login; the password is left out on purpose. */
const ASKED: Readonly<Record<string, boolean>> = {
  host: true,
  port: false,
  user: true,
  token_name: true,
  token_value: true,
  no_verify_ssl: false,
  ca_file: false,
};

export interface ClientSetting {
  def: SettingDef;
  env: string;
  required: boolean;
  title: string;
}

const ACRONYMS = new Set(["ca", "ssl", "tls", "http", "api", "url"]);

/** `no_verify_ssl` → "No verify SSL" */
export function titleOf(key: string): string {
  const words = key.split("_").map((w) => (ACRONYMS.has(w) ? w.toUpperCase() : w));
  const first = words[0] ?? "";
  return [first.charAt(0).toUpperCase() + first.slice(1), ...words.slice(1)].join(" ");
}

export function clientSettings(): ClientSetting[] {
  return Object.entries(ASKED).map(([key, required]) => {
    const def = (SETTINGS as readonly SettingDef[]).find((d) => d.key === key);
    const env = def && envName(def);
    if (!def || !env)
      throw new Error(`setting ${key} is not in the settings table with an env var`);
    return { def, env, required, title: titleOf(key) };
  });
}
