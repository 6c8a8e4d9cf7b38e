// The spec's JSON-RPC error codes, through a real client: -32602 with one line naming the bad
// parameter on every method, -32002 for a resource that does not exist, -32601 for a task-run
// call of a tool without task support; never a validator dump, never a doubled prefix.

import { afterEach, expect, test } from "bun:test";
import { CreateTaskResultSchema } from "@modelcontextprotocol/sdk/experimental/tasks/types.js";
import { McpError } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { type Harness, startHarness } from "../support/harness.ts";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const Anything = z.looseObject({});

/** The error a raw request gets (the SDK client throws it as an McpError). */
async function errorOf(method: string, params: unknown, schema: z.ZodType = Anything) {
  h ??= await startHarness();
  const error = await h.client.request({ method, params } as never, schema as never).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof McpError)) throw new Error(`${method} did not fail with an MCP error`);
  return error;
}

/** One line, one prefix (the client's own), no zod dump. */
function expectPlain(error: McpError, code: number) {
  expect(error.code).toBe(code);
  expect(error.message).toStartWith(`MCP error ${code}: `);
  expect(error.message.slice(`MCP error ${code}: `.length)).not.toContain("MCP error");
  expect(error.message).not.toContain("\n");
  expect(error.message).not.toContain('"code"');
}

test.each([
  ["resources/read", {}, "Invalid params for resources/read: uri: expected string"],
  [
    "resources/subscribe",
    { uri: 5 },
    "Invalid params for resources/subscribe: uri: expected string",
  ],
  [
    "logging/setLevel",
    { level: "loud" },
    "Invalid params for logging/setLevel: level must be one of debug, info, notice",
  ],
  [
    "prompts/get",
    { arguments: { vmid: "100" } },
    "Invalid params for prompts/get: name: expected string",
  ],
  [
    "completion/complete",
    { ref: { type: "ref/nothing" }, argument: { name: "vmid", value: "1" } },
    "Invalid params for completion/complete: ref.type must be one of ref/prompt, ref/resource",
  ],
  ["tools/call", { arguments: [] }, "Invalid params for tools/call: name: expected string"],
  ["tasks/get", {}, "Invalid params for tasks/get: taskId: expected string"],
])("%s with unfit params: -32602 naming the parameter", async (method, params, message) => {
  const error = await errorOf(method, params);
  expectPlain(error, -32602);
  expect(error.message).toContain(message);
});

test("errors a handler raises keep their code and lose the SDK's prefix", async () => {
  const prompt = await errorOf("prompts/get", { name: "no_such_prompt" });
  expectPlain(prompt, -32602);
  expect(prompt.message).toContain('unknown prompt "no_such_prompt"');
  const task = await errorOf("tasks/get", { taskId: "no-such-task" });
  expectPlain(task, -32602);
  expect(task.message).toContain("Task not found");
});

test("an unknown tool is a protocol error, -32602", async () => {
  const error = await errorOf("tools/call", { name: "no_such_tool", arguments: {} });
  expectPlain(error, -32602);
  expect(error.message).toContain("Unknown tool: no_such_tool");
});

test("a resource that does not exist is -32002, with its URI", async () => {
  for (const uri of ["pve://guests/99999/status", "pve://guests/99999/config", "pve://nowhere"]) {
    const error = await errorOf("resources/read", { uri });
    expectPlain(error, -32002);
    expect(error.message).toContain(`Resource not found: ${uri}`);
    expect(error.data).toEqual({ uri });
  }
  const subscribe = await errorOf("resources/subscribe", { uri: "pve://guests/99999/status" });
  expectPlain(subscribe, -32002);
});

test("task augmentation of a tool without task support is -32601, and runs nothing", async () => {
  h = await startHarness();
  h.mock.requests.length = 0;
  const error = await errorOf(
    "tools/call",
    { name: "list_nodes", arguments: {}, task: { ttl: 60_000 } },
    CreateTaskResultSchema,
  );
  expectPlain(error, -32601);
  expect(error.message).toContain("list_nodes");
  expect(h.mock.requests).toHaveLength(0);
});
