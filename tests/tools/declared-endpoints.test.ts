// A tool's `endpoints` are what its handler may call: the types reject anything else (tsc holds
// the marked lines), and at run time a call outside the declaration, or with a parameter the
// declaration leaves out, is refused before it reaches the client.

import { describe, expect, test } from "bun:test";
import { z } from "zod";
import {
  CLUSTER_RESOURCES,
  GUEST_CONFIG_PUT,
  NODE_STATUS,
  NODES,
} from "../../src/pve/endpoints/index.ts";
import { guestAt, Inventory, resolveCall, UNRESTRICTED } from "../../src/pve/index.ts";
import { defineTool, READ, type ToolContext } from "../../src/tools/define.ts";
import { onGuest } from "../../src/tools/guest-ref.ts";
import type { ToolClient } from "../../src/tools/tool-client.ts";

/** A client that records what would have been sent. */
function recordingClient(sent: string[]): ToolClient {
  return {
    origin: "https://pve.example:8006",
    auth: { kind: "token", identity: "root@pam!mcp" },
    scope: UNRESTRICTED,
    inventory: new Inventory(async () => []),
    async call(endpoint, args) {
      const c = resolveCall(endpoint, args as Record<string, unknown>);
      sent.push(`${c.method} ${c.path}`);
      return [] as never;
    },
  };
}

const context = (sent: string[]) =>
  ({ pve: recordingClient(sent), signal: new AbortController().signal }) as ToolContext;

function tool(
  endpoints: Parameters<typeof defineTool>[0]["endpoints"],
  run: (ctx: ToolContext) => Promise<unknown>,
  callerPaths?: boolean,
) {
  return defineTool({
    callerPaths,
    name: "probe",
    title: "Probe",
    toolset: "cluster",
    description: "A tool made up for this test only, to see what its handler may call.",
    input: z.strictObject({}),
    output: z.object({}),
    annotations: READ,
    endpoints,
    async handler(_args, ctx) {
      await run(ctx as unknown as ToolContext);
      return { data: {} };
    },
  });
}

describe("at run time", () => {
  test("a declared endpoint goes through; an undeclared one is refused unsent", async () => {
    const sent: string[] = [];
    await tool([NODES], (ctx) => ctx.pve.call(NODES, {})).handler({}, context(sent));
    expect(sent).toEqual(["GET /nodes"]);
    const undeclared = tool([NODES], (ctx) => ctx.pve.call(NODE_STATUS, { node: "pve1" }));
    await expect(undeclared.handler({}, context(sent))).rejects.toThrow(
      "probe calls GET /nodes/{node}/status, which its endpoints do not declare; nothing was sent",
    );
    expect(sent).toEqual(["GET /nodes"]);
  });

  test("a parameter or a guest kind the declaration leaves out is refused unsent", async () => {
    const sent: string[] = [];
    const declared = [GUEST_CONFIG_PUT.only("lxc").sending("tags")];
    const ct = guestAt({ node: "pve1", type: "lxc", vmid: 200 });
    await tool(declared, (ctx) => ctx.pve.call(GUEST_CONFIG_PUT, { ...ct, tags: "a" })).handler(
      {},
      context(sent),
    );
    expect(sent).toEqual(["PUT /nodes/pve1/lxc/200/config"]);
    const cores = tool(declared, (ctx) => ctx.pve.call(GUEST_CONFIG_PUT, { ...ct, cores: 2 }));
    await expect(cores.handler({}, context(sent))).rejects.toThrow(
      "PUT /nodes/{node}/lxc/{vmid}/config with cores, which its endpoints do not declare",
    );
    const vm = { ...ct, kind: "qemu" as const, tags: "a" };
    const qemu = tool(declared, (ctx) => ctx.pve.call(GUEST_CONFIG_PUT, vm));
    await expect(qemu.handler({}, context(sent))).rejects.toThrow(
      "probe calls PUT /nodes/{node}/qemu/{vmid}/config",
    );
    expect(sent).toHaveLength(1);
  });

  test("only a tool with callerPaths sends arbitrary paths through the raw API", async () => {
    const sent: string[] = [];
    const api = {
      refusal: () => undefined,
      schema: async () => ({ reason: "none", transient: false }) as const,
      request: async (method: string, path: string) => sent.push(`${method} ${path}`),
    };
    const ctx = { ...context([]), api } as ToolContext;
    const rawGet = (c: ToolContext) => c.api?.request("GET", "/nodes", {}) ?? Promise.resolve();
    await expect(tool([], rawGet).handler({}, ctx)).rejects.toThrow(
      "probe sends GET /nodes through the raw API, which only tools with callerPaths may",
    );
    expect(sent).toEqual([]);
    await tool([], rawGet, true).handler({}, ctx);
    expect(sent).toEqual(["GET /nodes"]);
  });

  test("the declaration is what the server, --check-api and the tests read", () => {
    expect(
      tool([CLUSTER_RESOURCES, GUEST_CONFIG_PUT.only("lxc")], async () => {}).endpoints,
    ).toEqual([
      { method: "GET", path: "/cluster/resources", params: ["type"] },
      {
        method: "PUT",
        path: "/nodes/{node}/lxc/{vmid}/config",
        params: GUEST_CONFIG_PUT.params,
      },
    ]);
  });
});

describe("in the types (tsc --noEmit covers the tests)", () => {
  test("a handler calls what it declares, and passes its context only to helpers it covers", () => {
    const probe = defineTool({
      name: "probe",
      title: "Probe",
      toolset: "cluster",
      description: "A tool made up for this test only, to see what its handler may call.",
      input: z.strictObject({ vmid: z.number() }),
      output: z.object({}),
      annotations: READ,
      endpoints: [NODES],
      async handler(args, ctx) {
        await ctx.pve.call(NODES, {});
        // @ts-expect-error NODE_STATUS is not declared
        await ctx.pve.call(NODE_STATUS, { node: "pve1" });
        // @ts-expect-error onGuest reads the inventory, which this tool does not declare
        await onGuest(ctx, args, async () => {});
        return { data: {} };
      },
    });
    expect(probe.endpoints).toEqual([{ method: "GET", path: "/nodes", params: [] }]);
  });
});
