// A real MCP client connected in memory to a server built as the shipped one is (the precomputed
// catalogue, tool modules loaded on the first call): for figures without process or socket noise.

import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import type { MockServer } from "../../src/mock/index.ts";
import { ConsoleRegistry } from "../../src/pve/console/registry.ts";
import { PveClient } from "../../src/pve/index.ts";
import { buildServer } from "../../src/server/build.ts";
import type { ToolPolicy } from "../../src/server/policy.ts";
import { lazyToolSource } from "../../src/server/tool-source.ts";

export interface InProcess {
  client: Client;
  close(): Promise<void>;
}

export async function inProcessServer(
  pve: PveClient | undefined,
  policy?: ToolPolicy,
  /** Ask before destructive calls, as the shipped server does unless --no-confirm. */
  confirm = false,
): Promise<InProcess> {
  const client = () => {
    if (!pve) throw new Error("this measurement has no Proxmox");
    return pve;
  };
  const server = buildServer({
    name: "proxmox-mcp",
    version: "bench",
    tools: lazyToolSource(),
    pve: client,
    taskWaitMs: 60_000,
    policy,
    confirm,
    consoles: new ConsoleRegistry(client),
  });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const mcp = new Client({ name: "bench", version: "1" });
  await server.connect(serverSide);
  await mcp.connect(clientSide);
  return {
    client: mcp,
    async close() {
      await mcp.close();
      await server.close();
    },
  };
}

/** A Proxmox client of the mock's token, as a user would configure it. */
export function mockClient(mock: MockServer, timeoutMs = 30_000): PveClient {
  const c = mock.credentials;
  return new PveClient({
    origin: mock.url,
    verifyTls: true,
    timeoutMs,
    user: c.user,
    tokenName: c.tokenId.split("!")[1],
    tokenValue: c.tokenSecret,
  });
}
