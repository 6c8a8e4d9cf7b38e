// SIGTERM semantics, in process: calls in flight finish, new ones are turned away, sessions
// close and the port is released; a call that outlasts the grace period is cut, not awaited.

import { describe, expect, test } from "bun:test";
import { mcpPost, startFixture, streamableClient, structured } from "./support.ts";

const portOpen = async (origin: string) =>
  fetch(`${origin}/healthz`).then(
    () => true,
    () => false,
  );

describe("graceful shutdown", () => {
  test("a call in flight finishes; then sessions close and the port is free", async () => {
    const f = await startFixture({}, { taskDurationMs: 800 });
    const { client } = await streamableClient(f.url("/mcp"));
    const call = client.callTool({ name: "start_vm", arguments: { vmid: 102 } });
    while (f.server.sessions.inflight() === 0) await Bun.sleep(5);

    const stopped = f.server.shutdown();
    expect(structured<{ task_status: string }>(await call).task_status).toBe("ok");
    await stopped;
    expect(f.server.sessions.count()).toBe(0);
    expect(await portOpen(f.server.origin)).toBe(false);
    await client.close();
    await f.mock.stop();
  });

  test("a call longer than the grace period is cut and shutdown still ends", async () => {
    const f = await startFixture({ shutdownGraceMs: 100 }, { taskDurationMs: 30_000 });
    const { client, transport } = await streamableClient(f.url("/mcp"));
    // Raw, so the end of the answer stream is visible (the SDK client would wait for a retry).
    const answer = mcpPost(
      f.url("/mcp"),
      JSON.stringify({
        jsonrpc: "2.0",
        id: 42,
        method: "tools/call",
        params: { name: "start_vm", arguments: { vmid: 102 } },
      }),
      { "Mcp-Session-Id": transport.sessionId as string },
    )
      .then((res) => res.text())
      .catch(() => "connection cut");
    while (f.server.sessions.inflight() === 0) await Bun.sleep(5);
    await f.server.shutdown();
    expect(await portOpen(f.server.origin)).toBe(false);
    expect(await answer).not.toContain('"id":42');
    await client.close();
    await f.mock.stop();
  });
});
