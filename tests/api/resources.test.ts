// MCP resources through a real client: templates, the inventory-backed list (one call, paged),
// reads as JSON, the seed's proxmox://vms, the scope, and subscriptions that poll while
// subscribed and notify on change.

import { afterEach, beforeEach, describe, expect, type Mock, spyOn, test } from "bun:test";
import {
  type Resource,
  ResourceUpdatedNotificationSchema,
} from "@modelcontextprotocol/sdk/types.js";
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

const readJson = async (x: Harness, uri: string) => {
  const r = await x.client.readResource({ uri });
  const content = r.contents[0] as { uri: string; mimeType: string; text: string };
  expect(content.uri).toBe(uri);
  expect(content.mimeType).toBe("application/json");
  return JSON.parse(content.text);
};

describe("listing", () => {
  test("templates name every kind of resource", async () => {
    const x = await open();
    const { resourceTemplates } = await x.client.listResourceTemplates();
    expect(resourceTemplates.map((t) => t.uriTemplate)).toEqual([
      "pve://nodes/{node}/status",
      "pve://guests/{vmid}/config",
      "pve://guests/{vmid}/status",
      "pve://storage/{node}/{storage}/content",
      "pve://tasks/{upid}/log",
    ]);
  });

  test("the list holds the inventory's nodes, guests and storage, from one call", async () => {
    const x = await open();
    x.mock.requests.length = 0;
    const { resources, nextCursor } = await x.client.listResources();
    expect(nextCursor).toBeUndefined();
    const uris = resources.map((r) => r.uri);
    expect(uris.slice(0, 2)).toEqual(["pve://cluster/resources", "proxmox://vms"]);
    expect(uris).toContain("pve://nodes/pve1/status");
    expect(uris).toContain("pve://guests/100/config");
    expect(uris).toContain("pve://guests/202/status");
    expect(uris).toContain("pve://storage/pve2/local-lvm/content");
    expect(resources.find((r) => r.uri === "pve://guests/100/config")?.title).toBe(
      `VM 100 (${x.mock.state.guests.get(100)?.config.name}): config`,
    );
    expect(x.mock.requests.map((r) => `${r.method} ${r.path}`)).toEqual(["GET /cluster/resources"]);
  });

  test("a large cluster is listed in pages that add up, without repeats", async () => {
    const x = await open({ mock: { guests: 150 } });
    const seen: Resource[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await x.client.listResources(cursor ? { cursor } : {});
      seen.push(...page.resources);
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(4);
    expect(new Set(seen.map((r) => r.uri)).size).toBe(seen.length);
    expect(seen.filter((r) => r.uri.startsWith("pve://guests/"))).toHaveLength(300);
  });

  test("the scope hides what the server may not touch", async () => {
    const x = await open({ scope: { allowed_nodes: ["pve1"] } });
    const uris = (await x.client.listResources()).resources.map((r) => r.uri);
    expect(uris).toContain("pve://guests/100/status");
    expect(uris).not.toContain("pve://guests/102/status");
    expect(uris).not.toContain("pve://nodes/pve2/status");
    await expect(x.client.readResource({ uri: "pve://guests/102/config" })).rejects.toThrow(
      "guest 102 is outside this server's scope",
    );
  });
});

describe("reading", () => {
  test("a guest's config and status, found by vmid alone", async () => {
    const x = await open();
    const config = await readJson(x, "pve://guests/201/config");
    expect(config).toMatchObject({ vmid: 201, node: "pve2", type: "lxc" });
    expect(config.hostname).toBe(x.mock.state.guests.get(201)?.config.hostname);
    const status = await readJson(x, "pve://guests/100/status");
    expect(status).toMatchObject({ vmid: 100, node: "pve1", status: "running" });
  });

  test("the inventory, proxmox://vms, a node, a storage's content", async () => {
    const x = await open();
    const inventory = await readJson(x, "pve://cluster/resources");
    const types = inventory.map((r: { type: string }) => r.type);
    expect(types).toEqual(expect.arrayContaining(["node", "qemu", "lxc", "storage"]));
    const vms = await readJson(x, "proxmox://vms");
    expect(vms.map((r: { vmid: number }) => r.vmid).sort()).toEqual(
      [...x.mock.state.guests.keys()].sort(),
    );
    expect((await readJson(x, "pve://nodes/pve2/status")).node).toBe("pve2");
    const content = await readJson(x, "pve://storage/pve1/local/content");
    expect(content.length).toBeGreaterThan(0);
    expect(content[0].volid).toStartWith("local:");
  });

  test("a task's log, by its UPID", async () => {
    const x = await open();
    guestOf(x, 102).status = "stopped";
    const started = await x.ok<{ upid: string }>("start_vm", { vmid: 102 });
    const log = await readJson(x, `pve://tasks/${encodeURIComponent(started.upid)}/log`);
    expect(log.upid).toBe(started.upid);
    expect(log.lines.at(-1)).toBe("TASK OK");
  });

  test("an unknown URI is 'resource not found' (-32002); a missing guest says what exists", async () => {
    const x = await open();
    await expect(x.client.readResource({ uri: "pve://guests/100/secrets" })).rejects.toThrow(
      "MCP error -32002: Resource not found: pve://guests/100/secrets",
    );
    await expect(x.client.readResource({ uri: "pve://guests/999/config" })).rejects.toThrow(
      "VM 999 does not exist",
    );
  });
});

describe("subscriptions", () => {
  const POLL_MS = 20;
  // Whether the watcher still polls is read from its timer (setInterval and clearInterval seen
  // through spies), not by waiting to see that nothing more arrives.
  let setSpy: Mock<typeof setInterval>;
  let clearSpy: Mock<typeof clearInterval>;
  beforeEach(() => {
    setSpy = spyOn(globalThis, "setInterval");
    clearSpy = spyOn(globalThis, "clearInterval");
  });
  afterEach(() => {
    setSpy.mockRestore();
    clearSpy.mockRestore();
  });
  /** The polling timers set and not cleared. */
  const pollTimers = () => {
    const cleared = new Set<unknown>(clearSpy.mock.calls.map(([handle]) => handle));
    return setSpy.mock.calls
      .map(([, ms], i) => ({ ms, handle: setSpy.mock.results[i]?.value }))
      .filter((t) => t.ms === POLL_MS && !cleared.has(t.handle));
  };

  test("a subscribed guest's status is polled, a change notified, and polling ends on unsubscribe", async () => {
    const x = await open({ server: { resourcePollMs: POLL_MS } });
    const uri = "pve://guests/102/status";
    const updates: string[] = [];
    let notified: () => void = () => {};
    x.client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => {
      updates.push(n.params.uri);
      notified();
    });
    guestOf(x, 102).status = "stopped";
    await x.client.subscribeResource({ uri });
    expect(pollTimers()).toHaveLength(1);
    // Load figures move on every poll; only a real change (stopped → running) notifies. A poll
    // has notified (or not) before the next one reads, so once a third poll has read, the first
    // two are known to have kept quiet.
    const polls = () =>
      x.mock.requests.filter((r) => r.path === "/nodes/pve2/qemu/102/status/current").length;
    const subscribed = polls();
    while (polls() < subscribed + 3) await Bun.sleep(POLL_MS); // the test's timeout bounds this
    expect(updates).toEqual([]);
    const changed = new Promise<void>((resolve) => {
      notified = resolve;
    });
    guestOf(x, 102).status = "running";
    await changed;
    expect(updates).toEqual([uri]);

    await x.client.unsubscribeResource({ uri });
    expect(pollTimers()).toEqual([]);
  });

  test("subscribing to an unknown resource fails and starts nothing", async () => {
    const x = await open({ server: { resourcePollMs: POLL_MS } });
    x.mock.requests.length = 0;
    await expect(x.client.subscribeResource({ uri: "pve://nowhere" })).rejects.toThrow(
      "Resource not found",
    );
    expect(pollTimers()).toEqual([]);
    expect(x.mock.requests).toEqual([]);
  });

  test("closing the session stops the polling", async () => {
    const x = await open({ server: { resourcePollMs: POLL_MS } });
    await x.client.subscribeResource({ uri: "pve://nodes/pve1/status" });
    expect(pollTimers()).toHaveLength(1);
    await x.client.close();
    expect(pollTimers()).toEqual([]);
  });
});
