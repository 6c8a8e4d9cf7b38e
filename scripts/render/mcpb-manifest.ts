// manifest.json of an MCP Bundle (.mcpb, formerly DXT), spec v0.3, the current one (v0.4 only
// adds `uv` servers; github.com/modelcontextprotocol/mcpb): one bundle per platform holding the
// release binary, so a desktop client installs it in one click and asks for host, user and
// token. The answers reach the server as PROXMOX_* env vars; empty ones count as unset.

import { isAppOnly, type ListedTool } from "../../src/server/catalog.ts";
import catalog from "../../src/tools/catalog.json" with { type: "json" };
import { type Release, repoUrl } from "../release.ts";
import type { Target } from "../targets.ts";
import { clientSettings } from "./client-settings.ts";

export const MCPB_MANIFEST_VERSION = "0.3";
export const MCPB_SCHEMA_URL =
  "https://raw.githubusercontent.com/modelcontextprotocol/mcpb/main/schemas/mcpb-manifest-v0.3.schema.json";

type Platform = "darwin" | "win32" | "linux";

const platformOf = (target: Target): Platform =>
  target.startsWith("darwin") ? "darwin" : target.startsWith("windows") ? "win32" : "linux";

/** Where the binary sits inside the bundle. */
export const bundledBinary = (target: Target): string =>
  `server/proxmox-mcp${target.startsWith("windows") ? ".exe" : ""}`;

interface UserConfigField {
  type: "string" | "number" | "boolean" | "file";
  title: string;
  description: string;
  required: boolean;
  sensitive?: boolean;
  default?: string | number | boolean;
  min?: number;
  max?: number;
}

function userConfig(): Record<string, UserConfigField> {
  const fields: Record<string, UserConfigField> = {};
  for (const { def, required, title } of clientSettings()) {
    const type =
      def.type === "boolean"
        ? "boolean"
        : def.type === "integer"
          ? "number"
          : def.key.endsWith("_file")
            ? "file"
            : "string";
    const field: UserConfigField = { type, title, description: def.description, required };
    if (def.secret) field.sensitive = true;
    if (typeof def.default === "string" || typeof def.default === "number") {
      field.default = def.default;
    } else if (typeof def.default === "boolean") field.default = def.default;
    if (def.min !== undefined) field.min = def.min;
    if (def.max !== undefined) field.max = def.max;
    fields[def.key] = field;
  }
  return fields;
}

export function mcpbManifest(release: Release, target: Target): Record<string, unknown> {
  const binary = bundledBinary(target);
  const env = Object.fromEntries(
    clientSettings().map(({ def, env }) => [env, `\${user_config.${def.key}}`]),
  );
  // What the server offers a model: the tools only an MCP Apps view calls are not among them.
  const tools = (catalog as ListedTool[])
    .filter((t) => !isAppOnly(t))
    .map((t) => ({ name: t.name, description: t.description }));
  return {
    $schema: MCPB_SCHEMA_URL,
    manifest_version: MCPB_MANIFEST_VERSION,
    name: "proxmox-mcp",
    display_name: "Proxmox VE",
    version: release.version,
    description: release.description,
    long_description: [
      "Inspect and operate a Proxmox VE cluster: nodes, VMs and containers, snapshots, backups,",
      "storage and the tasks behind long operations. Log in with an API token",
      "(Datacenter → Permissions → API Tokens). Self-signed hosts need the CA file",
      "(/etc/pve/pve-root-ca.pem) or 'No verify SSL'.",
    ].join(" "),
    author: { name: `${release.repo.split("/")[0]} contributors`, url: repoUrl(release) },
    repository: { type: "git", url: `${repoUrl(release)}.git` },
    homepage: repoUrl(release),
    support: `${repoUrl(release)}/issues`,
    license: release.license,
    keywords: ["proxmox", "pve", "virtualization", "homelab", "vm", "lxc"],
    server: {
      type: "binary",
      entry_point: binary,
      mcp_config: { command: `\${__dirname}/${binary}`, args: [], env },
    },
    tools,
    compatibility: { platforms: [platformOf(target)] },
    user_config: userConfig(),
  };
}
