// Typed endpoints: the path comes from the template with every segment checked, only declared
// parameters go out, `{kind}` endpoints expand to the kinds they are declared for, and the
// types let a caller typed by fewer endpoints stand in only where those are all it needs.

import { describe, expect, test } from "bun:test";
import {
  CLUSTER_RESOURCES,
  GUEST_CONFIG,
  GUEST_CONFIG_PUT,
  NODE_STATUS,
  QEMU_CONFIG_POST,
  TASK_STATUS,
  VOLUME_DELETE,
} from "../../src/pve/endpoints/index.ts";
import {
  type EndpointCaller,
  endpoint,
  endpointRefs,
  guestAt,
  guestEndpoint,
  InvalidSegmentError,
  resolveCall,
} from "../../src/pve/index.ts";

describe("resolveCall", () => {
  test("builds the path from the template, keeps the parameters apart", () => {
    expect(
      resolveCall(GUEST_CONFIG, { node: "pve1", kind: "qemu", vmid: 100, current: 1 }),
    ).toEqual({
      method: "GET",
      template: "/nodes/{node}/qemu/{vmid}/config",
      path: "/nodes/pve1/qemu/100/config",
      params: { current: 1 },
    });
  });

  test("checks every segment: a value that could reach another endpoint is refused", () => {
    expect(() => resolveCall(NODE_STATUS, { node: "../access" })).toThrow(InvalidSegmentError);
    expect(() => resolveCall(GUEST_CONFIG, { node: "pve1", kind: "qemu", vmid: "1/../x" })).toThrow(
      'invalid vmid "1/../x"',
    );
    expect(() => resolveCall(NODE_STATUS, {})).toThrow("missing node");
    expect(() =>
      resolveCall(GUEST_CONFIG, { node: "pve1", kind: "../x" as "qemu", vmid: 100 }),
    ).toThrow("invalid kind");
  });

  test("a volume id is one segment, encoded whole; one that climbs out is refused", () => {
    const args = { node: "pve1", storage: "local", volume: "local:iso/debian.iso" };
    expect(resolveCall(VOLUME_DELETE, args).path).toBe(
      "/nodes/pve1/storage/local/content/local%3Aiso%2Fdebian.iso",
    );
    expect(() => resolveCall(VOLUME_DELETE, { ...args, volume: "local:../../etc" })).toThrow(
      "invalid volume",
    );
  });

  test("undefined parameters stay home; an undeclared one is refused before sending", () => {
    expect(resolveCall(CLUSTER_RESOURCES, { type: undefined }).params).toEqual({});
    const put = { ...guestAt({ node: "pve1", type: "lxc", vmid: 200 }), net3: "name=eth3" };
    expect(resolveCall(GUEST_CONFIG_PUT, put).params).toEqual({ net3: "name=eth3" });
    expect(() =>
      resolveCall(CLUSTER_RESOURCES, { typo: 1 } as unknown as { type: string }),
    ).toThrow("GET /cluster/resources does not declare the parameter typo");
  });

  test("a parameter may not share a name with a value of the path", () => {
    expect(() => endpoint("PUT", "/x/{id}", ["id"])).toThrow("PUT /x/{id}: id is in the path");
  });

  test("a {kind} endpoint limited to one kind refuses the other", () => {
    expect(() => resolveCall(QEMU_CONFIG_POST, { node: "pve1", kind: "lxc", vmid: 200 })).toThrow(
      "is not declared for lxc",
    );
  });
});

describe("declarations", () => {
  test("a {kind} endpoint stands for both kinds; only() and sending() narrow it", () => {
    expect(endpointRefs([GUEST_CONFIG])).toEqual([
      { method: "GET", path: "/nodes/{node}/qemu/{vmid}/config", params: ["current"] },
      { method: "GET", path: "/nodes/{node}/lxc/{vmid}/config", params: ["current"] },
    ]);
    expect(endpointRefs([GUEST_CONFIG_PUT.only("lxc").sending("tags", "delete")])).toEqual([
      { method: "PUT", path: "/nodes/{node}/lxc/{vmid}/config", params: ["tags", "delete"] },
    ]);
    expect(() => GUEST_CONFIG_PUT.sending("nonsense" as "tags")).toThrow("does not take nonsense");
    expect(() => NODE_STATUS.only("qemu")).toThrow("is not one for qemu");
  });

  test("the same template declared twice is one entry with the parameters of both", () => {
    const a = endpoint("GET", "/x/{id}", ["a"]);
    const b = endpoint("GET", "/x/{id}", ["b"]);
    expect(endpointRefs([a, b, TASK_STATUS])).toEqual([
      { method: "GET", path: "/x/{id}", params: ["a", "b"] },
      { method: "GET", path: "/nodes/{node}/tasks/{upid}/status", params: [] },
    ]);
  });

  test("guestEndpoint is the {kind} template of one guest", () => {
    expect(guestEndpoint("POST", "/status/start").path).toBe(
      "/nodes/{node}/{kind}/{vmid}/status/start",
    );
  });
});

describe("types (held by tsc --noEmit, which covers the tests)", () => {
  /** Compiles only as marked; at run time the calls without their template values fail too. */
  async function typeChecks(
    wide: EndpointCaller<typeof NODE_STATUS | typeof CLUSTER_RESOURCES>,
    narrow: EndpointCaller<typeof CLUSTER_RESOURCES>,
  ) {
    const rows = await wide.call(CLUSTER_RESOURCES, { type: "vm" });
    rows[0]?.vmid satisfies number | undefined;
    const inventoryOnly: EndpointCaller<typeof CLUSTER_RESOURCES> = wide;
    await inventoryOnly.call(CLUSTER_RESOURCES, {});
    // @ts-expect-error a caller of fewer endpoints cannot stand in for one of more
    const more: EndpointCaller<typeof NODE_STATUS> = narrow;
    // @ts-expect-error an endpoint the caller does not declare
    await narrow.call(NODE_STATUS, { node: "pve1" });
    // @ts-expect-error a parameter the endpoint does not take
    await expect(wide.call(CLUSTER_RESOURCES, { typo: 1 })).rejects.toThrow("typo");
    // @ts-expect-error the template's values are required
    await wide.call(NODE_STATUS, {});
    return more;
  }

  test("what does not compile does not run either", async () => {
    const sent: string[] = [];
    const caller = {
      async call(ep: Parameters<typeof resolveCall>[0], args: object) {
        sent.push(resolveCall(ep, args as Record<string, unknown>).path);
        return [];
      },
    } as unknown as EndpointCaller;
    await expect(typeChecks(caller, caller)).rejects.toThrow("missing node");
    expect(sent).toEqual(["/cluster/resources", "/cluster/resources", "/nodes/pve1/status"]);
  });
});
