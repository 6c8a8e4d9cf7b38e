// Parameter declarations and PVE's JSONSchema checks, with PVE's exact error texts.
import { paramError } from "./errors.ts";
import { DC_FORMATS } from "./formats-dc.ts";

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
}

/** name → spec; a name like `net[n]` stands for net0, net1, ... as in apidata.js. */
export type ParamTable = Record<string, ParamSpec>;

/** What arrives on the wire: query string, form or JSON body, merged. */
export type RawParams = Record<string, string | string[]>;
export type ParamValue = string | number | boolean | string[];
export type Params = Record<string, ParamValue | undefined>;

type FormatCheck = (value: string) => string | undefined;

const NODE_RE = /^[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?$/;
const CONFIGID_RE = /^[a-z][a-z0-9_-]+$/i;
const CONTENT_TYPES = ["images", "rootdir", "vztmpl", "iso", "backup", "snippets", "import"];
const DNS_LABEL = "[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?";
const DNS_RE = new RegExp(`^(${DNS_LABEL}\\.)*${DNS_LABEL}$`);

function listOf(check: FormatCheck): FormatCheck {
  return (value) => {
    for (const item of value.split(/[,;\s]+/).filter((s) => s !== "")) {
      const msg = check(item);
      if (msg) return msg;
    }
    return undefined;
  };
}

const contentType: FormatCheck = (v) =>
  CONTENT_TYPES.includes(v) ? undefined : `invalid content type '${v}'\n`;
const configId: FormatCheck = (v) =>
  CONFIGID_RE.test(v) ? undefined : `invalid configuration ID '${v}'\n`;

// Only the formats the mock's routes use; PVE's messages end with "\n" here.
const FORMATS: Record<string, FormatCheck> = {
  "pve-node": (v) => (NODE_RE.test(v) ? undefined : "value does not look like a valid node name\n"),
  "pve-vmid": (v) =>
    /^[1-9][0-9]{2,8}$/.test(v) ? undefined : "value does not look like a valid VM ID\n",
  "pve-storage-id": (v) =>
    /^[a-z][a-z0-9\-_.]*[a-z0-9]$/i.test(v)
      ? undefined
      : `storage ID '${v}' contains illegal characters\n`,
  "pve-configid": configId,
  "pve-configid-list": listOf(configId),
  // Up to three levels of nested pools (parent/child/grandchild) since PVE 8.1.
  "pve-poolid": (v) =>
    v.split("/").length > 3
      ? `pool name '${v}' nested too deeply (max levels = 3)\n`
      : /^[A-Za-z0-9.\-_]+(?:\/[A-Za-z0-9.\-_]+){0,2}$/.test(v)
        ? undefined
        : `pool name '${v}' contains invalid characters\n`,
  "pve-realm": (v) =>
    /^[A-Za-z][A-Za-z0-9.\-_]+$/.test(v) ? undefined : `invalid realm ID '${v}'\n`,
  "dns-name": (v) =>
    DNS_RE.test(v) ? undefined : `value '${v}' does not look like a valid DNS name\n`,
  urlencoded: (v) =>
    /^[-%a-zA-Z0-9_.!~*'()]*$/.test(v) ? undefined : `invalid urlencoded string: ${v}\n`,
  "pve-tag-list": listOf((v) =>
    /^[a-z0-9_][a-z0-9_\-+.]*$/i.test(v) ? undefined : `invalid tag '${v}'\n`,
  ),
  "pve-storage-content": contentType,
  "pve-storage-content-list": listOf(contentType),
  "pve-vmid-list": listOf((v) =>
    /^[1-9][0-9]{2,8}$/.test(v) ? undefined : "value does not look like a valid VM ID\n",
  ),
  ...DC_FORMATS,
  "pve-task-status-type-list": listOf((v) =>
    ["ok", "warning", "error", "unknown"].includes(v) ? undefined : `invalid status '${v}'\n`,
  ),
};

const INTEGER_RE = /^[+-]?\d+$/;
const NUMBER_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function specFor(table: ParamTable, name: string): ParamSpec | undefined {
  const direct = table[name];
  if (direct) return direct;
  const m = /^([a-z_-]+)\d+$/i.exec(name);
  return m ? table[`${m[1]}[n]`] : undefined;
}

/** Checks one value like PVE's check_prop: type, format, pattern, length, range, enum. */
function checkValue(
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
    const msg = FORMATS[spec.format]?.(raw);
    if (msg) return { error: `invalid format - ${msg}` };
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
    const checked = checkValue(spec, value);
    if (checked.error !== undefined) errors[name] = checked.error;
    else out[name] = checked.value;
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
