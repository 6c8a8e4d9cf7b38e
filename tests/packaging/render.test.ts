import { describe, expect, test } from "bun:test";
import pkg from "../../package.json" with { type: "json" };
import {
  defaultRepo,
  downloadUrl,
  formatSums,
  parseSums,
  repoSlug,
} from "../../scripts/release.ts";
import { renderTemplate, rubyString } from "../../scripts/render/template.ts";
import { renderPackaging } from "../../scripts/render-packaging.ts";
import { archiveName, type Target } from "../../scripts/targets.ts";
import { FAKE_VERSION, fakeRelease } from "./fake-release.ts";

const release = fakeRelease();
const files = renderPackaging(release);
const sum = (t: Target) => release.sums.get(archiveName(t));
const url = (t: Target) =>
  `https://github.com/acme/proxmox-mcp/releases/download/v${FAKE_VERSION}/${archiveName(t)}`;

describe("the repository slug", () => {
  test("is read from package.json's repository, in any of npm's spellings", () => {
    expect(defaultRepo({})).toBe("proxmox-mcp/proxmox-mcp");
    expect(repoSlug(pkg.repository.url)).toBe("proxmox-mcp/proxmox-mcp");
    expect(repoSlug("https://github.com/o/r")).toBe("o/r");
    expect(repoSlug("git@github.com:o/r.git")).toBe("o/r");
    expect(repoSlug("github:o/r")).toBe("o/r");
    expect(repoSlug("o/r")).toBe("o/r");
    expect(() => repoSlug("https://gitlab.com/o/r/x")).toThrow(/not a GitHub repository/);
  });

  test("PROXMOX_MCP_REPO overrides it (forks, CI)", () => {
    expect(defaultRepo({ PROXMOX_MCP_REPO: "fork/proxmox-mcp" })).toBe("fork/proxmox-mcp");
  });
});

describe("SHA256SUMS", () => {
  test("round-trips sha256sum's format, binary-mode stars included", () => {
    const text = formatSums(release.sums);
    expect(parseSums(text)).toEqual(new Map(release.sums));
    const hex = "a".repeat(64);
    expect(parseSums(`${hex} *x.exe\n`).get("x.exe")).toBe(hex);
  });

  test("refuses a line that is not '<sha256>  <file>'", () => {
    expect(() => parseSums("abc  file\n")).toThrow(/line 1/);
  });
});

describe("Homebrew formula", () => {
  const rb = files["proxmox-mcp.rb"] ?? "";

  test("carries the version and, per OS and CPU, the URL and checksum of its archive", () => {
    expect(rb).toContain(`version "${FAKE_VERSION}"`);
    expect(rb).toContain('homepage "https://github.com/acme/proxmox-mcp"');
    const blocks = [
      ["on_macos", "on_arm", "darwin-arm64"],
      ["on_macos", "on_intel", "darwin-x64"],
      ["on_linux", "on_arm", "linux-arm64"],
      ["on_linux", "on_intel", "linux-x64"],
    ] as const;
    for (const [os, cpu, target] of blocks) {
      const osBlock = rb.slice(rb.indexOf(`${os} do`));
      const fromCpu = osBlock.slice(osBlock.indexOf(`${cpu} do`));
      const cpuBlock = fromCpu.slice(0, fromCpu.indexOf("end"));
      expect(cpuBlock).toContain(`url "${url(target)}"`);
      expect(cpuBlock).toContain(`sha256 "${sum(target)}"`);
    }
  });

  test("installs the binary, completions and man page from the archive, and tests --version", () => {
    expect(rb).toContain('bin.install "proxmox-mcp"');
    expect(rb).toContain('bash_completion.install "completions/proxmox-mcp.bash"');
    expect(rb).toContain('zsh_completion.install "completions/_proxmox-mcp"');
    expect(rb).toContain('fish_completion.install "completions/proxmox-mcp.fish"');
    expect(rb).toContain('man1.install "man/proxmox-mcp.1"');
    expect(rb).toContain("--version");
    expect(rb).not.toMatch(/\{\{|\}\}/);
  });

  test("escapes values for Ruby strings", () => {
    expect(rubyString('say "hi" #{x} \\')).toBe('say \\"hi\\" \\#{x} \\\\');
  });
});

describe("Scoop manifest", () => {
  const manifest = JSON.parse(files["proxmox-mcp.json"] ?? "{}");

  test("has the version, the windows-x64 zip, its hash and the folder inside it", () => {
    expect(manifest.version).toBe(FAKE_VERSION);
    expect(manifest.architecture["64bit"].url).toBe(url("windows-x64"));
    expect(manifest.architecture["64bit"].hash).toBe(sum("windows-x64"));
    expect(manifest.architecture["64bit"].extract_dir).toBe("proxmox-mcp-windows-x64");
    expect(manifest.bin).toBe("proxmox-mcp.exe");
    expect(manifest.license).toBe("MIT");
  });

  test("checks GitHub for new versions and finds their hash in SHA256SUMS", () => {
    expect(manifest.checkver.github).toBe("https://github.com/acme/proxmox-mcp");
    const auto = manifest.autoupdate.architecture["64bit"];
    expect(auto.url).toBe(
      "https://github.com/acme/proxmox-mcp/releases/download/v$version/proxmox-mcp-windows-x64.zip",
    );
    expect(auto.hash.url).toBe("$baseurl/SHA256SUMS");
    expect(auto.hash.regex).toBe("$sha256\\s+proxmox-mcp-windows-x64.zip");
    expect(auto.extract_dir).toBe("proxmox-mcp-windows-x64");
  });
});

describe("rendering refuses holes", () => {
  test("a release without a target's checksum", () => {
    const partial = { ...release, sums: new Map(release.sums) };
    partial.sums.delete(archiveName("darwin-arm64"));
    expect(() => renderPackaging(partial)).toThrow(/no entry for proxmox-mcp-darwin-arm64.tar.gz/);
  });

  test("an unknown placeholder or target", () => {
    expect(() => renderTemplate("{{nope}}", release, (v) => v)).toThrow(/unknown placeholder/);
    expect(() => renderTemplate("{{url:amiga-m68k}}", release, (v) => v)).toThrow(/unknown target/);
  });

  test("download URLs point at the tag of the version", () => {
    expect(downloadUrl(release, "SHA256SUMS")).toBe(
      `https://github.com/acme/proxmox-mcp/releases/download/v${FAKE_VERSION}/SHA256SUMS`,
    );
  });
});
