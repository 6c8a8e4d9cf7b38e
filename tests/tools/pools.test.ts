// Pool tools through a real MCP client against the mock: create, members, move, delete.

import { afterEach, beforeEach, expect, test } from "bun:test";
import { type Harness, startHarness } from "../support/harness.ts";

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(() => h.close());

test("list_pools and get_pool_details show the seeded pools and members", async () => {
  const r = await h.ok<{ pools: { poolid: string; comment?: string }[] }>("list_pools");
  expect(r.pools).toEqual([
    { poolid: "lab", comment: "Experiments" },
    { poolid: "prod", comment: "Production services" },
  ]);
  const d = await h.ok<{ members: { id: string; vmid?: number; name?: string; node?: string }[] }>(
    "get_pool_details",
    { poolid: "prod" },
  );
  expect(d.members.map((m) => m.id)).toEqual(["qemu/100", "qemu/101"]);
  expect(d.members[0]).toMatchObject({ vmid: 100, name: "web-01", node: "pve1" });
});

test("create_pool, add a guest and a storage, then remove them and delete the pool", async () => {
  await h.ok("create_pool", { poolid: "staging", comment: "pre-prod" });
  expect(h.mock.state.pools.get("staging")).toEqual({ poolid: "staging", comment: "pre-prod" });
  h.mock.requests.length = 0;
  await h.ok("update_pool", { poolid: "staging", vms: "200", storage: ["local"] });
  expect(h.writes()[0]).toMatchObject({
    method: "PUT",
    path: "/pools",
    params: { poolid: "staging", vms: "200", storage: "local" },
  });
  expect(h.mock.state.guests.get(200)?.pool).toBe("staging");
  const d = await h.ok<{ members: { id: string }[] }>("get_pool_details", { poolid: "staging" });
  expect(d.members.map((m) => m.id)).toEqual(["lxc/200", "storage/pve1/local"]);
  expect(await h.fails("delete_pool", { poolid: "staging" })).toContain(
    "delete pool failed: pool 'staging' is not empty (contains VM 200)",
  );
  await h.ok("update_pool", { poolid: "staging", vms: [200], storage: "local", delete: 1 });
  expect(h.mock.state.guests.get(200)?.pool).toBeUndefined();
  await h.ok("delete_pool", { poolid: "staging" });
  expect(h.mock.state.pools.has("staging")).toBe(false);
});

test("a guest of another pool moves only with allow_move", async () => {
  expect(await h.fails("update_pool", { poolid: "lab", vms: [100] })).toContain(
    "VM 100 belongs already to pool 'prod' and 'allow-move' is not set",
  );
  await h.ok("update_pool", { poolid: "lab", vms: [100], allow_move: true });
  expect(h.mock.state.guests.get(100)?.pool).toBe("lab");
  await h.ok("update_pool", { poolid: "prod", vms: [100], allow_move: true });
});

test("nested pools need their parent; bad ids never leave", async () => {
  expect(await h.fails("create_pool", { poolid: "nope/child" })).toContain(
    "parent 'nope' of pool 'nope/child' does not exist",
  );
  await h.ok("create_pool", { poolid: "prod/web" });
  expect(h.mock.state.pools.has("prod/web")).toBe(true);
  h.mock.requests.length = 0;
  await h.fails("create_pool", { poolid: "../x" });
  await h.fails("update_pool", { poolid: "prod" });
  expect(h.mock.requests).toEqual([]);
});
