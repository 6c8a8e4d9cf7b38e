// Firewall rules and node networks on the wire: verification errors, positions, digests, 403s.
import { afterEach, beforeEach, expect, test } from "bun:test";
import type { MockServer } from "../../src/mock/index.ts";
import { login, type Session, startTestMock } from "./helpers.ts";

let mock: MockServer;
let root: Session;
let auditor: Session;
beforeEach(async () => {
  mock = await startTestMock();
  root = await login(mock);
  auditor = await login(mock, mock.credentials.auditorUser, mock.credentials.auditorPassword);
});
afterEach(() => mock.stop());

test("a new rule goes to the top, disabled unless enable is given; pos is ignored", async () => {
  await root.call("POST", "/nodes/pve1/firewall/rules", {
    type: "in",
    action: "ACCEPT",
    proto: "tcp",
    dport: "22",
    pos: 5,
  });
  const res = await root.call("GET", "/nodes/pve1/firewall/rules");
  expect(res.json.data).toHaveLength(1);
  expect(res.json.data[0]).toMatchObject({
    pos: 0,
    type: "in",
    action: "ACCEPT",
    enable: 0,
    dport: "22",
  });
  expect(res.json.data[0].digest).toMatch(/^[0-9a-f]{40}$/);
});

test("verification: rule types per level, actions, ports without protocol", async () => {
  const fwd = await root.call("POST", "/nodes/pve1/qemu/100/firewall/rules", {
    type: "forward",
    action: "ACCEPT",
  });
  expect(fwd.json.errors).toEqual({ type: "invalid rule type 'forward' for rule_env 'vm'" });
  const act = await root.call("POST", "/cluster/firewall/rules", { type: "in", action: "ALLOW" });
  expect(act.json.errors).toEqual({ action: "unknown action 'ALLOW'" });
  const port = await root.call("POST", "/cluster/firewall/rules", {
    type: "in",
    action: "DROP",
    dport: "22",
  });
  expect(port.json.errors).toEqual({ proto: "missing property - 'dport' requires this property" });
});

test("delete: a stale digest and a missing position are PVE's 500s", async () => {
  const stale = await root.call("DELETE", "/cluster/firewall/rules/0", { digest: "0".repeat(40) });
  expect(stale.reason).toBe(
    "detected modified configuration - file changed by other user? Try again.",
  );
  const gone = await root.call("DELETE", "/cluster/firewall/rules/9");
  expect(gone.reason).toBe("no rule at position 9");
});

test("the auditor may read the cluster rules but not change them", async () => {
  expect((await auditor.call("GET", "/cluster/firewall/rules")).status).toBe(200);
  const res = await auditor.call("POST", "/cluster/firewall/rules", { type: "in", action: "DROP" });
  expect([res.status, res.reason]).toEqual([403, "Permission check failed (/, Sys.Modify)"]);
});

test("network: no loopback; type filters; bad type is a 400", async () => {
  const all = await root.call("GET", "/nodes/pve2/network");
  expect(all.json.data.map((i: { iface: string }) => i.iface)).toEqual([
    "nic0",
    "nic1",
    "vmbr0",
    "vmbr1",
  ]);
  const eth = await root.call("GET", "/nodes/pve2/network", { type: "eth" });
  expect(eth.json.data.map((i: { iface: string }) => i.iface)).toEqual(["nic0", "nic1"]);
  const bad = await root.call("GET", "/nodes/pve2/network", { type: "wifi" });
  expect(bad.status).toBe(400);
});
