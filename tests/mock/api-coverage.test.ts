// The simulated cluster against the official API schema: every GET endpoint outside Ceph is
// answered from the simulated state, except the few named in NOT_SIMULATED (at most 30); every
// route the mock has exists in the schema, with the schema's parameters. Each endpoint left out
// says so with a 501, which needs no schema to check.
import { describe, expect, test } from "bun:test";
import { describeRoutes, NOT_SIMULATED } from "../../src/mock/index.ts";
import { describeWithSchema } from "../support/api-schema.ts";
import { freshCluster } from "./helpers.ts";
import { schemaMethod, schemaMethods, shapeOf } from "./official-schema.ts";

const LIMIT = 30;
const outsideCeph = (path: string) => !/\/ceph(\/|$)/.test(path);

describeWithSchema("the mock against the official API schema", () => {
  test(`GET endpoints outside Ceph: all simulated but at most ${LIMIT}, named in one list`, () => {
    const routes = new Set(describeRoutes().map((r) => `${r.method} ${shapeOf(r.path)}`));
    const gets = schemaMethods().filter((m) => m.method === "GET" && outsideCeph(m.path));
    const simulated = gets.filter((m) => routes.has(`GET ${shapeOf(m.path)}`));
    const listed = new Set(NOT_SIMULATED.map(shapeOf));
    const missing = gets
      .filter((m) => !routes.has(`GET ${shapeOf(m.path)}`) && !listed.has(shapeOf(m.path)))
      .map((m) => m.path);
    console.log(
      `GET endpoints outside Ceph: ${gets.length}; simulated ${simulated.length}, not simulated ${NOT_SIMULATED.length} (limit ${LIMIT})`,
    );
    expect(missing).toEqual([]);
    expect(NOT_SIMULATED.length).toBeLessThanOrEqual(LIMIT);
    // A listed endpoint is in the schema and not secretly simulated too.
    for (const path of NOT_SIMULATED) {
      expect(schemaMethod("GET", path)?.path).toBe(path);
      expect(routes.has(`GET ${shapeOf(path)}`)).toBe(false);
    }
  });

  test("every route of the mock is in the schema, with the schema's parameters and types", () => {
    const problems: string[] = [];
    for (const route of describeRoutes()) {
      const official = schemaMethod(route.method, route.path);
      if (!official) {
        problems.push(`${route.method} ${route.path}: not in the API`);
        continue;
      }
      for (const [name, spec] of Object.entries(route.parameters)) {
        const theirs = official.parameters[name];
        if (!theirs) problems.push(`${route.method} ${route.path}: no parameter ${name}`);
        else if (theirs.type !== spec.type) {
          problems.push(
            `${route.method} ${route.path}: ${name} is ${theirs.type}, not ${spec.type}`,
          );
        }
      }
    }
    expect(problems).toEqual([]);
  });
});

describe("the GET endpoints left out", () => {
  const cluster = freshCluster();

  test("each endpoint left out says so with a 501", async () => {
    for (const template of NOT_SIMULATED) {
      const path = template.replace(/\{[^}]+\}/g, (p) => (p === "{node}" ? "pve1" : "x"));
      const res = await cluster.root.call("GET", path);
      expect([res.status, res.reason]).toEqual([
        501,
        `Method 'GET ${path}' not implemented by the simulator`,
      ]);
    }
  });
});
