// The official PVE API schema (../shared/pve-api/apidata.js, present in the workspace, never
// shipped) as the mock's tests need it: every endpoint with its parameters and `returns`, and a
// check of an answer against a `returns` shape.
import { readFileSync } from "node:fs";
import { API_SCHEMA_FILE } from "../support/api-schema.ts";

export interface SchemaProp {
  type?: string | string[];
  optional?: number;
  enum?: string[];
  items?: SchemaProp;
  properties?: Record<string, SchemaProp>;
  format?: unknown;
  minimum?: number;
  maximum?: number;
  [key: string]: unknown;
}

export interface SchemaMethod {
  method: string;
  /** Template as the schema spells it, e.g. /nodes/{node}/qemu/{vmid}/config. */
  path: string;
  parameters: Record<string, SchemaProp>;
  returns?: SchemaProp;
}

interface TreeNode {
  path: string;
  info?: Record<
    string,
    { parameters?: { properties?: Record<string, SchemaProp> }; returns?: SchemaProp }
  >;
  children?: TreeNode[];
}

let methods: SchemaMethod[] | undefined;

export function schemaMethods(): SchemaMethod[] {
  if (methods) return methods;
  const source = readFileSync(API_SCHEMA_FILE, "utf8");
  const tree = new Function(`${source}; return apiSchema;`)() as TreeNode[];
  const out: SchemaMethod[] = [];
  const walk = (nodes: TreeNode[]) => {
    for (const node of nodes) {
      for (const [method, info] of Object.entries(node.info ?? {})) {
        out.push({
          method,
          path: node.path,
          parameters: info.parameters?.properties ?? {},
          returns: info.returns,
        });
      }
      walk(node.children ?? []);
    }
  };
  walk(tree);
  methods = out;
  return out;
}

/** Templates compared without their parameter names ({vmid} and {id} are both one segment). */
export const shapeOf = (template: string): string => template.replace(/\{[^}]+\}/g, "{}");

export function schemaMethod(method: string, template: string): SchemaMethod | undefined {
  const shape = shapeOf(template);
  return schemaMethods().find((m) => m.method === method && shapeOf(m.path) === shape);
}

const typeOk = (type: string, value: unknown): boolean => {
  switch (type) {
    case "string":
      return typeof value === "string";
    case "integer":
      return typeof value === "number" && Number.isInteger(value);
    case "number":
      return typeof value === "number";
    // PVE answers booleans as 0/1 (JSON true/false from a few Rust-backed calls).
    case "boolean":
      return value === 0 || value === 1 || typeof value === "boolean";
    case "array":
      return Array.isArray(value);
    case "object":
      return value !== null && typeof value === "object" && !Array.isArray(value);
    case "null":
      return value === null;
    default:
      return true; // "any" and unknown types
  }
};

/** Whether a place is one where PVE's wire is known to differ (`a.b` exactly, or under `a.*`). */
function onWire(wire: readonly string[], at: string): boolean {
  const here = at.replace(/\[\d+\]/g, "[]");
  return wire.some((w) => w === here || (w.endsWith(".*") && here.startsWith(w.slice(0, -1))));
}

/**
 * Where an answer breaks its `returns` schema: missing required keys, wrong types, bad enums.
 * `wire` names places (`data[].value`) where PVE's answer is known to differ from its schema.
 */
export function shapeProblems(
  schema: SchemaProp | undefined,
  value: unknown,
  wire: readonly string[] = [],
  at = "data",
): string[] {
  if (!schema || schema.type === undefined) return [];
  if (onWire(wire, at)) return [];
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  if (value === null && (schema.optional || types.includes("null"))) return [];
  if (!types.some((t) => typeOk(t, value))) {
    return [`${at}: ${JSON.stringify(value)?.slice(0, 80)} is not ${types.join("|")}`];
  }
  if (schema.enum && typeof value === "string" && !schema.enum.includes(value)) {
    return [`${at}: '${value}' is not one of ${schema.enum.join(", ")}`];
  }
  if (Array.isArray(value)) {
    return value.flatMap((item, i) => shapeProblems(schema.items, item, wire, `${at}[${i}]`));
  }
  if (value !== null && typeof value === "object" && schema.properties) {
    const obj = value as Record<string, unknown>;
    return Object.entries(schema.properties).flatMap(([key, prop]) => {
      // Indexed keys (`acmedomain[n]`) stand for several.
      if (key.endsWith("[n]")) return [];
      if (obj[key] === undefined) {
        return prop.optional || onWire(wire, `${at}.${key}`) ? [] : [`${at}.${key}: missing`];
      }
      return shapeProblems(prop, obj[key], wire, `${at}.${key}`);
    });
  }
  return [];
}
