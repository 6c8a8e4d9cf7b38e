// The official PVE API schema (../shared/pve-api/apidata.js, test-only: never shipped) as a
// checker: does a request (method, path, params) exist in the API with these parameter names
// and types? Used to hold both the mock and every request the tools send to the real API.

import { describe } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

export const API_SCHEMA_FILE = join(import.meta.dir, "../../../shared/pve-api/apidata.js");

interface Property {
  type?: string;
  enum?: string[];
  optional?: number;
  minimum?: number;
  maximum?: number;
}

interface MethodInfo {
  parameters?: { properties?: Record<string, Property>; additionalProperties?: number };
}

interface Node {
  path: string;
  info?: Record<string, MethodInfo>;
  children?: Node[];
}

export interface Endpoint {
  method: string;
  template: string;
  pattern: RegExp;
  /** Literal segments count: more literal = more specific. */
  literals: number;
  properties: Record<string, Property>;
  additional: boolean;
}

let endpoints: Endpoint[] | undefined;

export const schemaAvailable = (): boolean => existsSync(API_SCHEMA_FILE);

let skipNoticeShown = false;

/** `describe` for tests that need the official schema: skipped, with a notice, without it. */
export function describeWithSchema(name: string, body: () => void): void {
  if (schemaAvailable()) {
    describe(name, body);
    return;
  }
  if (!skipNoticeShown) {
    skipNoticeShown = true;
    console.warn(`NOTICE: ${API_SCHEMA_FILE} not found: tests that need it are skipped`);
  }
  describe.skip(`${name} (needs ../shared/pve-api/apidata.js)`, body);
}

export function loadEndpoints(): Endpoint[] {
  if (endpoints) return endpoints;
  const source = readFileSync(API_SCHEMA_FILE, "utf8");
  const tree = new Function(`${source}; return apiSchema;`)() as Node[];
  const out: Endpoint[] = [];
  const walk = (nodes: Node[]) => {
    for (const node of nodes) {
      for (const [method, info] of Object.entries(node.info ?? {})) {
        const segments = node.path.split("/").filter(Boolean);
        out.push({
          method,
          template: node.path,
          pattern: new RegExp(
            `^${segments.map((s) => (s.startsWith("{") ? "/[^/]+" : `/${escapeRegExp(s)}`)).join("")}$`,
          ),
          literals: segments.filter((s) => !s.startsWith("{")).length,
          properties: info.parameters?.properties ?? {},
          additional: info.parameters?.additionalProperties === 1,
        });
      }
      walk(node.children ?? []);
    }
  };
  walk(tree);
  endpoints = out;
  return out;
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

export function findEndpoint(method: string, path: string): Endpoint | undefined {
  return loadEndpoints()
    .filter((e) => e.method === method && e.pattern.test(path))
    .sort((a, b) => b.literals - a.literals)[0];
}

/** Problems of one request against the schema; empty when it conforms. */
export function checkRequest(
  method: string,
  path: string,
  params: Record<string, string | string[]>,
): string[] {
  const endpoint = findEndpoint(method, path);
  if (!endpoint) return [`${method} ${path}: no such endpoint in the PVE API`];
  const problems: string[] = [];
  for (const [name, raw] of Object.entries(params)) {
    // Indexed options (net0, scsi1, mp2) are declared once as `net[n]`, `scsi[n]`, `mp[n]`.
    const prop = endpoint.properties[name] ?? endpoint.properties[name.replace(/\d+$/, "[n]")];
    if (!prop) {
      if (!endpoint.additional)
        problems.push(`${method} ${endpoint.template}: unknown parameter "${name}"`);
      continue;
    }
    for (const value of Array.isArray(raw) ? raw : [raw]) {
      const problem = typeProblem(prop, value);
      if (problem)
        problems.push(
          `${method} ${endpoint.template}: ${name}=${JSON.stringify(value)} ${problem}`,
        );
    }
  }
  return problems;
}

function typeProblem(prop: Property, value: string): string | undefined {
  switch (prop.type) {
    case "integer":
      if (!/^[+-]?\d+$/.test(value)) return "is not an integer";
      break;
    case "number":
      if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(value)) return "is not a number";
      break;
    case "boolean":
      if (value !== "0" && value !== "1") return "is not a 0/1 boolean";
      break;
  }
  if (prop.enum && !prop.enum.includes(value)) return `is not one of ${prop.enum.join(", ")}`;
  const n = Number(value);
  if (prop.minimum !== undefined && n < prop.minimum) return `is below the minimum ${prop.minimum}`;
  if (prop.maximum !== undefined && n > prop.maximum) return `is above the maximum ${prop.maximum}`;
  return undefined;
}
