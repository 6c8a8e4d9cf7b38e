// The release matrix: one standalone executable per target, and the names its files carry on a
// GitHub release (an archive per target). install.sh, the Homebrew formula and the Scoop
// manifest depend on these names.

export const TARGETS = {
  "linux-x64": "bun-linux-x64",
  "linux-arm64": "bun-linux-arm64",
  "linux-x64-musl": "bun-linux-x64-musl",
  "darwin-x64": "bun-darwin-x64",
  "darwin-arm64": "bun-darwin-arm64",
  "windows-x64": "bun-windows-x64",
} as const;

export type Target = keyof typeof TARGETS;

export const ALL_TARGETS = Object.keys(TARGETS) as Target[];

export const isTarget = (name: string): name is Target => Object.hasOwn(TARGETS, name);

/** This machine's target; linux on musl (Alpine) is told apart by its dynamic loader. */
export function hostTarget(musl = isMuslHost()): Target {
  const os = process.platform === "win32" ? "windows" : process.platform;
  const target = `${os}-${process.arch}${musl ? "-musl" : ""}`;
  if (!isTarget(target)) throw new Error(`no release target for this machine (${target})`);
  return target;
}

function isMuslHost(): boolean {
  if (process.platform !== "linux") return false;
  const report = process.report?.getReport() as { header?: { glibcVersionRuntime?: string } };
  return report?.header?.glibcVersionRuntime === undefined;
}

export const isWindows = (target: Target): boolean => target.startsWith("windows");

export const binaryName = (target: Target): string =>
  `proxmox-mcp-${target}${isWindows(target) ? ".exe" : ""}`;

/** The download of one target: a .tar.gz (a .zip for Windows) of the folder `archiveDir`. */
export const archiveName = (target: Target): string =>
  `proxmox-mcp-${target}.${isWindows(target) ? "zip" : "tar.gz"}`;

/** The one folder inside an archive: the binary, completions/, man/ and LICENSE. */
export const archiveDir = (target: Target): string => `proxmox-mcp-${target}`;

/** MCP Bundles exist for the platforms desktop MCP clients run on (not the musl build). */
export const MCPB_TARGETS: readonly Target[] = [
  "darwin-arm64",
  "darwin-x64",
  "windows-x64",
  "linux-x64",
  "linux-arm64",
];

export const mcpbName = (target: Target): string => `proxmox-mcp-${target}.mcpb`;
