// What a release is: a version, the GitHub repository it is published from (package.json's
// `repository`, the one place the slug is written), its download URLs and its SHA256SUMS.

import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import pkg from "../package.json" with { type: "json" };

export interface Release {
  version: string;
  /** owner/name on GitHub. */
  repo: string;
  description: string;
  license: string;
  /** file name → lowercase hex SHA-256, as listed in SHA256SUMS. */
  sums: ReadonlyMap<string, string>;
}

/** `git+https://github.com/o/r.git`, `https://github.com/o/r`, `github:o/r` or `o/r` → `o/r`. */
export function repoSlug(url: string): string {
  const m =
    /^(?:git\+)?(?:https?:\/\/|git@|ssh:\/\/git@)?(?:github\.com[/:]|github:)?([\w.-]+\/[\w.-]+?)(?:\.git)?\/?$/.exec(
      url.trim(),
    );
  if (!m?.[1]) throw new Error(`not a GitHub repository: ${url}`);
  return m[1];
}

/** The repository slug: PROXMOX_MCP_REPO when set (forks, CI), else package.json. */
export const defaultRepo = (env: Record<string, string | undefined> = process.env): string =>
  repoSlug(env.PROXMOX_MCP_REPO || pkg.repository.url);

export const repoUrl = (r: Pick<Release, "repo">): string => `https://github.com/${r.repo}`;

export const downloadUrl = (r: Pick<Release, "repo" | "version">, file: string): string =>
  `${repoUrl(r)}/releases/download/v${r.version}/${file}`;

/** The checksum of one release file; a release without it must not be rendered. */
export function sha256Of(r: Pick<Release, "sums">, file: string): string {
  const sum = r.sums.get(file);
  if (!sum) throw new Error(`SHA256SUMS has no entry for ${file}`);
  return sum;
}

/** Parses `sha256sum` output ("<hex>  <name>" or "<hex> *<name>"); refuses anything else. */
export function parseSums(text: string): Map<string, string> {
  const sums = new Map<string, string>();
  for (const [i, line] of text.split("\n").entries()) {
    if (line.trim() === "") continue;
    const m = /^([0-9a-fA-F]{64}) [ *](\S+)$/.exec(line.trimEnd());
    if (!m?.[1] || !m[2]) throw new Error(`SHA256SUMS line ${i + 1} is not "<sha256>  <file>"`);
    sums.set(m[2], m[1].toLowerCase());
  }
  return sums;
}

export function formatSums(sums: ReadonlyMap<string, string>): string {
  const names = [...sums.keys()].sort();
  return names.map((name) => `${sums.get(name)}  ${name}\n`).join("");
}

export const sha256File = (path: string): string =>
  createHash("sha256").update(readFileSync(path)).digest("hex");

/** A file a release publishes: an archive per target, or an MCP Bundle. */
export const isReleaseFile = (name: string): boolean =>
  /^proxmox-mcp-[\w.-]+\.(tar\.gz|zip|mcpb)$/.test(name);

/** Writes SHA256SUMS over every release file (archives and bundles) in `dir`. */
export function writeSums(dir: string): number {
  const files = readdirSync(dir).filter((f) => isReleaseFile(f) && statSync(join(dir, f)).isFile());
  const sums = new Map(files.map((f) => [f, sha256File(join(dir, f))]));
  writeFileSync(join(dir, "SHA256SUMS"), formatSums(sums));
  return sums.size;
}

/** This checkout's release: package.json's version, description and licence, and `sums`. */
export function currentRelease(
  sums: ReadonlyMap<string, string> = new Map(),
  version: string = pkg.version,
): Release {
  return {
    version,
    repo: defaultRepo(),
    description: pkg.description,
    license: pkg.license,
    sums,
  };
}

export const loadRelease = (sumsPath: string): Release =>
  currentRelease(parseSums(readFileSync(sumsPath, "utf8")));
