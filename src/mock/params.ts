// Parameter declarations and PVE's JSONSchema checks, with PVE's exact error texts.
import { paramError } from "./errors.ts";
import { checkFormat } from "./formats/index.ts";

export type ParamType = "string" | "integer" | "boolean" | "number" | "array";

/** One parameter, shaped like a property of apidata.js. */
export interface ParamSpec {
  type: ParamType;
  optional?: boolean;
  description?: string;
  enum?: readonly string[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  default?: string | number;
  /** For `name[n]`: how many there are (net0..net31 is 32), as the description says "n is 0 to 31". */
  count?: number;
  /** Another parameter that must be given with this one. */
  requires?: string;
}

/** name → spec; a name like `net[n]` stands for net0, net1, ... as in apidata.js. */
export type ParamTable = Record<string, ParamSpec>;

/** What arrives on the wire: query string, form or JSON body, merged. */
export type RawParams = Record<string, string | string[]>;
export type ParamValue = string | number | boolean | string[];
export type Params = Record<string, ParamValue | undefined>;

const INTEGER_RE = /^[+-]?\d+$/;
const NUMBER_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** The spec of a parameter, `net3` found as `net[n]` when within its count. */
export function specFor(table: ParamTable, name: string): ParamSpec | undefined {
  const direct = table[name];
  if (direct) return direct;
  const m = /^([a-z_-]+)(0|[1-9]\d*)$/i.exec(name);
  const indexed = m ? table[`${m[1]}[n]`] : undefined;
  // net32 is no option of a VM: PVE declares net0..net31 one by one.
  return indexed && (indexed.count === undefined || Number(m?.[2]) < indexed.count)
    ? indexed
    : undefined;
}

/** Checks one value like PVE's check_prop: type, format, pattern, length, range, enum. */
function checkValue(
  name: string,
  spec: ParamSpec,
  raw: string | string[],
): { value?: ParamValue; error?: string } {
  if (spec.type === "array") return { value: Array.isArray(raw) ? raw : [raw] };
  if (Array.isArray(raw)) return { error: `type check ('${spec.type}') failed - got ARRAY` };
  let value: ParamValue = raw;
  if (spec.type === "integer" || spec.type === "number") {
    const ok = spec.type === "integer" ? INTEGER_RE.test(raw) : NUMBER_RE.test(raw);
    if (!ok) return { error: `type check ('${spec.type}') failed - got '${raw}'` };
    value = Number(raw);
  } else if (spec.type === "boolean") {
    if (raw !== "0" && raw !== "1")
      return { error: `type check ('boolean') failed - got '${raw}'` };
    value = raw === "1";
  }
  if (spec.format) {
    const msg = checkFormat(spec.format, raw, name);
    if (msg !== undefined) return { error: `invalid format - ${msg}` };
  }
  if (spec.pattern && !new RegExp(`^(?:${spec.pattern})$`).test(raw)) {
    return { error: "value does not match the regex pattern" };
  }
  if (spec.maxLength !== undefined && raw.length > spec.maxLength) {
    return { error: `value may only be ${spec.maxLength} characters long` };
  }
  if (spec.minLength !== undefined && raw.length < spec.minLength) {
    return { error: `value must be at least ${spec.minLength} characters long` };
  }
  if (typeof value === "number") {
    if (spec.maximum !== undefined && value > spec.maximum) {
      return { error: `value must have a maximum value of ${spec.maximum}` };
    }
    if (spec.minimum !== undefined && value < spec.minimum) {
      return { error: `value must have a minimum value of ${spec.minimum}` };
    }
  }
  if (spec.enum && !spec.enum.includes(raw)) {
    return {
      error: `value '${raw}' does not have a value in the enumeration '${spec.enum.join(", ")}'`,
    };
  }
  return { value };
}

/** Validates every parameter at once; throws a 400 listing all errors, as PVE does. */
export function validateParams(table: ParamTable, raw: RawParams): Params {
  const errors: Record<string, string> = {};
  const out: Params = {};
  for (const [name, spec] of Object.entries(table)) {
    if (name.endsWith("[n]") || raw[name] !== undefined || spec.optional) continue;
    errors[name] = "property is missing and it is not optional";
  }
  for (const [name, value] of Object.entries(raw)) {
    const spec = specFor(table, name);
    if (!spec) {
      errors[name] =
        "property is not defined in schema and the schema does not allow additional properties";
      continue;
    }
    const checked = checkValue(name, spec, value);
    if (checked.error !== undefined) errors[name] = checked.error;
    else out[name] = checked.value;
  }
  for (const name of Object.keys(raw)) {
    const requires = specFor(table, name)?.requires;
    if (requires && raw[requires] === undefined) {
      errors[requires] = `missing property required by '${name}'`;
    }
  }
  if (Object.keys(errors).length > 0) throw paramError(errors);
  return out;
}

/** Adds a value to a raw parameter map; a repeated key becomes an array. */
export function addRaw(target: RawParams, key: string, value: string): void {
  const prev = target[key];
  if (prev === undefined) target[key] = value;
  else target[key] = Array.isArray(prev) ? [...prev, value] : [prev, value];
}

/** JSON bodies: PVE accepts true/false for booleans; numbers arrive as numbers. */
export function rawFromJson(body: unknown): RawParams {
  const out: RawParams = {};
  if (body === null || typeof body !== "object" || Array.isArray(body)) return out;
  const scalar = (v: unknown): string =>
    typeof v === "boolean" ? (v ? "1" : "0") : typeof v === "string" ? v : JSON.stringify(v);
  for (const [k, v] of Object.entries(body)) {
    if (v === null || v === undefined) continue;
    out[k] = Array.isArray(v) ? v.map(scalar) : scalar(v);
  }
  return out;
}

// The standard options of PVE's schema, written once.
export const node: ParamSpec = {
  type: "string",
  format: "pve-node",
  description: "The cluster node name.",
};
export const vmid: ParamSpec = {
  type: "integer",
  format: "pve-vmid",
  minimum: 100,
  maximum: 999999999,
  description: "The (unique) ID of the VM.",
};
export const storage: ParamSpec = {
  type: "string",
  format: "pve-storage-id",
  description: "The storage identifier.",
};
export const skiplock: ParamSpec = {
  type: "boolean",
  optional: true,
  description: "Ignore locks - only root is allowed to use this option.",
};
export const snapname: ParamSpec = {
  type: "string",
  format: "pve-configid",
  maxLength: 40,
  description: "The name of the snapshot.",
};

export function opt(spec: ParamSpec, description?: string): ParamSpec {
  return { ...spec, optional: true, ...(description ? { description } : {}) };
}
