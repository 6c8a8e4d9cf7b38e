// proxmox_api_get and proxmox_api through a real MCP client against the mock, which serves the
// official PVE 9.1.3 API schema (or, in a checkout without it, its own): calls are checked
// against it before anything is sent, a wrong parameter is explained by the schema's own
// description, and valid calls reach the cluster.

import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { bySchema } from "../support/api-schema.ts";
import type { Harness } from "../support/harness.ts";
import { sent, startApiHarness } from "./helpers.ts";

let h: Harness;
beforeEach(async () => {
  h = await startApiHarness();
  await h.ok("describe_api", { query: "version" }); // loads the schema (and the PVE version)
  h.mock.requests.length = 0;
});
afterEach(() => h.close());

const guest = (vmid: number) => {
  const g = h.mock.state.guests.get(vmid);
  if (!g) throw new Error(`mock has no guest ${vmid}`);
  return g;
};

interface CallResult {
  method: string;
  path: string;
  endpoint?: string;
  checked: boolean;
  data: unknown;
  upid?: string;
  task_status?: string;
}

describe("proxmox_api_get", () => {
  test("reads any path, checked against the schema, and answers PVE's data", async () => {
    const r = await h.ok<CallResult>("proxmox_api_get", {
      path: "/nodes/pve1/qemu/100/config",
      params: { current: true },
    });
    expect(r).toMatchObject({
      method: "GET",
      path: "/nodes/pve1/qemu/100/config",
      endpoint: "/nodes/{node}/qemu/{vmid}/config",
      checked: true,
    });
    expect((r.data as { name?: string }).name).toBe(guest(100).config.name as string);
    expect(h.mock.requests.map((q) => [q.method, q.path, q.params])).toEqual([
      ["GET", "/nodes/pve1/qemu/100/config", { current: "1" }],
    ]);
    expect(h.mock.apiSchemaRequests).toBe(1); // loaded once, at the first call
  });

  test("a pasted URL with /api2/json works too", async () => {
    const r = await h.ok<CallResult>("proxmox_api_get", {
      path: "https://pve.example.com:8006/api2/json/cluster/resources",
      params: { type: "node" },
    });
    expect((r.data as { type: string }[]).every((row) => row.type === "node")).toBe(true);
  });

  test("a value outside the enum is refused with the schema's own words; nothing is sent", async () => {
    const text = await h.fails("proxmox_api_get", {
      path: "/cluster/resources",
      params: { type: "vms" },
    });
    expect(text).toContain(
      "GET /cluster/resources: parameter verification failed; nothing was sent",
    );
    expect(text).toContain(
      "- type: value 'vms' does not have a value in the enumeration 'vm, storage, node, sdn'",
    );
    expect(text).toContain(
      "type (string, one of vm, storage, node, sdn, optional): Resource type.",
    );
    expect(sent(h)).toEqual([]);
  });

  test("an unknown parameter is named, with the ones the endpoint takes", async () => {
    const text = await h.fails("proxmox_api_get", {
      path: "/nodes/pve1/tasks",
      params: { type_filter: "qmstart" },
    });
    expect(text).toContain(
      "- type_filter: property is not defined in schema and the schema does not allow additional properties",
    );
    const type = bySchema({ official: "<string>", mock: "string" });
    expect(text).toContain(
      `did you mean typefilter (${type}, optional): Only list tasks of this type`,
    );
    expect(text).toContain("Parameters of GET /nodes/{node}/tasks:");
    expect(sent(h)).toEqual([]);
  });

  test("a path segment is checked as the schema says (vmid is an integer of 100 or more)", async () => {
    const text = await h.fails("proxmox_api_get", { path: "/nodes/pve1/qemu/42/config" });
    expect(text).toContain("- vmid: invalid format - value does not look like a valid VM ID");
    const type = bySchema({
      official: "<integer> (100 - 999999999)",
      mock: "integer, 100 - 999999999",
    });
    expect(text).toContain(`vmid (${type}, required): The (unique) ID of the VM.`);
    expect(sent(h)).toEqual([]);
  });

  test("a path the API lacks is refused with what its nearest path offers", async () => {
    const text = await h.fails("proxmox_api_get", { path: "/nodes/pve1/qemuu" });
    expect(text).toContain("no such path in this cluster's API; the nearest, /nodes/{node}, has");
    expect(text).toContain("qemu");
    expect(sent(h)).toEqual([]);
  });

  test(". and .. segments, encoded or not, and queries never leave", async () => {
    for (const path of ["/nodes/pve1/../../access/users", "/nodes/pve1/%2e%2e/status"]) {
      expect(await h.fails("proxmox_api_get", { path })).toContain(
        "is not allowed; nothing was sent",
      );
    }
    expect(await h.fails("proxmox_api_get", { path: "/cluster/resources?type=vm" })).toContain(
      "carries a query or fragment",
    );
    expect(sent(h)).toEqual([]);
  });

  test("a value holding a / travels encoded inside its segment", async () => {
    const cidr = "10.0.0.0/24"; // an entry of the demo's ipset "admins"
    const r = await h.ok<CallResult>("proxmox_api_get", {
      path: `/cluster/firewall/ipset/admins/${encodeURIComponent(cidr)}`,
    });
    expect(r.endpoint).toBe("/cluster/firewall/ipset/{name}/{cidr}");
    expect((r.data as { cidr?: string }).cidr).toBe(cidr);
    expect(h.mock.requests.map((q) => q.path)).toEqual([
      "/cluster/firewall/ipset/admins/10.0.0.0%2F24",
    ]);
  });
});

describe("proxmox_api", () => {
  test("a POST reaches the cluster, and a returned task is waited for", async () => {
    guest(102).status = "stopped";
    const r = await h.ok<CallResult>("proxmox_api", {
      method: "POST",
      path: "/nodes/pve2/qemu/102/status/start",
    });
    expect(r).toMatchObject({
      method: "POST",
      endpoint: "/nodes/{node}/qemu/{vmid}/status/start",
      checked: true,
      task_status: "ok",
    });
    expect(r.upid).toContain(":qmstart:102:");
    expect(guest(102).status).toBe("running");
    expect(h.writes().map((q) => `${q.method} ${q.path}`)).toEqual([
      "POST /nodes/pve2/qemu/102/status/start",
    ]);
  });

  test("PUT sends the API's parameters as given", async () => {
    await h.ok("proxmox_api", {
      method: "PUT",
      path: "/nodes/pve1/qemu/100/config",
      params: { description: "set through the raw API", onboot: true },
    });
    expect(guest(100).config.description).toBe("set through the raw API");
    expect(h.writes()[0]?.params).toEqual({ description: "set through the raw API", onboot: "1" });
  });

  test("a wrong type is refused with the schema's description; nothing is sent", async () => {
    const text = await h.fails("proxmox_api", {
      method: "POST",
      path: "/nodes/pve1/qemu/100/status/shutdown",
      params: { timeout: "soon", force_stop: true },
    });
    expect(text).toContain(
      "POST /nodes/{node}/qemu/{vmid}/status/shutdown: parameter verification failed",
    );
    expect(text).toContain("- timeout: type check ('integer') failed - got 'soon'");
    const [integer, boolean] = bySchema({
      official: ["<integer> (0 - N)", "<boolean>"],
      mock: ["integer, 0 - N", "boolean"],
    });
    expect(text).toContain(`timeout (${integer}, optional): Wait maximal timeout seconds.`);
    expect(text).toContain("- force_stop: property is not defined in schema");
    expect(text).toContain(`did you mean forceStop (${boolean}, default 0, optional)`);
    expect(sent(h)).toEqual([]);
    expect(guest(100).status).toBe("running");
  });

  test("a missing required parameter and a value too long are both reported", async () => {
    const text = await h.fails("proxmox_api", {
      method: "POST",
      path: "/nodes/pve1/qemu/100/snapshot",
      params: { description: "x".repeat(10) },
    });
    expect(text).toContain("- snapname: property is missing and it is not optional");
    const type = bySchema({ official: "<string>", mock: "string, at most 40 characters" });
    expect(text).toContain(`snapname (${type}, required): The name of the snapshot.`);
    const long = await h.fails("proxmox_api", {
      method: "POST",
      path: "/nodes/pve1/qemu/100/snapshot",
      params: { snapname: "s".repeat(41) },
    });
    expect(long).toContain("- snapname: value may only be 40 characters long");
    expect(sent(h)).toEqual([]);
  });

  test("a method the path lacks is refused, pointing reads to proxmox_api_get", async () => {
    const text = await h.fails("proxmox_api", { method: "DELETE", path: "/cluster/resources" });
    expect(text).toContain(
      "DELETE /cluster/resources is not in this cluster's API (PVE 9.1.3); this path has GET",
    );
    expect(text).toContain("Reads go through proxmox_api_get.");
    expect(sent(h)).toEqual([]);
  });

  test("GET is not a method of proxmox_api: one tool, one kind of effect", async () => {
    const text = await h.fails("proxmox_api", { method: "GET", path: "/cluster/resources" });
    expect(text).toContain("Invalid arguments for proxmox_api; nothing was sent to Proxmox.");
    expect(sent(h)).toEqual([]);
  });
});
