// The release workflow and the Containerfile cannot run here (no tag, no container engine):
// check that they say what the release needs, and only use flags and files that exist.

import { describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { binaryName } from "../../scripts/targets.ts";
import { flagName, SETTINGS, type SettingDef } from "../../src/config/index.ts";

const root = join(import.meta.dir, "../..");
const read = (path: string) => readFileSync(join(root, path), "utf8");

interface Step {
  name?: string;
  run?: string;
  uses?: string;
  with?: Record<string, string>;
}
interface Workflow {
  on: { push: { tags: string[] } };
  jobs: Record<string, { needs?: string | string[]; steps: Step[] }>;
}

describe("release workflow", () => {
  const wf = Bun.YAML.parse(read(".github/workflows/release.yml")) as Workflow;
  const runs = (job: string) => (wf.jobs[job]?.steps ?? []).map((s) => s.run ?? "").join("\n");

  test("runs on version tags only", () => {
    expect(wf.on.push.tags).toEqual(["v[0-9]+.[0-9]+.[0-9]+"]);
  });

  test("checks the tag against package.json, then runs the CI checks", () => {
    expect(runs("check")).toContain('"$GITHUB_REF_NAME" != "v$version"');
    expect(runs("check")).toContain("bash .ci/run");
  });

  test("builds, packs, renders and verifies before anything is published", () => {
    const build = runs("build");
    const order = [
      "bun run build",
      "scripts/pack-mcpb.ts",
      "scripts/render-packaging.ts",
      "sha256sum --check",
    ];
    const at = order.map((cmd) => build.indexOf(cmd));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(wf.jobs.build?.needs).toBe("check");
    expect(wf.jobs.release?.needs).toBe("build");
    expect(wf.jobs.image?.needs).toBe("build");
  });

  test("publishes archives, bundles, SHA256SUMS, install.sh and the rendered packaging", () => {
    const publish = runs("release");
    expect(publish).not.toMatch(/dist\/proxmox-mcp-\*\s/); // not the bare binaries
    for (const file of [
      "dist/proxmox-mcp-*.tar.gz",
      "dist/proxmox-mcp-*.zip",
      "dist/proxmox-mcp-*.mcpb",
      "dist/SHA256SUMS",
      "packaging/install.sh",
      "dist/packaging/proxmox-mcp.rb",
      "dist/packaging/proxmox-mcp.json",
      "dist/packaging/server.json",
    ]) {
      expect(publish).toContain(file);
    }
  });

  test("pushes a multi-arch image built from packaging/Containerfile", () => {
    const push = wf.jobs.image?.steps.find((s) => s.uses?.startsWith("docker/build-push-action"));
    expect(push?.with?.file).toBe("packaging/Containerfile");
    expect(push?.with?.context).toBe("dist");
    expect(push?.with?.platforms).toBe("linux/amd64,linux/arm64");
  });

  test("names only scripts that exist", () => {
    const text = read(".github/workflows/release.yml");
    const paths = [...text.matchAll(/(?<![\w./])((?:scripts|packaging|\.ci)\/[\w./-]+)/g)];
    expect(paths.map((m) => m[1])).toContain(".ci/run");
    for (const [, path] of paths) expect(existsSync(join(root, path ?? ""))).toBe(true);
  });
});

describe("Containerfile", () => {
  const text = read("packaging/Containerfile");
  const flags = new Set((SETTINGS as readonly SettingDef[]).map((d) => `--${flagName(d)}`));

  test("copies the linux release binaries by their release names", () => {
    expect(text).toContain(binaryName("linux-x64"));
    expect(text).toContain(binaryName("linux-arm64"));
  });

  test("runs as non-root, in HTTP mode on all interfaces, with a /healthz check", () => {
    expect(text).toMatch(/^USER nonroot/m);
    expect(text).toContain('CMD ["--server-type", "http", "--http-host", "0.0.0.0"]');
    expect(text).toMatch(/^HEALTHCHECK [\s\S]*\/healthz/m);
    expect(text).toContain("io.modelcontextprotocol.server.name");
  });

  test("uses only flags of the settings table", () => {
    for (const [flag] of text.matchAll(/--(?:server|http)[a-z-]*/g)) {
      expect(flags.has(flag)).toBe(true);
    }
  });
});
