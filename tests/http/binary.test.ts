// The compiled binary in HTTP mode, as a service manager runs it: --demo on a free port, found
// from the line it prints on stderr; SDK clients over both transports; SIGTERM ends it cleanly.

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { compile } from "../../scripts/build.ts";
import { sseClient, streamableClient, structured, TOKEN } from "./support.ts";

const dir = mkdtempSync(join(tmpdir(), "pmcp-http-bin-"));
const binary = join(dir, "proxmox-mcp");

beforeAll(async () => {
  await compile("src/main.ts", "host", binary);
}, 180_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Reads stderr until the `listening on …/mcp` line; returns the URL and everything read. */
async function listeningUrl(proc: Subprocess<"ignore", "pipe", "pipe">): Promise<URL> {
  const decoder = new TextDecoder();
  let text = "";
  for await (const chunk of proc.stderr) {
    text += decoder.decode(chunk);
    const m = /listening on (http:\/\/\S+\/mcp)/.exec(text);
    if (m?.[1]) return new URL(m[1]);
  }
  throw new Error(`the binary exited without listening:\n${text}`);
}

describe("compiled binary, --server-type http", () => {
  test("serves both transports on the port it prints, and stops on SIGTERM", async () => {
    const proc = Bun.spawn(
      [binary, "--demo", "--server-type", "http", "--http-port", "0", "--http-auth-token", TOKEN],
      { stdin: "ignore", stdout: "pipe", stderr: "pipe" },
    );
    try {
      const url = await listeningUrl(proc);
      expect(url.hostname).toBe("127.0.0.1");
      expect(Number(url.port)).toBeGreaterThan(0);

      const { client } = await streamableClient(url);
      expect((await client.listTools()).tools.map((t) => t.name)).toContain("list_nodes");
      const nodes = structured<{ nodes: unknown[] }>(
        await client.callTool({ name: "list_nodes", arguments: {} }),
      );
      expect(nodes.nodes.length).toBeGreaterThan(0);
      await client.close();

      const sse = await sseClient(new URL("/sse", url));
      const vms = structured<{ guests: unknown[] }>(
        await sse.callTool({ name: "list_vms", arguments: {} }),
      );
      expect(vms.guests.length).toBeGreaterThan(0);
      await sse.close();

      const health = (await (await fetch(new URL("/healthz", url))).json()) as {
        proxmox: { state: string };
      };
      expect(health.proxmox.state).toBe("ok");

      proc.kill("SIGTERM");
      expect(await proc.exited).toBe(0);
      const refused = await fetch(new URL("/healthz", url)).then(
        () => false,
        () => true,
      );
      expect(refused).toBe(true);
      expect(await new Response(proc.stdout).text()).toBe(""); // stdout is never written
    } finally {
      proc.kill("SIGKILL");
    }
  });

  test("refuses to listen on all interfaces without a token (exit 2)", async () => {
    const proc = Bun.spawn(
      [binary, "--demo", "--server-type", "http", "--http-host", "0.0.0.0", "--http-port", "0"],
      { stdin: "ignore", stdout: "pipe", stderr: "pipe" },
    );
    expect(await proc.exited).toBe(2);
    expect(await new Response(proc.stderr).text()).toContain("--http-allow-unauthenticated");
  });
});
