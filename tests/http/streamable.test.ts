// Streamable HTTP at /mcp with the SDK's own client over a real socket: the whole life of a
// session, a task with progress, and many clients at once.

import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { ResourceUpdatedNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import {
  type Fixture,
  initialize,
  mcpPost,
  rpcError,
  startFixture,
  streamableClient,
  structured,
} from "./support.ts";

let f: Fixture;
beforeEach(async () => {
  f = await startFixture({}, { taskDurationMs: 400 }, { resourcePollMs: 20 });
});
afterEach(() => f.close());

describe("Streamable HTTP /mcp", () => {
  test("initialize, tools/list and a read tool", async () => {
    const { client, transport } = await streamableClient(f.url("/mcp"));
    expect(transport.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(client.getServerVersion()?.name).toBe("proxmox-mcp");
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toContain("start_vm");
    const nodes = structured<{ nodes: { node: string }[] }>(
      await client.callTool({ name: "list_nodes", arguments: {} }),
    );
    expect(nodes.nodes.map((n) => n.node)).toContain("pve1");
    await client.close();
  });

  test("start_vm waits for its task and streams progress notifications", async () => {
    const { client } = await streamableClient(f.url("/mcp"));
    const progress: { progress: number; message?: string }[] = [];
    const result = structured<{ vmid: number; task_status: string; upid: string }>(
      await client.callTool({ name: "start_vm", arguments: { vmid: 102 } }, undefined, {
        onprogress: (p) => progress.push(p),
      }),
    );
    expect(result.vmid).toBe(102);
    expect(result.task_status).toBe("ok");
    expect(result.upid).toStartWith("UPID:pve2:");
    expect(progress.length).toBeGreaterThan(0);
    // Progress only grows.
    expect(progress.map((p) => p.progress)).toEqual(
      [...progress.map((p) => p.progress)].sort((a, b) => a - b),
    );
    expect(f.mock.state.guests.get(102)?.status).toBe("running");
    await client.close();
  });

  test("server-initiated notifications reach the client on its GET stream", async () => {
    const { client } = await streamableClient(f.url("/mcp"));
    const received: string[] = [];
    client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => {
      received.push(n.params.uri);
    });
    const uri = "pve://guests/103/status";
    await client.subscribeResource({ uri });
    // A change the server notices while polling, outside any request: it rides the GET stream,
    // which the client opens just after initialize (a change before that is not kept).
    const guest = f.mock.state.guests.get(103);
    while (guest && !received.includes(uri)) {
      guest.lock = guest.lock ? undefined : "backup";
      await Bun.sleep(20);
    }
    await client.close();
  });

  test("DELETE ends the session; its id then gets 404", async () => {
    const { client, transport } = await streamableClient(f.url("/mcp"));
    const id = transport.sessionId as string;
    expect(f.server.sessions.get(id)).toBeDefined();
    await transport.terminateSession();
    expect(f.server.sessions.get(id)).toBeUndefined();
    const res = await mcpPost(f.url("/mcp"), '{"jsonrpc":"2.0","id":2,"method":"tools/list"}', {
      "Mcp-Session-Id": id,
    });
    expect(res.status).toBe(404);
    expect((await rpcError(res)).code).toBe(-32001);
    await client.close();
  });

  test("an old client's protocol version is answered with a supported one", async () => {
    for (const version of ["0.1.0", "2024-11-05"]) {
      const res = await mcpPost(f.url("/mcp"), initialize(version), {
        Accept: "application/json, text/event-stream",
      });
      expect(res.status).toBe(200);
      const text = await res.text();
      const answer = JSON.parse(text.slice(text.indexOf("data: ") + 6).split("\n")[0] as string);
      expect(answer.result.protocolVersion).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(answer.error).toBeUndefined();
    }
  });

  test("50 clients × 20 calls each are all answered, each with its own answer", async () => {
    const vmids = [...f.mock.state.guests.keys()];
    const clients = await Promise.all(
      Array.from({ length: 50 }, () => streamableClient(f.url("/mcp"))),
    );
    expect(new Set(clients.map((c) => c.transport.sessionId)).size).toBe(50);
    const answers = await Promise.all(
      clients.map(async ({ client }, i) => {
        const seen: number[] = [];
        for (let call = 0; call < 20; call++) {
          const vmid = vmids[(i + call) % vmids.length] as number;
          const config = structured<{ vmid: number }>(
            await client.callTool({ name: "get_vm_config", arguments: { vmid } }),
          );
          seen.push(config.vmid === vmid ? 1 : 0);
        }
        return seen;
      }),
    );
    expect(answers.flat()).toEqual(Array(1000).fill(1));
    await Promise.all(clients.map(({ client }) => client.close()));
  });

  test("idle sessions expire; an expired id gets 404", async () => {
    const g = await startFixture({ sessionIdleMs: 50 });
    try {
      const { client, transport } = await streamableClient(g.url("/mcp"));
      const id = transport.sessionId as string;
      await client.listTools(); // in use: not idle
      while (g.server.sessions.get(id)) await Bun.sleep(100); // the sweeper runs every second
      const res = await mcpPost(g.url("/mcp"), '{"jsonrpc":"2.0","id":9,"method":"ping"}', {
        "Mcp-Session-Id": id,
      });
      expect(res.status).toBe(404);
      await client.close();
    } finally {
      await g.close();
    }
  });
});
