// describe_api answers from the cluster's own schema (here the official PVE 9.1.3 one, or in a
// checkout without it the simulated cluster's): words find endpoints, a path (template or
// concrete) is described in full.

import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { bySchema, loadEndpoints, testWithOfficialSchema } from "../support/api-schema.ts";
import type { Harness } from "../support/harness.ts";
import { startApiHarness } from "./helpers.ts";

let h: Harness;
beforeEach(async () => {
  h = await startApiHarness();
});
afterEach(() => h.close());

interface Described {
  schema: { source: string; version?: string; endpoints: number };
  endpoints: {
    method: string;
    path: string;
    description: string;
    privileges: string;
    token_allowed?: boolean;
    parameters?: {
      name: string;
      type: string;
      required: boolean;
      in_path?: boolean;
      enum?: string[];
    }[];
    parameter_names?: string[];
    returns?: string;
  }[];
  total: number;
  children?: string[];
}

describe("describe_api", () => {
  test("describe_api finds endpoints by words, path words first", async () => {
    const r = await h.ok<Described>("describe_api", { query: "ha resources" });
    const endpoints = bySchema({ official: 649, mock: loadEndpoints().length });
    expect(r.schema).toEqual({ source: "host", version: "9.1.3", endpoints });
    const found = r.endpoints.map((e) => `${e.method} ${e.path}`);
    expect(found.slice(0, 2)).toEqual(["GET /cluster/ha/resources", "POST /cluster/ha/resources"]);
    const list = r.endpoints[0];
    expect(list?.privileges).toBe("Sys.Audit on /");
    expect(list?.parameter_names).toContain("type");
    expect(r.total).toBeGreaterThan(3);
  });

  test("describe_api describes a concrete path in full: parameters, privileges, result", async () => {
    const r = await h.ok<Described>("describe_api", {
      path: "/nodes/pve1/qemu/100/status/shutdown",
    });
    expect(r.endpoints).toHaveLength(1);
    const e = r.endpoints[0];
    expect(e).toMatchObject({
      method: "POST",
      path: "/nodes/{node}/qemu/{vmid}/status/shutdown",
      description: bySchema({
        official:
          "Shutdown virtual machine. This is similar to pressing the power button on a physical machine. This will send an ACPI event for the guest OS, which should then proceed to a clean shutdown.",
        mock: "Shutdown the guest. This is similar to pressing the power button on a physical machine.",
      }),
      privileges: "VM.PowerMgmt on /vms/{vmid}",
      returns: bySchema({ official: "string", mock: "nothing documented" }),
    });
    expect(e?.parameters?.slice(0, 2)).toEqual([
      expect.objectContaining({ name: "node", required: true, in_path: true }),
      expect.objectContaining({ name: "vmid", required: true, in_path: true }),
    ]);
    expect(e?.parameters?.find((p) => p.name === "forceStop")).toMatchObject({
      type: bySchema({ official: "<boolean>", mock: "boolean" }),
      required: false,
    });
    const text = (
      await h.call("describe_api", { path: "/nodes/{node}/qemu/{vmid}/status/shutdown" })
    ).content[0] as { text: string };
    const integer = bySchema({ official: "<integer> (0 - N)", mock: "integer" });
    expect(text.text).toContain(
      `timeout (${integer}, optional, 0..): Wait maximal timeout seconds.`,
    );
  });

  test("describe_api lists a directory's sub-paths and filters by method", async () => {
    const r = await h.ok<Described>("describe_api", {
      path: "/cluster/ha/resources",
      method: "POST",
    });
    expect(r.endpoints.map((e) => e.method)).toEqual(["POST"]);
    expect(r.endpoints[0]?.privileges).toBe("Sys.Console on /");
    expect(r.children).toContain("/cluster/ha/resources/{sid}");
  });

  test("describe_api tells which calls refuse API tokens, and a path's sub-paths", async () => {
    const r = await h.ok<Described>("describe_api", { path: "/access/password" });
    expect(r.endpoints[0]?.token_allowed).toBe(false);
    const user = await h.ok<Described>("describe_api", {
      path: "/access/users/{userid}",
      method: "PUT",
    });
    expect(user.endpoints.map((e) => e.method)).toEqual(["PUT"]);
    expect(user.children).toContain("/access/users/{userid}/token");
  });

  testWithOfficialSchema(
    "describe_api tells what a call returns, and privileges held through a group",
    async () => {
      const res = await h.ok<Described>("describe_api", { path: "/cluster/resources" });
      expect(res.endpoints[0]?.returns).toMatch(/^array of \{.*id: string.*node\?: string/);
      const user = await h.ok<Described>("describe_api", {
        path: "/access/users/{userid}",
        method: "PUT",
      });
      expect(user.endpoints[0]?.privileges).toBe(
        "User.Modify on a group of the user (/access/groups/<group>)",
      );
    },
    "the simulated cluster's schema documents no return types and no group privileges",
  );

  test("describe_api needs a query or a path, and says where an unknown path could go", async () => {
    expect(await h.fails("describe_api", {})).toContain("give a query");
    const text = await h.fails("describe_api", { path: "/cluster/ha/resourcez" });
    expect(text).toContain("/cluster/ha/resourcez: no such path in this cluster's API");
    expect(text).toContain("the nearest, /cluster/ha, has ");
    expect(text).toContain("resources");
  });
});
