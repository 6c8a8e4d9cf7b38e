// HA and replication on the wire: PVE 9's migrated groups, quorum, sid parsing, status rows.
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

test("groups migrated to rules: indexing groups fails, rules list the node affinity", async () => {
  const groups = await root.call("GET", "/cluster/ha/groups");
  expect([groups.status, groups.reason]).toEqual([
    500,
    "cannot index groups: ha groups have been migrated to rules",
  ]);
  const rules = await root.call("GET", "/cluster/ha/rules", { type: "node-affinity" });
  expect(rules.json.data[0]).toMatchObject({
    rule: "ha-group-103",
    type: "node-affinity",
    resources: "vm:103",
    nodes: "pve2:2,pve1:1",
    strict: 0,
    order: 1,
  });
});

test("resources: sid forms and errors", async () => {
  const bad = await root.call("POST", "/cluster/ha/resources", { sid: "vm 100" });
  expect(bad.json.errors).toEqual({
    sid: "invalid format - value does not look like a valid ha resource id\n",
  });
  const none = await root.call("POST", "/cluster/ha/resources", { sid: "4242" });
  expect(none.reason).toBe("unable to detect SID from VMID - VM/CT 4242 does not exist");
  const mismatch = await root.call("POST", "/cluster/ha/resources", { sid: "100", type: "ct" });
  expect(mismatch.reason).toBe("types does not match");
  const list = await root.call("GET", "/cluster/ha/resources");
  expect(list.json.data).toEqual([
    { sid: "vm:103", type: "vm", state: "started", digest: expect.any(String) },
  ]);
});

test("adding needs Sys.Console on / and a quorate cluster", async () => {
  const denied = await auditor.call("POST", "/cluster/ha/resources", { sid: "vm:100" });
  expect(denied.reason).toBe("Permission check failed (/, Sys.Console)");
  mock.faults.offlineNodes.add("pve2");
  mock.faults.offlineNodes.add("pve3");
  try {
    const res = await root.call("POST", "/cluster/ha/resources", { sid: "vm:100" });
    expect(res.reason).toBe("cluster not ready - no quorum?");
    const status = await root.call("GET", "/cluster/ha/status/current");
    expect(status.json.data[0]).toMatchObject({
      id: "quorum",
      quorate: 0,
      status: "No quorum on node 'pve1'!",
    });
  } finally {
    mock.faults.offlineNodes.clear();
  }
});

test("status: quorum, master, fencing, one lrm per node, services", async () => {
  const res = await root.call("GET", "/cluster/ha/status/current");
  const ids = res.json.data.map((r: { id: string }) => r.id);
  expect(ids).toEqual([
    "quorum",
    "master",
    "fencing",
    "lrm:pve1",
    "lrm:pve2",
    "lrm:pve3",
    "service:vm:103",
  ]);
  const svc = res.json.data.at(-1);
  expect(svc).toMatchObject({
    sid: "vm:103",
    node: "pve2",
    state: "started",
    crm_state: "started",
    request_state: "started",
  });
});

test("replication: VM.Replicate on the guest; unknown jobs; force and keep conflict", async () => {
  const denied = await auditor.call("POST", "/cluster/replication", {
    id: "100-0",
    target: "pve2",
    type: "local",
  });
  expect(denied.reason).toBe("Permission check failed (/vms/100, VM.Replicate)");
  const none = await root.call("PUT", "/cluster/replication/100-7", { rate: 10 });
  expect(none.reason).toBe("no such job '100-7'");
  const both = await root.call("DELETE", "/cluster/replication/100-7", { force: 1, keep: 1 });
  expect(both.json.errors).toEqual({ keep: "conflicts with parameter 'force'" });
  const id = await root.call("POST", "/cluster/replication", {
    id: "100",
    target: "pve2",
    type: "local",
  });
  expect(id.json.errors.id).toBe("invalid format - invalid replication job id '100'\n");
});
