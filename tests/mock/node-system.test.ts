// Services, apt, subscription and cluster setup on the wire.
import { afterEach, beforeEach, expect, test } from "bun:test";
import type { MockServer } from "../../src/mock/index.ts";
import { login, raw, type Session, startTestMock, taskLog, waitTask } from "./helpers.ts";

let mock: MockServer;
let root: Session;
let auditor: Session;
beforeEach(async () => {
  mock = await startTestMock({ taskDurationMs: 60 });
  root = await login(mock);
  auditor = await login(mock, mock.credentials.auditorUser, mock.credentials.auditorPassword);
});
afterEach(() => mock.stop());

test("services: the list, an unknown service, an essential one that will not stop", async () => {
  const list = await root.call("GET", "/nodes/pve1/services");
  expect(list.json.data.find((s: { service: string }) => s.service === "corosync")).toMatchObject({
    name: "corosync",
    state: "running",
    "active-state": "active",
    "unit-state": "enabled",
  });
  const unknown = await root.call("POST", "/nodes/pve1/services/nginx/start");
  expect(unknown.status).toBe(400);
  const stop = await root.call("POST", "/nodes/pve1/services/pvedaemon/stop");
  const st = await waitTask(root, stop.json.data);
  expect(st.exitstatus).toBe(
    "invalid service cmd 'pvedaemon stop': refusing to stop essential service!",
  );
});

test("apt: listing updates needs Sys.Modify; the refresh task logs apt-get's lines", async () => {
  const denied = await auditor.call("GET", "/nodes/pve1/apt/update");
  expect(denied.reason).toBe("Permission check failed (/nodes/pve1, Sys.Modify)");
  const res = await root.call("POST", "/nodes/pve1/apt/update");
  await waitTask(root, res.json.data);
  const log = await taskLog(root, res.json.data);
  expect(log[0]).toBe("starting apt-get update");
  expect(log.at(-2)).toBe("Reading package lists...");
  expect(log.at(-1)).toBe("TASK OK");
});

test("subscription: no key, a malformed key, too few sockets", async () => {
  const none = await root.call("GET", "/nodes/pve2/subscription");
  expect(none.json.data).toMatchObject({
    status: "notfound",
    message: "There is no subscription key",
  });
  const bad = await root.call("PUT", "/nodes/pve2/subscription", { key: "pve3c-0123456789" });
  expect(bad.json.errors).toEqual({ key: "value does not match the regex pattern" });
  const node = mock.state.nodes.get("pve2");
  if (node) node.sockets = 2;
  const few = await root.call("PUT", "/nodes/pve2/subscription", { key: "pve1s-0123456789" });
  expect(few.reason).toBe("wrong number of sockets (1 < 2)");
  const ok = await root.call("PUT", "/nodes/pve2/subscription", { key: "pve2s-0123456789" });
  expect(ok.status).toBe(200);
  const now = await root.call("GET", "/nodes/pve2/subscription");
  expect(now.json.data).toMatchObject({
    status: "active",
    level: "s",
    productname: "Proxmox VE Standard Subscription 2 CPUs/year",
  });
});

test("cluster create and join: root@pam only, tokens get PVE's 403", async () => {
  const token = await raw(mock, "POST", "/cluster/config", {
    headers: {
      Authorization: `PVEAPIToken=${mock.credentials.tokenId}=${mock.credentials.tokenSecret}`,
      "Content-Type": "application/x-www-form-urlencoded",
    },
    body: "clustername=lab",
  });
  expect([token.status, token.reason]).toEqual([403, "Permission check failed (user != root@pam)"]);
  const auditorJoin = await auditor.call("POST", "/cluster/config/join", {
    hostname: "x",
    password: "y",
    fingerprint: Array(32).fill("AA").join(":"),
  });
  expect(auditorJoin.reason).toBe("Permission check failed (user != root@pam)");
  mock.state.dc.clustered = false;
  const info = await root.call("GET", "/cluster/config/join");
  expect([info.status, info.reason]).toEqual([
    424,
    "node is not in a cluster, no join info available!",
  ]);
  const status = await root.call("GET", "/cluster/status");
  expect(status.json.data).toEqual([
    {
      type: "node",
      id: "node/pve1",
      name: "pve1",
      nodeid: 0,
      ip: "10.0.0.11",
      local: 1,
      online: 1,
      level: "",
    },
  ]);
  mock.state.dc.clustered = true;
});
