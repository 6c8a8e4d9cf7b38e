// The guard alone, over every (method, path) of the API schema in force (the official one, or the
// simulated cluster's where a checkout lacks it): with one object-naming value outside the scope
// a request is refused; with all inside it passes, or is refused only as cluster-wide, node
// administration or reaching every guest; with no scope everything passes. Values come from the
// schema's formats (schema-values.ts), drawn by fast-check.

import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import {
  createScope,
  Inventory,
  type Resource,
  ScopeError,
  ScopeGuard,
  type ScopeSettings,
} from "../../src/pve/index.ts";
import { bySchema } from "../support/api-schema.ts";
import {
  drawValue,
  fill,
  limited,
  type SchemaEndpoint,
  type Side,
  schemaEndpoints,
} from "./schema-values.ts";

const ROWS: Resource[] = [
  { id: "qemu/100", type: "qemu", vmid: 100, node: "pve1", pool: "prod", tags: "prod;web" },
  { id: "qemu/101", type: "qemu", vmid: 101, node: "pve1", pool: "prod", tags: "prod" },
  { id: "lxc/150", type: "lxc", vmid: 150, node: "pve1", pool: "prod", tags: "prod" },
  { id: "qemu/200", type: "qemu", vmid: 200, node: "pve2", pool: "lab", tags: "lab" },
  { id: "lxc/201", type: "lxc", vmid: 201, node: "pve1", pool: "lab" },
];

const INSIDE: Side = { nodes: ["pve1"], guests: [100, 101, 150], pools: ["prod"] };
const OUTSIDE: Side = { nodes: ["pve2"], guests: [200, 201], pools: ["lab"] };

interface Case {
  name: string;
  settings: ScopeSettings;
  limits: { nodes: boolean; guests: boolean; pools: boolean };
}

const SCOPES: Case[] = [
  {
    name: "nodes and vmids",
    settings: { allowed_nodes: ["pve1"], allowed_vmids: ["100-199"] },
    limits: { nodes: true, guests: true, pools: false },
  },
  {
    name: "pools",
    settings: { allowed_pools: ["prod"] },
    limits: { nodes: false, guests: true, pools: true },
  },
  {
    name: "tags",
    settings: { allowed_tags: ["prod"] },
    limits: { nodes: false, guests: true, pools: false },
  },
];

const guardFor = (settings: ScopeSettings) =>
  new ScopeGuard(createScope(settings), new Inventory(async () => ROWS));

/** Refusals that say the request as a whole is beyond any scope, not that an object is outside. */
const BEYOND_ANY_SCOPE =
  /cluster-wide change that no scope can hold|is administration of node|reaches every guest|changing pool .* itself/;

type Drawn = { path: string; params: Record<string, string> };

/** Values for every naming parameter, from `inside`, except `outsideName` drawn from `outside`. */
function draw(ep: SchemaEndpoint, outsideName?: string, outside = OUTSIDE): fc.Arbitrary<Drawn> {
  const parts = ep.naming.map((n) =>
    drawValue(n.kind, n.name === outsideName ? outside : INSIDE).map((v) => [n, v] as const),
  );
  return fc.tuple(...parts).map((pairs) => {
    const pathValues: Record<string, string> = {};
    const params: Record<string, string> = {};
    for (const [n, v] of pairs) {
      if (n.inPath) pathValues[n.name] = v;
      else params[n.name.replace("[n]", "0")] = v;
    }
    return { path: fill(ep.template, pathValues), params };
  });
}

async function verdict(guard: ScopeGuard, method: string, d: Drawn): Promise<string | undefined> {
  try {
    await guard.admit(method, d.path, d.params);
    return undefined;
  } catch (error) {
    if (!(error instanceof ScopeError)) throw error;
    return `${error.message}\nHint: ${error.hint}`;
  }
}

/**
 * How much each schema gives to judge: the official one has 649 endpoints, the simulated
 * cluster's (which stands in without it) about 380; `checked` is per scope, naming values the
 * scope limits.
 */
const PLENTY = bySchema({
  official: { endpoints: 600, naming: 400, checked: 200 },
  mock: { endpoints: 350, naming: 200, checked: 120 },
});

describe("the guard over every endpoint of the API schema", () => {
  const endpoints = schemaEndpoints();

  test("the schema gives the guard plenty to judge", () => {
    expect(endpoints.length).toBeGreaterThan(PLENTY.endpoints);
    expect(endpoints.filter((e) => e.naming.length > 0).length).toBeGreaterThan(PLENTY.naming);
  });

  for (const scope of SCOPES) {
    test(`${scope.name}: one value outside the scope refuses the request`, async () => {
      const guard = guardFor(scope.settings);
      let checked = 0;
      for (const ep of endpoints) {
        for (const n of ep.naming) {
          if (!limited(n.kind, scope.limits)) continue;
          checked++;
          await fc.assert(
            fc.asyncProperty(draw(ep, n.name), async (d) => {
              const refused = await verdict(guard, ep.method, d);
              if (!refused) {
                throw new Error(
                  `${ep.method} ${d.path} ${JSON.stringify(d.params)} was let through`,
                );
              }
            }),
            { numRuns: 8 },
          );
        }
      }
      expect(checked).toBeGreaterThan(PLENTY.checked);
    });

    test(`${scope.name}: with everything inside, only cluster-wide and node-wide reach is refused`, async () => {
      const guard = guardFor(scope.settings);
      for (const ep of endpoints) {
        await fc.assert(
          fc.asyncProperty(draw(ep), async (d) => {
            const refused = await verdict(guard, ep.method, d);
            if (refused && !BEYOND_ANY_SCOPE.test(refused)) {
              throw new Error(`${ep.method} ${d.path} ${JSON.stringify(d.params)}: ${refused}`);
            }
            // A guest's own endpoints are the guest's, but for the QEMU monitor (host access).
            const guestOwn = /^\/nodes\/\{node\}\/(?:qemu|lxc)\/\{vmid\}/.test(ep.template);
            if (refused && guestOwn && !ep.template.endsWith("/monitor")) {
              throw new Error(`${ep.method} ${d.path}: ${refused}`);
            }
          }),
          { numRuns: 4 },
        );
      }
    });
  }

  test("under a guest scope, node administration is refused unless allow_node_admin", async () => {
    const strict = guardFor({ allowed_vmids: ["100-199"] });
    const admin = guardFor({ allowed_vmids: ["100-199"], allow_node_admin: true });
    const shell = { path: "/nodes/pve1/termproxy", params: {} };
    expect(await verdict(strict, "POST", shell)).toContain(
      "POST /nodes/pve1/termproxy: this request is administration of node pve1",
    );
    expect(await verdict(strict, "POST", shell)).toContain("allow_node_admin");
    expect(await verdict(admin, "POST", shell)).toBeUndefined();
    // Still held to the node scope, and never beyond it.
    const nodes = guardFor({
      allowed_nodes: ["pve1"],
      allowed_vmids: ["100-199"],
      allow_node_admin: true,
    });
    expect(await verdict(nodes, "POST", { path: "/nodes/pve2/termproxy", params: {} })).toContain(
      "node pve2 is outside",
    );
  });

  test("without a scope every request passes, whatever it names", async () => {
    const guard = guardFor({});
    for (const ep of endpoints) {
      const anyValue = ep.naming[0]?.name;
      await fc.assert(
        fc.asyncProperty(draw(ep, anyValue), async (d) => {
          expect(await verdict(guard, ep.method, d)).toBeUndefined();
        }),
        { numRuns: 2 },
      );
    }
  });
});

test("a path with . or .. segments is refused, scope or not", async () => {
  const guard = guardFor({});
  for (const path of [
    "/nodes/pve1/qemu/100/../../../access/users",
    "/nodes/pve1/%2e%2e/pve2",
    "/nodes/pve1/storage/local/content/local%3Aiso%2F..%2F..%2Fx",
    "/nodes/./pve1",
  ]) {
    await expect(guard.admit("GET", path)).rejects.toThrow("would leave the path");
  }
});
