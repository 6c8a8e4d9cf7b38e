// server.json (MCP Registry, schema 2025-12-11) and the MCP Bundle (manifest v0.3, validated and
// packed by @anthropic-ai/mcpb): checked against the constraints of their published schemas that
// matter here, and read back.

import { describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inflateRawSync } from "node:zlib";
import { z } from "zod";
import { mcpb, packBundle } from "../../scripts/pack-mcpb.ts";
import { mcpbManifest } from "../../scripts/render/mcpb-manifest.ts";
import { imageRef, SERVER_SCHEMA_URL, serverJson } from "../../scripts/render/server-json.ts";
import { MCPB_TARGETS, mcpbName } from "../../scripts/targets.ts";
import { SETTINGS } from "../../src/config/index.ts";
import { isAppOnly, type ListedTool } from "../../src/server/catalog.ts";
import catalog from "../../src/tools/catalog.json" with { type: "json" };
import { testWithProgram } from "../support/installed.ts";
import { FAKE_VERSION, fakeRelease } from "./fake-release.ts";

const release = fakeRelease();
const ASKED = ["host", "port", "user", "token_name", "token_value", "no_verify_ssl", "ca_file"];

const EnvVar = z.object({
  name: z.string().regex(/^PROXMOX_[A-Z_]+$/),
  description: z.string().min(1),
  isRequired: z.boolean(),
  isSecret: z.boolean(),
  format: z.enum(["string", "number", "boolean", "filepath"]),
  default: z.string().optional(),
  choices: z.array(z.string()).optional(),
});
const ServerJson = z.object({
  $schema: z.literal(SERVER_SCHEMA_URL),
  name: z.string().regex(/^[a-zA-Z0-9.-]+\/[a-zA-Z0-9._-]+$/),
  description: z.string().min(1).max(100),
  version: z.string().regex(/^\d+\.\d+\.\d+/),
  repository: z.object({ url: z.url(), source: z.literal("github") }),
  packages: z.array(
    z.object({
      registryType: z.enum(["mcpb", "oci"]),
      identifier: z.string().min(1),
      fileSha256: z
        .string()
        .regex(/^[a-f0-9]{64}$/)
        .optional(),
      transport: z.object({ type: z.literal("stdio") }),
      environmentVariables: z.array(EnvVar),
    }),
  ),
});

describe("server.json", () => {
  const doc = serverJson(release);

  test("fits the registry schema's constraints", () => {
    expect(() => ServerJson.parse(doc)).not.toThrow();
    expect(doc.name).toBe("io.github.acme/proxmox-mcp");
    expect(doc.version).toBe(FAKE_VERSION);
  });

  test("lists one MCP Bundle per desktop platform, with its release URL and SHA-256", () => {
    const bundles = ServerJson.parse(doc).packages.filter((p) => p.registryType === "mcpb");
    expect(bundles.map((b) => b.identifier)).toEqual(
      MCPB_TARGETS.map(
        (t) =>
          `https://github.com/acme/proxmox-mcp/releases/download/v${FAKE_VERSION}/${mcpbName(t)}`,
      ),
    );
    for (const [i, t] of MCPB_TARGETS.entries()) {
      expect(bundles[i]?.fileSha256).toBe(release.sums.get(mcpbName(t)) ?? "missing");
      expect(bundles[i]?.identifier).toContain("mcp"); // a registry rule for MCPB URLs
    }
  });

  test("runs the image over stdio, overriding its HTTP default", () => {
    const image = (doc.packages as Record<string, unknown>[]).find((p) => p.registryType === "oci");
    expect(image?.identifier).toBe(`ghcr.io/acme/proxmox-mcp:${FAKE_VERSION}`);
    expect(image?.packageArguments).toEqual([
      { type: "named", name: "--server-type", value: "stdio" },
    ]);
    expect(imageRef({ repo: "Acme/Proxmox-MCP", version: "1.0.0" })).toBe(
      "ghcr.io/acme/proxmox-mcp:1.0.0",
    );
  });

  test("asks for host, user and token through the settings' env vars; the token is secret", () => {
    const env = ServerJson.parse(doc).packages[0]?.environmentVariables ?? [];
    const byName = new Map(env.map((v) => [v.name, v]));
    for (const key of ASKED) expect(byName.has(`PROXMOX_${key.toUpperCase()}`)).toBe(true);
    expect(byName.get("PROXMOX_TOKEN_VALUE")?.isSecret).toBe(true);
    expect(byName.get("PROXMOX_HOST")?.isRequired).toBe(true);
    expect(byName.get("PROXMOX_PORT")).toMatchObject({ format: "number", default: "8006" });
    expect(byName.get("PROXMOX_CA_FILE")?.format).toBe("filepath");
  });

  test("refuses a description the registry would reject", () => {
    expect(() => serverJson({ ...release, description: "x".repeat(101) })).toThrow(/100/);
  });
});

describe("MCP Bundle manifest", () => {
  const manifest = mcpbManifest(release, "darwin-arm64");
  const server = manifest.server as {
    type: string;
    entry_point: string;
    mcp_config: { command: string; args: string[]; env: Record<string, string> };
  };
  const userConfig = manifest.user_config as Record<string, Record<string, unknown>>;

  test("is a v0.3 binary bundle of this version for its one platform", () => {
    expect(manifest.manifest_version).toBe("0.3");
    expect(manifest.version).toBe(FAKE_VERSION);
    expect(server.type).toBe("binary");
    expect(server.entry_point).toBe("server/proxmox-mcp");
    expect(server.mcp_config.command).toBe(`\${__dirname}/server/proxmox-mcp`);
    expect(manifest.compatibility).toEqual({ platforms: ["darwin"] });
    const win = mcpbManifest(release, "windows-x64") as { server: typeof server };
    expect(win.server.entry_point).toBe("server/proxmox-mcp.exe");
  });

  test("has the required top-level fields of the schema", () => {
    for (const field of ["name", "version", "description", "author", "server"]) {
      expect(manifest[field]).toBeDefined();
    }
  });

  test("asks for host, user and token, and passes each answer as its env var", () => {
    expect(Object.keys(userConfig)).toEqual(ASKED);
    for (const key of ASKED) {
      const field = userConfig[key] ?? {};
      expect(field.title).toBeString();
      expect(field.description).toBeString();
      expect(server.mcp_config.env[`PROXMOX_${key.toUpperCase()}`]).toBe(`\${user_config.${key}}`);
    }
    expect(userConfig.token_value?.sensitive).toBe(true);
    expect(userConfig.host?.required).toBe(true);
    expect(userConfig.port).toMatchObject({ type: "number", default: 8006, min: 1, max: 65535 });
    expect(userConfig.no_verify_ssl).toMatchObject({ type: "boolean", default: false });
    expect(userConfig.ca_file?.type).toBe("file");
    const envVars = new Set(SETTINGS.map((d) => `PROXMOX_${d.key.toUpperCase()}`));
    for (const name of Object.keys(server.mcp_config.env)) expect(envVars.has(name)).toBe(true);
  });

  test("lists the catalogue's tools a model can call, not those only a view calls", () => {
    const tools = (manifest.tools as { name: string }[]).map((t) => t.name);
    const listed = catalog as unknown as ListedTool[];
    expect(tools).toEqual(listed.filter((t) => !isAppOnly(t)).map((t) => t.name));
    expect(tools).toContain("show_cluster");
    expect(tools).not.toContain("view_cluster");
  });
});

/** Reads a ZIP's entries back (central directory → local data), deflate only. */
function unzip(buf: Buffer): Map<string, { data: Buffer; mode: number }> {
  const end = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = buf.readUInt16LE(end + 10);
  let at = buf.readUInt32LE(end + 16);
  const out = new Map<string, { data: Buffer; mode: number }>();
  for (let i = 0; i < count; i++) {
    const size = buf.readUInt32LE(at + 20);
    const nameLength = buf.readUInt16LE(at + 28);
    const skip = nameLength + buf.readUInt16LE(at + 30) + buf.readUInt16LE(at + 32);
    const mode = (buf.readUInt32LE(at + 38) >>> 16) & 0o777;
    const local = buf.readUInt32LE(at + 42);
    const name = buf.toString("utf8", at + 46, at + 46 + nameLength);
    const dataAt = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    out.set(name, { data: inflateRawSync(buf.subarray(dataAt, dataAt + size)), mode });
    at += 46 + skip;
  }
  return out;
}

describe("MCP Bundle file, packed by the official mcpb tool", () => {
  const dir = mkdtempSync(join(tmpdir(), "pmcp-mcpb-"));
  const binaryFile = join(dir, "proxmox-mcp-linux-x64");
  const binary = Buffer.from("#!/bin/sh\necho fake\n".repeat(1000));
  writeFileSync(binaryFile, binary);
  const out = join(dir, "b.mcpb");
  packBundle(release, "linux-x64", binaryFile, out);
  const bundle = readFileSync(out);

  test("holds manifest.json and the binary, executable", () => {
    const entries = unzip(bundle);
    expect([...entries.keys()].sort()).toEqual(["manifest.json", "server/proxmox-mcp"]);
    expect(entries.get("server/proxmox-mcp")?.data.equals(binary)).toBe(true);
    expect(entries.get("server/proxmox-mcp")?.mode).toBe(0o755);
    const manifest = JSON.parse(entries.get("manifest.json")?.data.toString() ?? "{}");
    expect(manifest.version).toBe(FAKE_VERSION);
    expect(manifest.compatibility.platforms).toEqual(["linux"]);
  });

  test("mcpb holds the manifest to the bundle schema: one without an author is refused", () => {
    const manifest = join(dir, "manifest.json");
    const { author: _, ...incomplete } = mcpbManifest(release, "linux-x64");
    writeFileSync(manifest, JSON.stringify(incomplete));
    expect(() => mcpb("validate", manifest)).toThrow(/mcpb validate failed[\s\S]*author/);
    writeFileSync(manifest, JSON.stringify(mcpbManifest(release, "linux-x64")));
    expect(() => mcpb("validate", manifest)).not.toThrow();
  });

  testWithProgram(
    "unzip",
    "passes unzip's integrity test",
    () => {
      const run = spawnSync("unzip", ["-t", out], { encoding: "utf8" });
      expect(run.stdout).toContain("No errors detected");
    },
    ["-v"],
  );
});
