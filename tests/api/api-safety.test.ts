// The raw API tools under the server's controls: read-only mode and the opt-in toolset (by
// annotation), the path allow/deny lists (a refused call sends nothing, not even the schema
// fetch), the scope, confirmation and the audit log, hosts without a schema, --api-schema FILE,
// the disk cache per PVE version, and a client nobody configured.

import { afterEach, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PveClient } from "../../src/pve/index.ts";
import { createAuditLog } from "../../src/server/audit.ts";
import { OPEN_POLICY, type ToolPolicy } from "../../src/server/policy.ts";
import { bySchema, schemaFile } from "../support/api-schema.ts";
import { type Harness, startHarness } from "../support/harness.ts";
import { guestOf, rawApi, sent, startApiHarness } from "./helpers.ts";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const policy = (p: Partial<ToolPolicy>): ToolPolicy => ({ ...OPEN_POLICY, ...p });
const names = async (x: Harness) => (await x.client.listTools()).tools.map((t) => t.name);
const API_TOOLS = ["describe_api", "proxmox_api", "proxmox_api_get"];

describe("annotations keep read-only mode and toolsets honest", () => {
  test("read-only mode lists the reads (proxmox_api_get, describe_api), never proxmox_api", async () => {
    h = await startApiHarness({}, { server: { policy: policy({ readOnly: true }) } });
    const listed = await names(h);
    expect(listed).toContain("proxmox_api_get");
    expect(listed).toContain("describe_api");
    expect(listed).not.toContain("proxmox_api");
    h.mock.requests.length = 0;
    const text = await h.fails("proxmox_api", {
      method: "POST",
      path: "/nodes/pve1/qemu/100/status/stop",
    });
    expect(text).toContain(
      'tool "proxmox_api" is not enabled on this server: the server runs read-only',
    );
    expect(h.mock.requests).toHaveLength(0);
    // Reads still work.
    await h.ok("proxmox_api_get", { path: "/nodes/pve1/status" });
  });

  test("the api toolset is opt-in: `default` leaves it out, naming it brings it in", async () => {
    h = await startApiHarness({}, { server: { policy: policy({ toolsets: ["default"] }) } });
    expect((await names(h)).filter((n) => API_TOOLS.includes(n))).toEqual([]);
    await h.close();
    h = await startApiHarness({}, { server: { policy: policy({ toolsets: ["tasks", "api"] }) } });
    expect((await names(h)).filter((n) => API_TOOLS.includes(n)).sort()).toEqual(API_TOOLS);
  });
});

describe("allow and deny lists", () => {
  test("the default deny list refuses /nodes/*/execute and token minting before anything is sent", async () => {
    h = await startApiHarness();
    h.mock.requests.length = 0;
    const execute = await h.fails("proxmox_api", {
      method: "POST",
      path: "/nodes/pve1/execute",
      params: { commands: "[]" },
    });
    expect(execute).toContain(
      'POST /nodes/pve1/execute is refused by this server: it matches "/nodes/*/execute" of api_deny_paths; nothing was sent',
    );
    const token = await h.fails("proxmox_api", {
      method: "POST",
      path: "/access/users/root@pam/token/new",
    });
    expect(token).toContain('it matches "/access/users/*/token/**" of api_deny_paths');
    const shell = await h.fails("proxmox_api", { method: "POST", path: "/nodes/pve2/termproxy" });
    expect(shell).toContain("of api_deny_paths");
    const read = await h.fails("proxmox_api_get", {
      path: "/nodes/pve1/qemu/100/agent/file-read",
      params: { file: "/etc/shadow" },
    });
    expect(read).toContain("of api_deny_paths");
    // Not a request, not even the version or the schema.
    expect(h.mock.requests).toHaveLength(0);
    expect(h.mock.apiSchemaRequests).toBe(0);
  });

  test("describe_api marks the endpoints this server refuses", async () => {
    h = await startApiHarness();
    const r = await h.ok<{ endpoints: { method: string; denied?: string }[] }>("describe_api", {
      path: "/nodes/{node}/termproxy",
    });
    expect(r.endpoints[0]?.denied).toContain(
      '"/nodes/**/{termproxy|vncshell|spiceshell}" of api_deny_paths',
    );
  });

  test("an allow list limits paths and methods; deny still wins inside it", async () => {
    h = await startApiHarness({
      api_allow_paths: ["GET /cluster/**", "/nodes/*/qemu/**"],
      api_deny_paths: ["/nodes/*/qemu/*/status/stop"],
    });
    h.mock.requests.length = 0;
    expect(await h.fails("proxmox_api_get", { path: "/nodes/pve1/status" })).toContain(
      "it matches no pattern of api_allow_paths",
    );
    expect(
      await h.fails("proxmox_api", {
        method: "POST",
        path: "/cluster/ha/resources",
        params: { sid: "vm:100" },
      }),
    ).toContain("it matches no pattern of api_allow_paths");
    expect(
      await h.fails("proxmox_api", { method: "POST", path: "/nodes/pve1/qemu/100/status/stop" }),
    ).toContain('it matches "/nodes/*/qemu/*/status/stop" of api_deny_paths');
    expect(h.mock.requests).toHaveLength(0);
    await h.ok("proxmox_api_get", { path: "/cluster/status" });
    await h.ok("proxmox_api_get", { path: "/nodes/pve1/qemu/100/status/current" });
  });

  test("a bad pattern is a configuration error", () => {
    const pve = new PveClient({
      origin: "http://127.0.0.1:1",
      verifyTls: true,
      timeoutMs: 1000,
      user: "root@pam",
      tokenName: "x",
      tokenValue: "y",
    });
    expect(() => rawApi(() => pve, { api_deny_paths: ["nodes/*/execute"] })).toThrow(
      'bad API path pattern "nodes/*/execute"',
    );
  });
});

describe("scope", () => {
  test("nodes and guests named by a raw call must be in scope; cluster-wide writes are refused", async () => {
    h = await startApiHarness(
      {},
      { scope: { allowed_nodes: ["pve1"], allowed_vmids: ["100-199"] } },
    );
    h.mock.requests.length = 0;
    expect(await h.fails("proxmox_api_get", { path: "/nodes/pve2/status" })).toContain(
      "node pve2 is outside this server's scope",
    );
    expect(
      await h.fails("proxmox_api", { method: "POST", path: "/nodes/pve1/lxc/200/status/stop" }),
    ).toContain("guest 200 is outside this server's scope");
    // 102 is in the vmid range, but lives on pve2.
    expect(
      await h.fails("proxmox_api", {
        method: "POST",
        path: "/cluster/ha/resources",
        params: { sid: "vm:102" },
      }),
    ).toContain("guest 102 is outside this server's scope");
    expect(
      await h.fails("proxmox_api", {
        method: "POST",
        path: "/cluster/firewall/rules",
        params: { type: "in", action: "ACCEPT" },
      }),
    ).toContain("POST /cluster/firewall/rules: this request is a cluster-wide change");
    expect(h.writes()).toEqual([]);
    // The guard attributes the raw call itself: an HA resource of a guest in scope is allowed.
    await h.ok("proxmox_api", {
      method: "POST",
      path: "/cluster/ha/resources",
      params: { sid: "vm:101" },
    });
    expect(h.writes().map((r) => `${r.method} ${r.path} ${r.params.sid}`)).toEqual([
      "POST /cluster/ha/resources vm:101",
    ]);
    await h.ok("proxmox_api_get", { path: "/nodes/pve1/qemu/100/status/current" });
  });
});

describe("confirmation and audit", () => {
  test("a raw write asks first, like every destructive tool, and its audit lines hide secrets", async () => {
    const dir = mkdtempSync(join(tmpdir(), "pmcp-api-audit-"));
    const file = join(dir, "audit.log");
    h = await startApiHarness({}, { server: { confirm: true, audit: createAuditLog(file) } });
    h.mock.requests.length = 0;
    const args = {
      method: "POST",
      path: "/access/users",
      params: { userid: "raw@pve", comment: "raw", password: "hunter2-secret" },
    };
    const x = h;
    const codeOf = async (a: Record<string, unknown>) => {
      const r = await x.call("proxmox_api", a);
      const text = r.content.map((c) => (c.type === "text" ? c.text : "")).join("\n");
      expect(text).toContain("proxmox_api is destructive and needs the user's confirmation");
      expect(text).not.toContain("hunter2-secret");
      return { text, code: (r.structuredContent as { confirm: string }).confirm };
    };
    const first = await codeOf(args);
    expect(first.text).toContain('path="/access/users"');
    expect(sent(h)).toEqual([]);
    const typoArgs = { ...args, params: { userid: "raw@pve", passwd: "hunter2-secret" } };
    const typoCode = (await codeOf(typoArgs)).code;
    const typo = await h.fails("proxmox_api", { ...typoArgs, confirm: typoCode });
    expect(typo).toContain("- passwd: property is not defined in schema");
    const type = bySchema({ official: "<string>", mock: "string, at most 64 characters" });
    expect(typo).toContain(`did you mean password (${type}, optional): Initial password.`);
    expect(typo).not.toContain("hunter2-secret");
    expect(h.writes()).toEqual([]);
    await h.ok("proxmox_api", { ...args, confirm: first.code });
    expect(h.mock.state.users.get("raw@pve")?.comment).toBe("raw");
    const log = readFileSync(file, "utf8");
    expect(log).not.toContain("hunter2-secret");
    const lines = log
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => `${l.event} ${l.outcome ?? l.status ?? ""}`)).toEqual([
      "call unconfirmed",
      "call unconfirmed",
      "call error",
      "intent ",
      "outcome ok",
      "call ok",
    ]);
    expect(lines[0].args.params).toEqual({ userid: "raw@pve", comment: "raw", password: "***" });
    expect(lines[3]).toMatchObject({
      tool: "proxmox_api",
      method: "POST",
      path: "/access/users",
      params: { userid: "raw@pve", comment: "raw", password: "***" },
    });
  });
});

describe("where the schema comes from", () => {
  test("a host without pve-docs: reads work with a notice, writes are refused unsent", async () => {
    h = await startApiHarness({}, { mock: { pveDocs: false } });
    h.mock.requests.length = 0;
    const r = await h.ok<{ checked: boolean; notice?: string; data: unknown[] }>(
      "proxmox_api_get",
      {
        path: "/cluster/resources",
        params: { type: "vm" },
      },
    );
    expect(r.checked).toBe(false);
    expect(r.notice).toContain("not checked against the API schema: the host serves no API schema");
    expect(r.data.length).toBeGreaterThan(0);
    const text = await h.fails("proxmox_api", {
      method: "POST",
      path: "/nodes/pve1/qemu/100/status/stop",
    });
    expect(text).toContain(
      "refused: raw writes are checked against the API schema, and there is none",
    );
    expect(text).toContain("--api-schema FILE");
    expect(h.writes()).toEqual([]);
    expect(h.mock.state.guests.get(100)?.status).toBe("running");
    expect(await h.fails("describe_api", { query: "zones" })).toContain("no API schema");
  });

  test("--api-schema FILE stands in for the host's (which is then never asked)", async () => {
    h = await startApiHarness({ api_schema: schemaFile() }, { mock: { pveDocs: false } });
    guestOf(h, 102).status = "stopped";
    await h.ok("proxmox_api", { method: "POST", path: "/nodes/pve2/qemu/102/status/start" });
    expect(h.mock.state.guests.get(102)?.status).toBe("running");
    const d = await h.ok<{ schema: { source: string } }>("describe_api", { query: "sdn zones" });
    expect(d.schema.source).toBe("file");
    expect(h.mock.apiSchemaRequests).toBe(0);
  });

  test("the host's schema is cached on disk per PVE version and read from there next time", async () => {
    const dir = mkdtempSync(join(tmpdir(), "pmcp-api-cache-"));
    h = await startApiHarness({ api_schema_cache: dir });
    const first = await h.ok<{ schema: { source: string; version: string } }>("describe_api", {
      query: "ceph",
    });
    expect(first.schema).toMatchObject({ source: "host", version: "9.1.3" });
    const repoid = h.mock.state.version.repoid;
    expect(readdirSync(dir)).toEqual([`pve-api-9.1.3-${repoid}.json`]);
    // A new connection (a restarted server) reads the cache, not the host.
    const second = await startApiHarness({ api_schema_cache: dir }, { mock: { pveDocs: false } });
    try {
      const again = await second.ok<{ schema: { source: string } }>("describe_api", {
        query: "ceph",
      });
      expect(again.schema.source).toBe("cache");
      expect(second.mock.apiSchemaRequests).toBe(0);
    } finally {
      await second.close();
    }
    // Another PVE version would not match that file.
    expect(existsSync(join(dir, "pve-api-8.2.4-x.json"))).toBe(false);
  });

  test("without a file the mock serves its own routes as the schema (the demo's case)", async () => {
    h = await startApiHarness({}, { mock: { apiSchemaFile: undefined } });
    const r = await h.ok<{
      schema: { source: string; endpoints: number };
      endpoints: { path: string }[];
    }>("describe_api", { path: "/nodes/pve1/qemu/100/status/start" });
    expect(r.schema.source).toBe("host");
    expect(r.schema.endpoints).toBeGreaterThan(50);
    expect(r.endpoints[0]?.path).toBe("/nodes/{node}/qemu/{vmid}/status/start");
    await h.ok("proxmox_api_get", { path: "/cluster/resources" });
  });

  test("a client nobody bound to api settings gets no raw access at all", async () => {
    h = await startHarness();
    h.mock.requests.length = 0;
    expect(await h.fails("proxmox_api_get", { path: "/version" })).toContain(
      "raw API access is not configured for this connection; nothing was sent",
    );
    expect(h.mock.requests).toHaveLength(0);
  });
});
