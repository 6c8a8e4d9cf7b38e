// --http-stateless: no sessions, every POST stands alone (replicas behind a load balancer).

import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { OPEN_POLICY } from "../../src/server/policy.ts";
import { bearer, type Fixture, startFixture, streamableClient, structured } from "./support.ts";

let f: Fixture;
beforeEach(async () => {
  f = await startFixture({ stateless: true }, { taskDurationMs: 400 });
});
afterEach(() => f.close());

describe("stateless Streamable HTTP", () => {
  test("no session id; tools/list and a task with progress still work", async () => {
    const { client, transport } = await streamableClient(f.url("/mcp"));
    expect(transport.sessionId).toBeUndefined();
    expect((await client.listTools()).tools.map((t) => t.name)).toContain("start_vm");
    const progress: number[] = [];
    const result = structured<{ task_status: string }>(
      await client.callTool({ name: "start_vm", arguments: { vmid: 102 } }, undefined, {
        onprogress: (p) => progress.push(p.progress),
      }),
    );
    expect(result.task_status).toBe("ok");
    expect(progress.length).toBeGreaterThan(0);
    await client.close();
  });

  test("GET and DELETE are not offered (405)", async () => {
    for (const method of ["GET", "DELETE"]) {
      const res = await fetch(f.url("/mcp"), {
        method,
        headers: { ...bearer(), Accept: "text/event-stream" },
      });
      expect(res.status).toBe(405);
    }
  });

  test("concurrent clients are all answered, and nothing stays open afterwards", async () => {
    const clients = await Promise.all(
      Array.from({ length: 20 }, () => streamableClient(f.url("/mcp"))),
    );
    const counts = await Promise.all(
      clients.map(async ({ client }) => {
        let ok = 0;
        for (let i = 0; i < 5; i++) {
          const r = structured<{ guests: unknown[] }>(
            await client.callTool({ name: "list_vms", arguments: {} }),
          );
          if (r.guests.length > 0) ok++;
        }
        return ok;
      }),
    );
    expect(counts).toEqual(Array(20).fill(5));
    await Promise.all(clients.map(({ client }) => client.close()));
    while (f.server.sessions.count() > 0) await Bun.sleep(10);
    expect(f.server.sessions.count()).toBe(0);
  });
});

describe("the tool list without sessions", () => {
  test("is what the settings choose: no enable_toolset, whose effect no request would keep", async () => {
    const fixed = await startFixture(
      { stateless: true },
      {},
      {
        policy: { ...OPEN_POLICY, toolsets: ["default"], lazy: true },
      },
    );
    try {
      const { client } = await streamableClient(fixed.url("/mcp"));
      const names = (await client.listTools()).tools.map((t) => t.name);
      expect(names).toContain("start_vm"); // lazy mode would list nothing it could keep
      expect(names).not.toContain("enable_toolset");
      expect(names).not.toContain("list_toolsets");
      const r = await client.callTool({ name: "get_next_vmid", arguments: {} });
      expect(r.isError).toBe(true);
      expect(JSON.stringify(r.content)).toContain(
        'its toolset \\"lifecycle\\" is not enabled; nothing was sent',
      );
      await client.close();
    } finally {
      await fixed.close();
    }
  });
});
