// server.json for the MCP Registry (schema 2025-12-11, github.com/modelcontextprotocol/registry,
// docs/reference/server-json): the release's MCP Bundles (one per platform, with their SHA-256)
// and the container image, each run over stdio and configured by the PROXMOX_* env vars.

import { downloadUrl, type Release, repoUrl, sha256Of } from "../release.ts";
import { MCPB_TARGETS, mcpbName } from "../targets.ts";
import { type ClientSetting, clientSettings } from "./client-settings.ts";

export const SERVER_SCHEMA_URL =
  "https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json";

/** The registry name: the io.github.<owner> namespace is what GitHub login can publish to. */
export const registryName = (repo: string): string => {
  const [owner, name] = repo.split("/");
  return `io.github.${owner}/${name}`;
};

/** The image the release workflow pushes; GHCR wants lowercase names. */
export const imageRef = (release: Pick<Release, "repo" | "version">): string =>
  `ghcr.io/${release.repo.toLowerCase()}:${release.version}`;

function environmentVariable({ def, env, required }: ClientSetting): Record<string, unknown> {
  const variable: Record<string, unknown> = {
    name: env,
    description: def.description,
    isRequired: required,
    isSecret: def.secret === true,
    format:
      def.type === "boolean"
        ? "boolean"
        : def.type === "integer"
          ? "number"
          : def.key.endsWith("_file")
            ? "filepath"
            : "string",
  };
  if (def.default !== undefined) variable.default = String(def.default);
  if (def.values) variable.choices = [...def.values];
  return variable;
}

export function serverJson(release: Release): Record<string, unknown> {
  if (release.description.length > 100) {
    throw new Error("package.json description is over the registry's 100 characters");
  }
  const environmentVariables = clientSettings().map(environmentVariable);
  const bundles = MCPB_TARGETS.map((target) => ({
    registryType: "mcpb",
    identifier: downloadUrl(release, mcpbName(target)),
    version: release.version,
    fileSha256: sha256Of(release, mcpbName(target)),
    transport: { type: "stdio" },
    environmentVariables,
  }));
  const image = {
    registryType: "oci",
    identifier: imageRef(release),
    runtimeHint: "docker",
    transport: { type: "stdio" },
    // The image serves HTTP by default; arguments after the image name replace that.
    packageArguments: [{ type: "named", name: "--server-type", value: "stdio" }],
    environmentVariables,
  };
  return {
    $schema: SERVER_SCHEMA_URL,
    name: registryName(release.repo),
    title: "Proxmox VE",
    description: release.description,
    version: release.version,
    repository: { url: repoUrl(release), source: "github" },
    websiteUrl: repoUrl(release),
    packages: [...bundles, image],
  };
}
