// Answers written for a model: every listing is paged (a cursor, the total, a default page
// within 8 KB however large the cluster), and every tool follows one unit convention (bytes,
// *_pct, seconds, ISO-8601 times) that its text shows in units.

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { ALL_TOOLS } from "../../src/tools/index.ts";
import { type Harness, startHarness } from "../support/harness.ts";

const PAGE_LIMIT = 8 * 1024;
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

const text = (r: CallToolResult) =>
  r.content.map((c) => (c.type === "text" ? c.text : "")).join("\n");

/** The list an answer pages: its first array of records. */
function rowsOf(data: Record<string, unknown>): unknown[] {
  const list = Object.values(data).find(
    (v) => Array.isArray(v) && (v.length === 0 || typeof v[0] === "object"),
  );
  return (list as unknown[]) ?? [];
}

const PAGED = ALL_TOOLS.filter((t) => "cursor" in t.input.shape).map((t) => t.name);
const REQUIRED: Record<string, Record<string, unknown>> = {
  preview_prune_backups: { storage: "backups", keep_last: 1 },
  get_pool_details: { poolid: "prod" },
};
/** Listings whose simulated cluster holds a single row: paging has nothing to turn. */
const SINGLE = new Set(["list_ha_resources", "list_acls"]);

describe("every listing pages", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  test("the listings with a cursor are the ones expected", () => {
    expect(PAGED).toEqual(
      expect.arrayContaining([
        "get_cluster_resources",
        "list_vms",
        "list_backups",
        "list_storage_content",
        "list_tasks",
        "get_cluster_log",
      ]),
    );
  });

  for (const name of PAGED) {
    test(`${name}: limit, cursor and total walk every row once`, async () => {
      const args = REQUIRED[name] ?? {};
      const first = await h.ok<Record<string, unknown>>(name, { ...args, limit: 1 });
      const total = first.total as number;
      expect(rowsOf(first)).toHaveLength(Math.min(1, total));
      if (SINGLE.has(name)) {
        expect(total).toBe(1);
        expect(first.next_cursor).toBeUndefined();
        return;
      }
      expect(total).toBeGreaterThanOrEqual(2);
      expect(first.next_cursor).toBe("1");
      const seen = [JSON.stringify(rowsOf(first)[0])];
      let cursor = first.next_cursor as string | undefined;
      while (cursor !== undefined) {
        const next = await h.ok<Record<string, unknown>>(name, { ...args, limit: 2, cursor });
        expect(next.total).toBe(total);
        seen.push(...rowsOf(next).map((r) => JSON.stringify(r)));
        cursor = next.next_cursor as string | undefined;
      }
      expect(seen).toHaveLength(total);
      expect(new Set(seen).size).toBe(total);
    });
  }

  test("a cursor no page gave is refused, naming it, before anything is listed", async () => {
    h.mock.requests.length = 0;
    const message = await h.fails("list_vms", { cursor: "page-two" });
    expect(message).toContain('cursor "page-two" is not one this tool gave');
  });
});

describe("a default page stays within 8 KB at 1,000 guests", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ mock: { guests: 1000 } });
  });
  afterAll(() => h.close());

  const LARGE: [string, Record<string, unknown>][] = [
    ["get_cluster_resources", {}],
    ["get_cluster_resources", { type: "vm" }],
    ["list_vms", {}],
    ["list_containers", {}],
    ["list_storage_content", {}],
    ["list_services", {}],
  ];
  for (const [name, args] of LARGE) {
    test(`${name} ${JSON.stringify(args)}`, async () => {
      const r = await h.call(name, args);
      expect(r.isError).toBeFalsy();
      const data = r.structuredContent as Record<string, unknown>;
      expect(Buffer.byteLength(text(r))).toBeLessThanOrEqual(PAGE_LIMIT);
      expect(Buffer.byteLength(JSON.stringify(data))).toBeLessThanOrEqual(PAGE_LIMIT);
      expect(data.total as number).toBeGreaterThan(rowsOf(data).length);
      expect(data.next_cursor).toBe(String(rowsOf(data).length));
      expect(text(r)).toContain(`total: ${data.total}`);
    });
  }

  test("an explicit limit is the caller's: a larger page when asked", async () => {
    const r = await h.ok<{ guests: unknown[] }>("list_vms", { limit: 200 });
    expect(r.guests).toHaveLength(200);
  });
});

/** Every property of a tool's output, with its JSON Schema (units included), however deep. */
function properties(schema: Record<string, unknown>, at = ""): [string, Record<string, unknown>][] {
  const out: [string, Record<string, unknown>][] = [];
  const walk = (node: unknown, path: string) => {
    if (!node || typeof node !== "object") return;
    const n = node as Record<string, unknown>;
    for (const [k, v] of Object.entries((n.properties as Record<string, unknown>) ?? {})) {
      out.push([`${path}${k}`, v as Record<string, unknown>]);
      walk(v, `${path}${k}.`);
    }
    walk(n.items, path);
    for (const alt of (n.anyOf as unknown[]) ?? []) walk(alt, path);
    walk(n.additionalProperties, path);
  };
  walk(schema, at);
  return out;
}

describe("one unit convention across tools", () => {
  const BYTES = new Set(["mem", "maxmem", "disk", "maxdisk", "size", "swap", "maxswap"]);
  const SECONDS = new Set(["uptime", "age", "duration"]);
  const TIMES = new Set(["time", "started", "expire", "last_check", "from", "to"]);
  // Names of the old conventions: Unix times, fractions, megabytes.
  const RETIRED =
    /^(ctime|starttime|endtime|snaptime|checktime|used_fraction|size_mb|\w*_percent|\w*_gb|\w*_mb)$/;

  // A view's own data is formatted by the view and never read by the model: not held here.
  for (const tool of ALL_TOOLS.filter((t) => !t.ui?.appOnly)) {
    test(tool.name, () => {
      const schema = z.toJSONSchema(tool.output, { io: "input", unrepresentable: "any" });
      for (const [path, prop] of properties(schema as Record<string, unknown>)) {
        const key = path.split(".").at(-1) ?? "";
        expect({ path, retired: RETIRED.test(key) }).toEqual({ path, retired: false });
        // A summary's cpu_pct is an object of min, avg, max and last: those carry the unit.
        const leaves = prop.type === "object" ? Object.values(prop.properties ?? {}) : [prop];
        if (key.endsWith("_pct")) {
          for (const leaf of leaves as Record<string, unknown>[]) {
            expect({ path, unit: leaf.unit }).toEqual({ path, unit: "percent" });
          }
        }
        if (BYTES.has(key) && prop.type === "number") {
          expect({ path, unit: prop.unit }).toEqual({ path, unit: "bytes" });
        }
        if (SECONDS.has(key)) expect({ path, unit: prop.unit }).toEqual({ path, unit: "seconds" });
        if (TIMES.has(key)) expect({ path, type: prop.type }).toEqual({ path, type: "string" });
      }
    });
  }
});

describe("answers show units", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  test("sizes in GiB, usage in %, uptime as a duration, times as ISO-8601 with age", async () => {
    const vms = await h.call("list_vms", { status: "running" });
    const data = vms.structuredContent as {
      guests: { vmid: number; mem: number; maxmem: number; mem_pct: number; uptime: number }[];
    };
    const web = data.guests.find((g) => g.vmid === 100);
    expect(web?.maxmem).toBe(4 * 2 ** 30);
    expect(web?.mem_pct).toBe(Math.round(((web?.mem ?? 0) / (web?.maxmem ?? 1)) * 1000) / 10);
    const row = text(vms)
      .split("\n")
      .find((l) => l.startsWith("100\t"));
    expect(row).toContain("\t4.0 GiB\t");
    expect(row).toContain(`\t${web?.mem_pct}%\t`);
    expect(row).toMatch(/\t\d+[dhms]( \d+[hms])?\t/);
    const backups = await h.ok<{ backups: { time: string; age: number }[] }>("list_backups");
    for (const b of backups.backups) {
      expect(b.time).toMatch(ISO);
      expect(Math.abs(Date.now() / 1000 - Date.parse(b.time) / 1000 - b.age)).toBeLessThan(5);
    }
  });
});
