// The PVE API schema the tests hold requests and tools against, as a checker: does a request
// (method, path, params) exist in the API with these parameter names and types?
// The official one (PVE 9.1.3's apidata.js: test-only, never shipped) comes from $PVE_API_SCHEMA
// or ../shared/pve-api/apidata.js. A checkout without it uses the simulated cluster's own schema,
// generated from its routes, so every check still runs; only tests about the official schema's
// own content skip, each saying why.

import { describe, test } from "bun:test";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { schemaText } from "../../src/mock/api-viewer.ts";
import { allRoutes } from "../../src/mock/routes/index.ts";

const fromEnv = process.env.PVE_API_SCHEMA;
if (fromEnv && !existsSync(fromEnv)) {
  throw new Error(`PVE_API_SCHEMA=${fromEnv}: no such file`);
}

/** Where the official schema is looked for. */
export const API_SCHEMA_FILE =
  fromEnv || join(import.meta.dir, "../../../shared/pve-api/apidata.js");

/** Which schema this run holds everything against. */
export const SCHEMA_KIND: "official" | "mock" = existsSync(API_SCHEMA_FILE) ? "official" : "mock";

/** Whether the official schema is there. */
export const schemaAvailable = (): boolean => SCHEMA_KIND === "official";

/** What a test expects under each schema (their descriptions and type texts differ). */
export const bySchema = <T>(expected: { official: T; mock: T }): T => expected[SCHEMA_KIND];

const NO_OFFICIAL = `the official PVE API schema is absent (set PVE_API_SCHEMA or add ${API_SCHEMA_FILE})`;
let mockSchemaFile: string | undefined;

/** The schema in force as a file: the official one, or the mock's written once per content. */
export function schemaFile(): string {
  if (SCHEMA_KIND === "official") return API_SCHEMA_FILE;
  if (!mockSchemaFile) {
    console.warn(`NOTICE: ${NO_OFFICIAL}: the simulated cluster's own schema stands in`);
    const text = schemaText(allRoutes);
    const dir = join(tmpdir(), "proxmox-mcp-tests");
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `mock-apidata-${Bun.hash(text).toString(16)}.js`);
    if (!existsSync(file)) {
      // Written aside, then renamed: another run reading the same file never sees half of it.
      const partial = `${file}.${process.pid}`;
      writeFileSync(partial, text);
      renameSync(partial, file);
    }
    mockSchemaFile = file;
  }
  return mockSchemaFile;
}

/**
 * `describe` for a group that is about the official schema itself (every endpoint of it, its
 * privileges): without it, skipped with the reason in its name. Prefer testWithOfficialSchema
 * for the few tests that need it, and bySchema where the simulated cluster's schema will do.
 */
export function describeWithSchema(name: string, body: () => void): void {
  if (SCHEMA_KIND === "official") describe(name, body);
  else describe.skip(`${name} (skipped: ${NO_OFFICIAL})`, body);
}

/**
 * `test` for what only the official schema holds (descriptions, return types, endpoints the
 * simulated cluster lacks): without it, skipped with the reason in its name.
 */
export function testWithOfficialSchema(
  name: string,
  fn: () => void | Promise<void>,
  why: string,
): void {
  if (SCHEMA_KIND === "official") test(name, fn);
  else test.skip(`${name} (skipped: ${why}; ${NO_OFFICIAL})`, fn);
}

/**
 * For a check that tests make only with the official schema, inside tests that run either way:
 * without it, one skipped line says what went unchecked and why.
 */
export function uncheckedWithoutOfficialSchema(what: string, why: string): void {
  if (SCHEMA_KIND === "mock") test.skip(`${what} (skipped: ${why}; ${NO_OFFICIAL})`, () => {});
}

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

/** Every (method, path) of the schema in force. */
export function loadEndpoints(): Endpoint[] {
  if (endpoints) return endpoints;
  const source = readFileSync(schemaFile(), "utf8");
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
