// HA resources name their guest by sid (vm:103, ct:200, or a bare 103): under a vmid scope the
// HA tools reach only the guests inside it, and HA listings show only those.

import { describe, expect, test } from "bun:test";
import { scoped, touching } from "./support.ts";

const SCOPE = { allowed_vmids: ["100-101"] };

describe("HA changes are held to the scope by sid", () => {
  test("update_ha_resource of another guest is refused unsent, in every sid form", async () => {
    const h = await scoped(SCOPE);
    const before = structuredClone(h.mock.state.dc.ha.resources.get("vm:103"));
    for (const sid of ["vm:103", "ct:103", "103"]) {
      const text = await h.fails("update_ha_resource", { sid, state: "stopped" });
      expect(text).toContain("guest 103 is outside this server's scope (allowed: vmids 100-101)");
      expect(text).toContain("nothing was sent");
    }
    expect(touching(h, 103)).toEqual([]);
    expect(h.mock.state.dc.ha.resources.get("vm:103")).toEqual(before);
    expect(h.mock.state.guests.get(103)?.status).toBe("running");
  });

  test("add_ha_resource and remove_ha_resource of other guests are refused unsent", async () => {
    const h = await scoped(SCOPE);
    expect(await h.fails("add_ha_resource", { sid: "ct:200" })).toContain("guest 200 is outside");
    expect(await h.fails("remove_ha_resource", { sid: "vm:103" })).toContain(
      "guest 103 is outside",
    );
    expect([...touching(h, 200), ...touching(h, 103)]).toEqual([]);
    expect(h.mock.state.dc.ha.resources.has("ct:200")).toBe(false);
    expect(h.mock.state.dc.ha.resources.has("vm:103")).toBe(true);
  });

  test("a guest inside the scope is managed as usual", async () => {
    const h = await scoped(SCOPE);
    await h.ok("add_ha_resource", { sid: "vm:101", state: "started" });
    expect(h.mock.state.dc.ha.resources.get("vm:101")).toMatchObject({ state: "started" });
  });

  test("list_ha_resources and get_ha_status show only the guests inside", async () => {
    const everything = await scoped({});
    expect(JSON.stringify(await everything.ok("get_ha_status"))).toContain("vm:103");
    const h = await scoped(SCOPE);
    await h.ok("add_ha_resource", { sid: "vm:100" });
    const listed = await h.ok<{ resources: { sid: string }[] }>("list_ha_resources");
    expect(listed.resources.map((r) => r.sid)).toEqual(["vm:100"]);
    const status = JSON.stringify(await h.ok("get_ha_status"));
    expect(status).toContain("vm:100");
    expect(status).not.toContain("vm:103");
  });
});
