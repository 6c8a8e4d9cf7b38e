// Fills `{{name}}` and `{{name:target}}` placeholders in the packaging templates with values
// of one release; a target's `file`, `url` and `sha256` are those of its archive, `dir` the
// folder inside it. Every placeholder must resolve and every target must have a checksum: a
// formula or manifest with a hole in it is refused, never published.

import { downloadUrl, type Release, repoUrl, sha256Of } from "../release.ts";
import { archiveDir, archiveName, isTarget } from "../targets.ts";

export type Escape = (value: string) => string;

/** Escapes for a double-quoted Ruby string (no interpolation). */
export const rubyString: Escape = (v) =>
  v.replaceAll("\\", "\\\\").replaceAll('"', '\\"').replaceAll("#{", "\\#{");

/** Escapes for the inside of a JSON string. */
export const jsonString: Escape = (v) => JSON.stringify(v).slice(1, -1);

/** The escape a template needs, from its file name (`*.rb.tmpl`, `*.json.tmpl`). */
export function escapeFor(templatePath: string): Escape {
  if (templatePath.endsWith(".rb.tmpl")) return rubyString;
  if (templatePath.endsWith(".json.tmpl")) return jsonString;
  throw new Error(`no escaping known for template ${templatePath}`);
}

function value(release: Release, name: string, arg: string | undefined): string {
  if (arg === undefined) {
    switch (name) {
      case "version":
        return release.version;
      case "description":
        return release.description;
      case "license":
        return release.license;
      case "homepage":
        return repoUrl(release);
      case "repo":
        return release.repo;
    }
    throw new Error(`unknown placeholder {{${name}}}`);
  }
  if (!isTarget(arg)) throw new Error(`unknown target in {{${name}:${arg}}}`);
  const file = archiveName(arg);
  switch (name) {
    case "file":
      return file;
    case "dir":
      return archiveDir(arg);
    case "url":
      return downloadUrl(release, file);
    case "sha256":
      return sha256Of(release, file);
  }
  throw new Error(`unknown placeholder {{${name}:${arg}}}`);
}

export function renderTemplate(template: string, release: Release, quote: Escape): string {
  return template.replaceAll(/\{\{\s*([a-z0-9]+)(?::([a-z0-9-]+))?\s*\}\}/g, (_, name, arg) =>
    quote(value(release, name, arg)),
  );
}
