// Fault injection through a real MCP client: the mock misbehaves (slow, 5xx, refused, cut, bad
// certificate, node offline, ticket expired mid-call, task that never ends) and every call still
// gets a clear result or isError answer. Only reads are retried (once); writes never are, which
// the tests check by counting the requests the mock received. After each fault the server works.

import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { type MockServer, type RecordedRequest, startMock } from "../../src/mock/index.ts";
import { PveClient } from "../../src/pve/index.ts";
import { startFixture, streamableClient, structured } from "../http/support.ts";
import { type Harness, startHarness } from "../support/harness.ts";

const TRANSIENT = [
  [502, "Bad Gateway"],
  [503, "Service Unavailable"],
  [595, "No route to host"],
  [596, "Connection timed out"],
] as const;

const count = (mock: MockServer, method: string, path: string) =>
  mock.requests.filter((r) => r.method === method && r.path === path).length;

function guestOf(h: Harness, vmid: number) {
  const g = h.mock.state.guests.get(vmid);
  if (!g) throw new Error(`the mock has no guest ${vmid}`);
  return g;
}

/** The server still answers: the cheapest real call succeeds. */
async function stillUp(h: Harness): Promise<void> {
  const r = await h.ok<{ nodes: unknown[] }>("list_nodes");
  expect(r.nodes.length).toBeGreaterThan(0);
}

/** Waits until the mock has recorded `n` requests (a slow one is recorded late). */
async function recorded(mock: MockServer, n: number): Promise<RecordedRequest[]> {
  while (mock.requests.length < n) await Bun.sleep(10); // the test's timeout bounds this
  return mock.requests;
}

describe("HTTP errors from Proxmox", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(() => h.close());

  test("a read is retried once on 502, 503, 595 and 596, then succeeds", async () => {
    for (const [status, reason] of TRANSIENT) {
      h.mock.requests.length = 0;
      h.mock.faults.httpStatus = { status, reason, count: 1 };
      const r = await h.ok<{ nodes: unknown[] }>("list_nodes");
      expect(r.nodes.length).toBeGreaterThan(0);
      expect(h.mock.requests.map((q) => `${q.method} ${q.path} ${q.status}`)).toEqual([
        `GET /nodes ${status}`,
        "GET /nodes 200",
      ]);
    }
  });

  test("a read failing twice is one clear error after exactly two requests", async () => {
    h.mock.requests.length = 0;
    h.mock.faults.httpStatus = { status: 596, reason: "Connection timed out", count: 2 };
    const text = await h.fails("list_nodes");
    expect(text).toContain("596 Connection timed out");
    expect(text).toContain("Hint: The node did not answer in time");
    expect(count(h.mock, "GET", "/nodes")).toBe(2);
    await stillUp(h);
  });

  test("a 500 is not transient: no retry, PVE's reason comes back", async () => {
    h.mock.requests.length = 0;
    h.mock.faults.httpStatus = { status: 500, reason: "cluster not ready - no quorum?", count: 1 };
    const text = await h.fails("list_nodes");
    expect(text).toContain("500 cluster not ready - no quorum?");
    expect(text).toContain("lost quorum");
    expect(count(h.mock, "GET", "/nodes")).toBe(1);
    await stillUp(h);
  });

  test("writes (POST, PUT, DELETE) are never retried, whatever the status", async () => {
    // node and type given: no inventory lookup, the write is the tool's only request.
    const guest = { node: "pve2", vmid: 102, type: "qemu" };
    guestOf(h, 102).status = "stopped";
    const writes = [
      { tool: "start_vm", args: guest, method: "POST", path: "/nodes/pve2/qemu/102/status/start" },
      {
        tool: "set_tags",
        args: { ...guest, tags: "a;b" },
        method: "PUT",
        path: "/nodes/pve2/qemu/102/config",
      },
      {
        tool: "delete_snapshot",
        args: { ...guest, snapname: "before-upgrade" },
        method: "DELETE",
        path: "/nodes/pve2/qemu/102/snapshot/before-upgrade",
      },
    ];
    for (const w of writes) {
      for (const [status, reason] of [...TRANSIENT, [500, "internal error"] as const]) {
        h.mock.requests.length = 0;
        h.mock.faults.httpStatus = { status, reason, count: 1, method: w.method };
        const text = await h.fails(w.tool, w.args);
        expect(text).toContain(`${status} ${reason}`);
        expect(count(h.mock, w.method, w.path)).toBe(1);
        expect(h.writes()).toHaveLength(1);
      }
    }
    expect(guestOf(h, 102).status).toBe("stopped");
    await stillUp(h);
  });

  test("the client alone: no method but GET is ever sent twice", async () => {
    const paths = {
      POST: "/nodes/pve1/qemu/100/status/start",
      PUT: "/nodes/pve1/qemu/100/config",
      DELETE: "/nodes/pve1/qemu/100/snapshot/nope",
    };
    for (const method of ["POST", "PUT", "DELETE"] as const) {
      for (const [status, reason] of TRANSIENT) {
        h.mock.requests.length = 0;
        h.mock.faults.httpStatus = { status, reason, count: 2 };
        await expect(h.pve.request(method, paths[method])).rejects.toThrow(String(status));
        expect(h.mock.requests).toHaveLength(1);
        h.mock.faults.httpStatus = undefined;
      }
    }
  });
});

describe("latency", () => {
  // Far apart, so that a loaded machine's late timers and slow answers cannot swap them: calls
  // answer well within the client's timeout, and a spike outlasts it by far.
  const TIMEOUT_MS = 1_000;
  const SPIKE_MS = 3_000;
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ pveOptions: { timeoutMs: TIMEOUT_MS } });
  });
  afterEach(() => h.close());

  test("steady latency below the timeout only slows calls down", async () => {
    h.mock.faults.latencyMs = 30;
    try {
      await stillUp(h);
    } finally {
      h.mock.faults.latencyMs = 0;
    }
  });

  test("a spike past the timeout is a clear error, not retried; the next call works", async () => {
    h.mock.requests.length = 0;
    h.mock.faults.latencySpike = { ms: SPIKE_MS, count: 1 };
    const text = await h.fails("list_nodes");
    expect(text).toContain("no answer from");
    expect(text).toContain("within 1 s");
    expect(text).not.toContain("may have been carried out"); // a read: nothing to worry about
    await stillUp(h);
    const all = await recorded(h.mock, 2);
    expect(all.filter((r) => r.path === "/nodes")).toHaveLength(2); // the slow one + stillUp
  });

  test("a write timing out says it may have happened, and is not sent again", async () => {
    guestOf(h, 102).status = "stopped";
    h.mock.requests.length = 0;
    h.mock.faults.latencySpike = { ms: SPIKE_MS, count: 1, method: "POST" };
    const text = await h.fails("start_vm", { node: "pve2", vmid: 102, type: "qemu", wait: false });
    expect(text).toContain("no answer from");
    expect(text).toContain("may have been carried out anyway");
    const all = await recorded(h.mock, 1);
    expect(all.filter((r) => r.method === "POST")).toHaveLength(1);
    await stillUp(h);
  });
});

describe("connections refused and cut", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(() => h.close());

  test("Proxmox down: a clear error naming host and port; back up: calls work again", async () => {
    await h.mock.stopListening();
    try {
      const read = await h.fails("list_nodes");
      expect(read).toContain(`cannot reach ${h.mock.url}`);
      expect(read).toContain("Check host and port");
      const write = await h.fails("start_vm", { node: "pve2", vmid: 102, type: "qemu" });
      expect(write).toContain("ECONNREFUSED");
    } finally {
      await h.mock.listenAgain();
    }
    h.mock.requests.length = 0;
    await stillUp(h);
    expect(h.mock.requests).toHaveLength(1);
  });

  test("a read whose connection is cut gets one more try and succeeds", async () => {
    h.mock.requests.length = 0;
    h.mock.faults.drop = { count: 1 };
    await stillUp(h);
    expect(h.mock.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      "GET /nodes 0",
      "GET /nodes 200",
    ]);
  });

  test("a read cut on every try is one clear error after at most three tries", async () => {
    await stillUp(h); // a pooled keep-alive connection: Bun's fetch retries a GET cut on it
    h.mock.requests.length = 0;
    h.mock.faults.drop = { count: 10 };
    const text = await h.fails("list_nodes");
    h.mock.faults.drop = undefined;
    expect(text).toContain("closed the connection without answering");
    expect(text).toContain("pveproxy");
    // Ours is one retry; Bun adds one of its own when the cut connection was a reused one.
    expect(h.mock.requests.length).toBeGreaterThanOrEqual(2);
    expect(h.mock.requests.length).toBeLessThanOrEqual(3);
    await stillUp(h);
  });

  test("a write whose connection is cut is not sent again, and the error says so", async () => {
    guestOf(h, 102).status = "stopped";
    h.mock.requests.length = 0;
    h.mock.faults.drop = { count: 1, method: "POST" };
    const text = await h.fails("start_vm", { node: "pve2", vmid: 102, type: "qemu" });
    expect(text).toContain("closed the connection without answering");
    expect(text).toContain("may have been carried out anyway");
    expect(h.writes().map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      "POST /nodes/pve2/qemu/102/status/start 0",
    ]);
    expect(guestOf(h, 102).status).toBe("stopped");
    await stillUp(h);
  });
});

describe("TLS", () => {
  let h: Harness;
  let other: MockServer;
  let client: PveClient | undefined;
  const clientFor = (options: Partial<ConstructorParameters<typeof PveClient>[0]>) =>
    new PveClient({
      origin: h.mock.url,
      verifyTls: true,
      timeoutMs: 5000,
      user: h.mock.credentials.user,
      tokenName: "mcp",
      tokenValue: h.mock.credentials.tokenSecret,
      ...options,
    });
  beforeEach(async () => {
    h = await startHarness({
      mock: { tls: true },
      server: { pve: () => client as PveClient },
    });
    other = await startMock({ tls: true });
  });
  afterEach(async () => {
    await h.close();
    await other.stop();
  });

  test("the self-signed certificate, unverified: a clear error with the way out", async () => {
    client = clientFor({});
    const text = await h.fails("list_nodes");
    expect(text).toContain(`TLS verification of ${h.mock.url} failed`);
    expect(text).toContain("--ca-file");
    expect(h.mock.requests).toHaveLength(0); // refused in the handshake: nothing was sent
  });

  test("pinned to another host's certificate: refused too; the right one works", async () => {
    client = clientFor({ ca: other.certificate?.pem });
    expect(await h.fails("list_nodes")).toContain("TLS verification");
    expect(h.mock.requests).toHaveLength(0);
    client = clientFor({ ca: h.mock.certificate?.pem });
    await stillUp(h);
    client = clientFor({ verifyTls: false });
    await stillUp(h);
  });
});

describe("a node goes offline", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(() => h.close());

  test("listings carry on and name it; calls to it are clear 595 errors", async () => {
    h.mock.faults.offlineNodes.add("pve2");
    try {
      const vms = await h.ok<{
        offline_nodes: string[];
        guests: { vmid: number; status: string }[];
      }>("list_vms");
      expect(vms.offline_nodes).toEqual(["pve2"]);
      expect(vms.guests.find((g) => g.vmid === 102)?.status).toBe("unknown");

      h.mock.requests.length = 0;
      const read = await h.fails("get_node_status", { node: "pve2" });
      expect(read).toContain("595 No route to host");
      expect(read).toContain("is it offline?");
      expect(count(h.mock, "GET", "/nodes/pve2/status")).toBe(2); // one retry

      h.mock.requests.length = 0;
      const write = await h.fails("start_vm", { vmid: 102 });
      expect(write).toContain("595");
      expect(h.writes()).toHaveLength(1); // not retried
    } finally {
      h.mock.faults.offlineNodes.delete("pve2");
    }
    const nodes = await h.ok<{ offline: string[] }>("list_nodes");
    expect(nodes.offline).toEqual([]);
  });
});

describe("the ticket expires", () => {
  let h: Harness;
  let expireOnFirstPoll = false;
  beforeEach(async () => {
    expireOnFirstPoll = false;
    h = await startHarness({
      auth: "ticket",
      mock: {
        onRequest: (req) => {
          // Mid-call: the tool has started the task and is polling it when the ticket dies.
          if (expireOnFirstPoll && req.path.includes("/tasks/") && req.path.endsWith("/status")) {
            expireOnFirstPoll = false;
            h.mock.faults.expireTickets();
          }
        },
      },
    });
  });
  afterEach(() => h.close());

  test("before a read: one re-login, the read is answered", async () => {
    await stillUp(h);
    h.mock.faults.expireTickets();
    h.mock.requests.length = 0;
    await stillUp(h);
    expect(h.mock.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      "GET /nodes 401",
      "POST /access/ticket 200",
      "GET /nodes 200",
    ]);
  });

  test("before a write: refused at the door (401), so sending it again is safe: done once", async () => {
    await stillUp(h); // logged in
    guestOf(h, 102).status = "stopped";
    const starts = () => h.mock.state.tasks.filter((t) => t.type === "qmstart").length;
    const before = starts();
    h.mock.faults.expireTickets();
    h.mock.requests.length = 0;
    await h.ok("start_vm", { node: "pve2", vmid: 102, type: "qemu" });
    const posts = h.mock.requests.filter((r) => r.path.endsWith("/status/start"));
    expect(posts.map((r) => r.status)).toEqual([401, 200]);
    expect(starts()).toBe(before + 1);
  });

  test("in the middle of a task wait: the wait carries on after a re-login", async () => {
    await stillUp(h); // logged in
    guestOf(h, 102).status = "stopped";
    h.mock.requests.length = 0;
    expireOnFirstPoll = true;
    const r = await h.ok<{ task_status: string }>("start_vm", { vmid: 102 });
    expect(r.task_status).toBe("ok");
    expect(guestOf(h, 102).status).toBe("running");
    expect(h.mock.requests.filter((q) => q.path === "/access/ticket")).toHaveLength(1);
    expect(h.writes().filter((q) => q.status === 200)).toHaveLength(1);
  });
});

describe("a task that never ends", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ taskWaitMs: 300 });
  });
  afterEach(() => h.close());

  test("the wait is bounded: the UPID and how to follow it; stop_task ends it", async () => {
    h.mock.faults.hangTasks.add("qmstart");
    guestOf(h, 102).status = "stopped";
    const r = await h.ok<{ task_status: string; upid: string; next: string }>("start_vm", {
      vmid: 102,
    });
    expect(r.task_status).toBe("running");
    expect(r.next).toContain("wait_for_task");
    const running = await h.ok<{ status: string }>("get_task_status", { upid: r.upid });
    expect(running.status).toBe("running");
    await h.ok("stop_task", { upid: r.upid });
    const s = await h.ok<{ status: string; exitstatus: string }>("get_task_status", {
      upid: r.upid,
    });
    expect(s).toMatchObject({ status: "stopped", exitstatus: "interrupted by signal" });
    h.mock.faults.hangTasks.delete("qmstart");
    await stillUp(h);
  });

  test("a client that gives up (cancels) leaves the server answering", async () => {
    h.mock.faults.hangTasks.add("qmstop");
    guestOf(h, 100).status = "running";
    const cancel = new AbortController();
    const call = h.client.callTool({ name: "stop_vm", arguments: { vmid: 100 } }, undefined, {
      signal: cancel.signal,
    });
    await recorded(h.mock, h.mock.requests.length + 2); // lookup and the stop went out
    cancel.abort("enough");
    await expect(call).rejects.toThrow();
    h.mock.faults.hangTasks.delete("qmstop");
    await stillUp(h);
  });
});

describe("over HTTP, with faults everywhere", () => {
  test("concurrent sessions get an answer to every call; the server stays up", async () => {
    const f = await startFixture();
    try {
      f.mock.faults.offlineNodes.add("pve3");
      f.mock.faults.httpStatus = { status: 596, reason: "Connection timed out", count: 6 };
      f.mock.faults.drop = { count: 3 };
      f.mock.faults.latencySpike = { ms: 100, count: 10 };
      const calls = [
        { name: "list_nodes", arguments: {} },
        { name: "get_node_status", arguments: { node: "pve3" } },
        { name: "list_vms", arguments: {} },
        { name: "get_vm_config", arguments: { vmid: 100 } },
      ];
      const outcomes = await Promise.all(
        Array.from({ length: 8 }, async () => {
          const { client } = await streamableClient(f.url("/mcp"));
          const results: boolean[] = [];
          for (const call of calls) {
            const r = await client.callTool(call);
            expect(r.content).toBeDefined(); // an answer: a result or an isError result
            results.push(r.isError === true);
          }
          await client.close();
          return results;
        }),
      );
      expect(outcomes.flat()).toHaveLength(32);
      expect(outcomes.every((o) => o[1] === true)).toBe(true); // pve3 is offline: 595 each time
      f.mock.faults.offlineNodes.clear();
      f.mock.faults.httpStatus = undefined;
      f.mock.faults.drop = undefined;
      expect((await fetch(f.url("/healthz"))).status).toBe(200);
      const { client } = await streamableClient(f.url("/mcp"));
      expect(
        structured<{ nodes: unknown[] }>(await client.callTool(calls[0] as never)).nodes,
      ).toHaveLength(3);
      await client.close();
    } finally {
      await f.close();
    }
  });
});
