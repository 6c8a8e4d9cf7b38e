// The soak test's server: the real HTTP server (startHttpServer, as `--server-type http` runs it)
// in a process of its own, so its memory is measured alone, against the soak's mock. It prints
// its URL, then answers "gc" lines on stdin with a full collection and its RSS in bytes. A sixth
// argument is an allowed_vmids scope for the client's guard.

import { heapStats } from "bun:jsc";
import { settingsSchema } from "../../src/config/index.ts";
import { ConsoleRegistry } from "../../src/pve/console/registry.ts";
import { createScope, PveClient } from "../../src/pve/index.ts";
import { startHttpServer } from "../../src/server/http.ts";
import { httpConfig } from "../../src/server/http-config.ts";
import { OPEN_POLICY } from "../../src/server/policy.ts";
import { lazyToolSource } from "../../src/server/tool-source.ts";

const [origin = "", user = "", tokenName, tokenValue, authToken, vmids] = process.argv.slice(2);
const pve = new PveClient({
  origin,
  verifyTls: true,
  timeoutMs: 30_000,
  user,
  tokenName,
  tokenValue,
  scope: vmids ? createScope({ allowed_vmids: [vmids] }) : undefined,
});
const server = await startHttpServer(
  {
    name: "proxmox-mcp",
    version: "soak",
    tools: lazyToolSource(),
    pve: () => pve,
    taskWaitMs: 30_000,
    policy: { ...OPEN_POLICY, toolsets: ["default"] },
    confirm: false, // --no-confirm: the soak stops guests
    consoles: new ConsoleRegistry(() => pve),
  },
  httpConfig(settingsSchema().parse({ http_port: 0, http_auth_token: authToken })),
);
console.log(`listening ${server.origin}/mcp`);

const decoder = new TextDecoder();
for await (const chunk of Bun.stdin.stream()) {
  for (const line of decoder.decode(chunk).split("\n")) {
    if (line.trim() !== "gc") continue;
    Bun.gc(true);
    const { heapSize, objectCount } = heapStats();
    console.log(`rss ${process.memoryUsage().rss} heap ${heapSize} objects ${objectCount}`);
  }
}
await server.shutdown();
process.exit(0);
