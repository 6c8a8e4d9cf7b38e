// MCP prompts and completions through a real client: each prompt names the tools this server
// offers and what to look for, fills in facts from the inventory, and its arguments complete.

import { afterEach, describe, expect, test } from "bun:test";
import { OPEN_POLICY, type ToolPolicy } from "../../src/server/policy.ts";
import { type Harness, type HarnessOptions, startHarness } from "../support/harness.ts";
import { guestOf } from "./helpers.ts";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});
const open = async (options: HarnessOptions = {}) => {
  h = await startHarness(options);
  return h;
};
const policy = (p: Partial<ToolPolicy>): ToolPolicy => ({ ...OPEN_POLICY, ...p });

const promptText = async (x: Harness, name: string, args?: Record<string, string>) => {
  const r = await x.client.getPrompt({ name, arguments: args });
  expect(r.messages).toHaveLength(1);
  const content = r.messages[0]?.content as { type: string; text: string };
  expect(content.type).toBe("text");
  return content.text;
};

describe("prompts", () => {
  test("prompts/list offers the four jobs with their arguments", async () => {
    const x = await open();
    const { prompts } = await x.client.listPrompts();
    expect(prompts.map((p) => [p.name, (p.arguments ?? []).map((a) => a.name)])).toEqual([
      ["cluster_health_check", []],
      ["diagnose_guest_start", ["vmid"]],
      ["diagnose_permissions", []],
      ["plan_maintenance", ["node"]],
    ]);
  });

  test("the health check names the tools to call and what to look for", async () => {
    const x = await open();
    const text = await promptText(x, "cluster_health_check");
    for (const tool of [
      "get_cluster_status",
      "list_nodes",
      "list_vms",
      "list_tasks",
      "read_task_log",
    ]) {
      expect(text).toContain(`\`${tool}\``);
    }
    expect(text).toContain("quorum must be true");
    expect(text).toContain("errors: true");
  });

  test("a prompt never names a tool the server does not offer", async () => {
    const x = await open({
      server: {
        policy: policy({
          toolsets: ["tasks", "cluster"],
          excludeTools: ["list_nodes", "list_vms"],
        }),
      },
    });
    const text = await promptText(x, "cluster_health_check");
    expect(text).toContain("`get_cluster_status`");
    expect(text).toContain("`list_tasks`");
    expect(text).not.toContain("list_nodes");
    expect(text).not.toContain("list_vms");
    expect(text).not.toContain("proxmox_api_get");
  });

  test("a tool the session does not list yet comes with the toolset to enable", async () => {
    const x = await open({ server: { policy: policy({ toolsets: ["tasks", "storage"] }) } });
    const text = await promptText(x, "cluster_health_check");
    expect(text).toContain("`get_cluster_status`");
    // list_storage is listed by the storage toolset: the storage_admin alternative is not named.
    expect(text).toContain("`list_storage`");
    expect(text).not.toContain("list_cluster_storage");
    expect(text).toContain("first call `enable_toolset` with toolsets");
    expect(text).toContain('"cluster"');
    expect(text).not.toContain('"tasks"');
  });

  test("diagnose_guest_start fills in where the guest is and what to read", async () => {
    const x = await open();
    guestOf(x, 102).status = "stopped";
    const text = await promptText(x, "diagnose_guest_start", { vmid: "102" });
    expect(text).toStartWith(
      `VM 102 (${x.mock.state.guests.get(102)?.config.name}) on node pve2 does not start`,
    );
    expect(text).toContain("`list_tasks` with vmid 102 and errors: true");
    expect(text).toContain("`read_task_log`");
    expect(text).toContain("`get_vm_config` for 102");
    expect(text).toContain("`get_node_status` for pve2");
    expect(text).toContain("`start_vm`");
    const ct = await promptText(x, "diagnose_guest_start", { vmid: "201" });
    expect(ct).toContain("vzstart");
    expect(ct).toContain("`start_vm`");
  });

  test("a guest that does not exist, or outside the scope, is refused with what exists", async () => {
    const x = await open({ scope: { allowed_vmids: ["100-199"] } });
    await expect(
      x.client.getPrompt({ name: "diagnose_guest_start", arguments: { vmid: "150" } }),
    ).rejects.toThrow("no guest 150 in the cluster (nearby:");
    await expect(
      x.client.getPrompt({ name: "diagnose_guest_start", arguments: { vmid: "200" } }),
    ).rejects.toThrow("guest 200 is outside this server's scope");
    await expect(
      x.client.getPrompt({ name: "diagnose_guest_start", arguments: {} }),
    ).rejects.toThrow("needs vmid");
  });

  test("plan_maintenance lists the node's guests and the steps to move them", async () => {
    const x = await open();
    const text = await promptText(x, "plan_maintenance", { node: "pve2" });
    expect(text).toContain("Plan a safe maintenance window for node pve2");
    expect(text).toContain("VM 103: running, HA started");
    expect(text).toContain("CT 201");
    expect(text).toContain("Other nodes: pve1 (memory");
    expect(text).toContain("`migrate_vm`");
    expect(text).toContain("node-maintenance enable pve2");
    await expect(
      x.client.getPrompt({ name: "plan_maintenance", arguments: { node: "pve9" } }),
    ).rejects.toThrow('no node "pve9" in the cluster (nodes: pve1, pve2, pve3)');
  });

  test("diagnose_permissions names the credentials in use and the privileges per tool kind", async () => {
    const x = await open();
    const text = await promptText(x, "diagnose_permissions");
    expect(text).toContain("It authenticates as root@pam!mcp (an API token)");
    expect(text).toContain("`proxmox_api_get` on /access/permissions");
    expect(text).toContain("privilege separation");
    expect(text).toContain("VM.PowerMgmt");
  });
});

describe("completions", () => {
  test("vmid completes from the inventory, filtered by what is typed", async () => {
    const x = await open();
    const r = await x.client.complete({
      ref: { type: "ref/prompt", name: "diagnose_guest_start" },
      argument: { name: "vmid", value: "10" },
    });
    expect(r.completion.values).toEqual(["100", "101", "102", "103", "104", "105"]);
    expect(r.completion.total).toBe(6);
    expect(r.completion.hasMore).toBe(false);
  });

  test("node completes for prompts and resource templates; storage within the node given", async () => {
    const x = await open({ scope: { allowed_nodes: ["pve1", "pve2"] } });
    const nodes = await x.client.complete({
      ref: { type: "ref/prompt", name: "plan_maintenance" },
      argument: { name: "node", value: "pve" },
    });
    expect(nodes.completion.values).toEqual(["pve1", "pve2"]);
    const storage = await x.client.complete({
      ref: { type: "ref/resource", uri: "pve://storage/{node}/{storage}/content" },
      argument: { name: "storage", value: "" },
      context: { arguments: { node: "pve1" } },
    });
    expect(storage.completion.values).toEqual(["backups", "local", "local-lvm"]);
  });

  test("arguments of nothing we offer complete to nothing", async () => {
    const x = await open();
    const r = await x.client.complete({
      ref: { type: "ref/prompt", name: "cluster_health_check" },
      argument: { name: "vmid", value: "1" },
    });
    expect(r.completion.values).toEqual([]);
  });
});
