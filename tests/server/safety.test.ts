// Safety and context control through a real MCP client: toolsets, read-only, lazy mode, scopes,
// confirmation (elicitation and two-step) and the audit log. A refused call must send nothing.

import { afterEach, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type CallToolResult,
  ElicitRequestSchema,
  ToolListChangedNotificationSchema,
} from "@modelcontextprotocol/sdk/types.js";
import { createAuditLog } from "../../src/server/audit.ts";
import { OPEN_POLICY, type ToolPolicy } from "../../src/server/policy.ts";
import { type Harness, type HarnessOptions, startHarness } from "../support/harness.ts";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const open = async (options: HarnessOptions) => {
  h = await startHarness(options);
  return h;
};
const policy = (p: Partial<ToolPolicy>): ToolPolicy => ({ ...OPEN_POLICY, ...p });
const names = async (x: Harness) => (await x.client.listTools()).tools.map((t) => t.name).sort();
const listBytes = async (x: Harness) => JSON.stringify(await x.client.listTools()).length;
const textOf = (r: CallToolResult) =>
  r.content.map((c) => (c.type === "text" ? c.text : "")).join("\n");

describe("toolsets and single tools", () => {
  test("--toolsets narrows the list, and its size shrinks", async () => {
    const all = await open({});
    const allBytes = await listBytes(all);
    const allNames = await names(all);
    await all.close();
    const tasksOnly = await open({ server: { policy: policy({ toolsets: ["tasks"] }) } });
    expect(await names(tasksOnly)).toEqual([
      "enable_toolset",
      "get_task_status",
      "list_tasks",
      "list_toolsets",
      "read_task_log",
      "stop_task",
      "wait_for_task",
    ]);
    expect(await listBytes(tasksOnly)).toBeLessThan(allBytes / 3);
    expect(allNames.length).toBeGreaterThan(4);
    expect(allNames).toContain("enable_toolset"); // the discovery tools are always there
  });

  test("--tools adds single tools, --exclude-tools wins over everything", async () => {
    const x = await open({
      server: {
        policy: policy({
          toolsets: ["tasks"],
          tools: ["list_vms", "stop_vm"],
          excludeTools: ["stop_vm", "list_tasks", "stop_task"],
        }),
      },
    });
    expect(await names(x)).toEqual([
      "enable_toolset",
      "get_task_status",
      "list_toolsets",
      "list_vms",
      "read_task_log",
      "wait_for_task",
    ]);
  });

  test("a tool that is not listed cannot be called, and sends nothing; its toolset brings it", async () => {
    const x = await open({ server: { policy: policy({ toolsets: ["tasks"] }) } });
    x.mock.requests.length = 0;
    const text = await x.fails("stop_vm", { vmid: 100 });
    expect(text).toContain('tool "stop_vm" is not enabled in this session; nothing was sent');
    expect(text).toContain('call enable_toolset with toolsets ["power"]');
    expect(x.mock.requests).toHaveLength(0);
    expect(x.mock.state.guests.get(100)?.status).toBe("running");
    await x.ok("enable_toolset", { toolsets: ["power"] });
    await x.ok("stop_vm", { vmid: 100 });
    expect(x.mock.state.guests.get(100)?.status).toBe("stopped");
  });

  test("without enable_toolset, what the settings leave out is the administrator's to add", async () => {
    const x = await open({
      server: { policy: policy({ toolsets: ["tasks"], excludeTools: ["enable_toolset"] }) },
    });
    const text = await x.fails("stop_vm", { vmid: 100 });
    expect(text).toContain(
      'tool "stop_vm" is not enabled on this server: its toolset "power" is not enabled',
    );
    expect(text).toContain("--toolsets power or --tools stop_vm");
  });
});

describe("read-only mode", () => {
  test("only read-only tools are listed", async () => {
    const x = await open({ server: { policy: policy({ readOnly: true }) } });
    const { tools } = await x.client.listTools();
    expect(tools.length).toBeGreaterThan(5);
    expect(tools.every((t) => t.annotations?.readOnlyHint === true)).toBe(true);
    expect(tools.map((t) => t.name)).not.toContain("start_vm");
  });

  test("the client refuses non-GET requests as a second wall", async () => {
    const x = await open({ readOnlyClient: true });
    x.guest(102).status = "stopped";
    x.mock.requests.length = 0;
    const text = await x.fails("start_vm", { vmid: 102 });
    expect(text).toContain("read-only");
    expect(x.mock.requests.filter((r) => r.method !== "GET")).toHaveLength(0);
    expect(x.mock.state.guests.get(102)?.status).toBe("stopped");
  });
});

describe("lazy mode", () => {
  test("starts with the discovery tools; enable_toolset announces the new tools", async () => {
    const x = await open({ server: { policy: policy({ lazy: true }) } });
    let changes = 0;
    x.client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
      changes++;
    });
    expect(await names(x)).toEqual(["enable_toolset", "list_toolsets"]);
    const sets = await x.ok<{ toolsets: { toolset: string; enabled: boolean; tools: string[] }[] }>(
      "list_toolsets",
    );
    expect(sets.toolsets.find((s) => s.toolset === "tasks")).toMatchObject({ enabled: false });
    const enabled = await x.ok<{ added_tools: string[] }>("enable_toolset", {
      toolsets: ["tasks"],
    });
    expect(enabled.added_tools.sort()).toEqual([
      "get_task_status",
      "list_tasks",
      "read_task_log",
      "stop_task",
      "wait_for_task",
    ]);
    expect(await names(x)).toContain("list_tasks");
    await x.ok("list_tasks");
    await x.client.ping(); // messages arrive in order: a notification sent before is in
    expect(changes).toBe(1);
  });

  test("a hidden tool cannot be called before its toolset is enabled", async () => {
    const x = await open({ server: { policy: policy({ lazy: true }) } });
    x.guest(102).status = "stopped";
    x.mock.requests.length = 0;
    expect(await x.fails("start_vm", { vmid: 102 })).toContain(
      'call enable_toolset with toolsets ["power"]',
    );
    expect(x.mock.requests).toHaveLength(0);
    expect(x.guest(102).status).toBe("stopped");
  });

  test("lazy mode keeps read-only and exclusions", async () => {
    const x = await open({
      server: { policy: policy({ lazy: true, readOnly: true, excludeTools: ["list_vms"] }) },
    });
    const guests = await x.ok<{ added_tools: string[] }>("enable_toolset", {
      toolsets: ["guests"],
    });
    expect(guests.added_tools).toContain("list_containers");
    expect(guests.added_tools).not.toContain("list_vms");
    // Read-only leaves the power toolset empty: it is not offered at all.
    expect(await x.fails("enable_toolset", { toolsets: ["power"] })).toContain(
      'toolset "power" is not offered by this server',
    );
    expect(await names(x)).not.toContain("start_vm");
  });
});

describe("scopes", () => {
  test("a vmid outside the allowed ranges is refused before any request", async () => {
    const x = await open({ scope: { allowed_vmids: ["200-299"] } });
    x.mock.requests.length = 0;
    const text = await x.fails("stop_vm", { vmid: 100 });
    expect(text).toContain("guest 100 is outside this server's scope (allowed: vmids 200-299)");
    expect(x.mock.requests).toHaveLength(0);
  });

  test("a node outside the allowed nodes is refused before any request", async () => {
    const x = await open({ scope: { allowed_nodes: ["pve1"] } });
    x.mock.requests.length = 0;
    expect(await x.fails("get_node_status", { node: "pve2" })).toContain("node pve2 is outside");
    expect(x.mock.requests).toHaveLength(0);
  });

  test("a guest on a node outside the scope is refused, and nothing is written", async () => {
    const x = await open({ scope: { allowed_nodes: ["pve1"] } });
    x.mock.requests.length = 0;
    const text = await x.fails("start_vm", { vmid: 102 });
    expect(text).toContain("guest 102 is outside this server's scope (allowed: nodes pve1)");
    expect(text).toContain("allowed_nodes (--allowed-nodes)");
    expect(x.writes()).toHaveLength(0);
  });

  test("pool and tag scopes: listings show only what is in scope; others are refused", async () => {
    const x = await open({ scope: { allowed_tags: ["prod"] } });
    const vms = await x.ok<{ guests: { vmid: number }[] }>("list_vms");
    expect(vms.guests.map((g) => g.vmid)).toEqual([100, 101]);
    const cts = await x.ok<{ guests: unknown[] }>("list_containers");
    expect(cts.guests).toEqual([]);
    x.mock.requests.length = 0;
    expect(await x.fails("stop_container", { node: "pve1", vmid: 200 })).toContain(
      "outside this server's scope",
    );
    expect(x.writes()).toHaveLength(0);
    await x.close();
    const pool = await open({ scope: { allowed_pools: ["prod"] } });
    expect(
      (await pool.ok<{ guests: { vmid: number }[] }>("list_vms")).guests.map((g) => g.vmid),
    ).toContain(100);
  });

  test("listings of nodes honour the node scope", async () => {
    const x = await open({ scope: { allowed_nodes: ["pve1", "pve3"] } });
    const r = await x.ok<{ nodes: { node: string }[] }>("list_nodes");
    expect(r.nodes.map((n) => n.node)).toEqual(["pve1", "pve3"]);
  });
});

describe("confirmation of destructive calls", () => {
  test("without elicitation: the first call only describes the impact; its code runs it", async () => {
    const x = await open({ server: { confirm: true } });
    x.mock.requests.length = 0;
    const first = await x.call("stop_vm", { vmid: 100 });
    expect(first.isError).toBe(true);
    const text = textOf(first);
    expect(text).toContain("Not done yet");
    expect(text).toContain('VM 100 "web-01" on pve1, currently running');
    const { confirm, impact } = first.structuredContent as { confirm: string; impact: string };
    expect(confirm).toMatch(/^[A-Z2-9]{8}$/);
    expect(text).toContain(`confirm: "${confirm}"`);
    expect(impact).toContain("stop_vm (Stop (hard) VM)");
    expect(x.writes()).toHaveLength(0);
    expect(x.mock.state.guests.get(100)?.status).toBe("running");
    await x.ok("stop_vm", { vmid: 100, confirm });
    expect(x.mock.state.guests.get(100)?.status).toBe("stopped");
  });

  test("non-destructive tools are not asked about", async () => {
    const x = await open({ server: { confirm: true } });
    x.guest(102).status = "stopped";
    await x.ok("start_vm", { vmid: 102 });
    expect(x.mock.state.guests.get(102)?.status).toBe("running");
  });

  test("with elicitation: one clear question; accept runs it, decline changes nothing", async () => {
    const x = await open({ server: { confirm: true }, capabilities: { elicitation: {} } });
    const questions: string[] = [];
    let answer = true;
    x.client.setRequestHandler(ElicitRequestSchema, async (req) => {
      questions.push(String(req.params.message));
      return { action: "accept", content: { confirm: answer } };
    });
    answer = false;
    const declined = await x.fails("stop_vm", { vmid: 100 });
    expect(declined).toContain("the user declined");
    expect(x.mock.state.guests.get(100)?.status).toBe("running");
    answer = true;
    await x.ok("stop_vm", { vmid: 100 });
    expect(x.mock.state.guests.get(100)?.status).toBe("stopped");
    expect(questions).toHaveLength(2);
    expect(questions[0]).toContain("Allow this destructive action?");
    expect(questions[0]).toContain("VM 100");
  });
});

describe("audit log", () => {
  test("an intent line before each write leaves, its outcome after, and one line per call; reads not logged", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "pmcp-audit-")), "audit.jsonl");
    const x = await open({ server: { audit: createAuditLog(file), transport: "stdio" } });
    x.guest(102).status = "stopped";
    await x.ok("list_vms");
    await x.ok("start_vm", { vmid: 102 });
    await x.fails("stop_vm", { vmid: 999 });
    const lines = readFileSync(file, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => `${l.event} ${l.tool} ${l.outcome ?? l.status ?? ""}`)).toEqual([
      "intent start_vm ",
      "outcome start_vm ok",
      "call start_vm ok",
      "call stop_vm error",
    ]);
    expect(lines[0]).toMatchObject({
      method: "POST",
      path: "/nodes/pve2/qemu/102/status/start",
      transport: "stdio",
    });
    expect(lines[1].request).toBe(lines[0].request);
    expect(lines[1].upid).toContain(":qmstart:102:");
    expect(lines[2]).toMatchObject({ target: { vmid: 102 }, transport: "stdio" });
    expect(lines[2].upid).toContain(":qmstart:102:");
    expect(lines[3].message).toContain("VM 999 does not exist");
    expect(typeof lines[0].time).toBe("string");
  });

  test("redaction of secret-named arguments", async () => {
    const { redactArgs } = await import("../../src/server/audit.ts");
    expect(
      redactArgs({ password: "hunter2", cipassword: "x", key: "pve2c-123", vmid: 100 }),
    ).toEqual({
      password: "***",
      cipassword: "***",
      key: "***",
      vmid: 100,
    });
  });
});
