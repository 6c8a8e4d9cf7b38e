// A raw call checked against its endpoint's schema before it is sent, with PVE's own messages
// (PVE::JSONSchema check_prop): unknown and missing parameters, types, formats, patterns,
// lengths, ranges, enums. Each wrong parameter is then explained by the schema's description.

import type { SchemaMethod, SchemaProperty } from "../pve/api-schema.ts";

export type Scalar = string | number | boolean;
export type ParamInput = Scalar | readonly Scalar[] | null | undefined;
export type Wire = string | string[];

export interface Checked {
  /** Parameter → PVE's message; empty when the call conforms. */
  errors: Record<string, string>;
  /** What goes on the wire (path parameters left out: they are in the path). */
  params: Record<string, Wire>;
}

const UNKNOWN =
  "property is not defined in schema and the schema does not allow additional properties";
const MISSING = "property is missing and it is not optional";
const CONFLICT = "duplicate parameter (already defined in URI) with conflicting values!";

/** The property of `name`; indexed options (net0, scsi1) are declared once as net[n], scsi[n]. */
export function propertyFor(info: SchemaMethod, name: string): SchemaProperty | undefined {
  const props = info.parameters?.properties ?? {};
  if (props[name]) return props[name];
  const m = /^(.*\D)\d+$/.exec(name);
  return m ? props[`${m[1]}[n]`] : undefined;
}

export function checkCall(
  info: SchemaMethod,
  pathParams: Record<string, string>,
  given: Record<string, ParamInput>,
): Checked {
  const errors: Record<string, string> = {};
  const params: Record<string, Wire> = {};
  // PVE's check_object: additionalProperties undefined allows them, 0 refuses them.
  const additional = info.parameters?.additionalProperties;
  for (const [name, value] of Object.entries(pathParams)) {
    const prop = propertyFor(info, name);
    const checked = prop ? checkValue(prop, value) : {};
    if (checked.error) errors[name] = checked.error;
  }
  for (const [name, value] of Object.entries(given)) {
    if (value === undefined || value === null) continue;
    if (name in pathParams) {
      if (String(value) !== pathParams[name]) errors[name] = CONFLICT;
      continue;
    }
    const prop = propertyFor(info, name);
    if (!prop) {
      if (additional !== undefined && !additional) errors[name] = UNKNOWN;
      else params[name] = Array.isArray(value) ? value.map(String) : String(value);
      continue;
    }
    const checked = checkValue(prop, value);
    if (checked.error !== undefined) errors[name] = checked.error;
    else if (checked.value !== undefined) params[name] = checked.value;
    if (prop.requires && given[prop.requires] == null && !(prop.requires in pathParams)) {
      errors[prop.requires] ??= `missing property - '${name}' requires this property`;
    }
  }
  for (const [name, prop] of Object.entries(info.parameters?.properties ?? {})) {
    if (prop.optional || name.endsWith("[n]") || name in pathParams || given[name] != null)
      continue;
    errors[name] = MISSING;
  }
  return { errors, params };
}

function checkValue(prop: SchemaProperty, value: ParamInput): { value?: Wire; error?: string } {
  const type = prop.type ?? "string";
  if (Array.isArray(value)) {
    if (type !== "array") return { error: `type check ('${type}') failed - got ARRAY` };
    const out: string[] = [];
    for (const item of value) {
      const checked = checkScalar(prop.items ?? { type: "string" }, item);
      if (checked.error !== undefined) return checked;
      out.push(checked.value ?? "");
    }
    return { value: out };
  }
  if (type === "array") {
    const checked = checkScalar(prop.items ?? { type: "string" }, value as Scalar);
    return checked.error !== undefined ? checked : { value: [checked.value ?? ""] };
  }
  return checkScalar(prop, value as Scalar);
}

const INTEGER = /^[+-]?\d+$/;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** The few formats worth a message before PVE's own; PVE checks every format anyway. */
const FORMATS: Record<string, (v: string) => string | undefined> = {
  "pve-vmid": (v) =>
    /^[1-9][0-9]{2,8}$/.test(v) ? undefined : "value does not look like a valid VM ID",
  "pve-node": (v) =>
    /^[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?$/.test(v)
      ? undefined
      : "value does not look like a valid node name",
  "pve-storage-id": (v) =>
    /^[a-z][a-z0-9\-_.]*[a-z0-9]$/i.test(v)
      ? undefined
      : `storage ID '${v}' contains illegal characters`,
};

function checkScalar(prop: SchemaProperty, value: Scalar): { value?: string; error?: string } {
  const type = prop.type ?? "string";
  if (typeof value === "boolean") {
    if (type !== "boolean") return { error: `type check ('${type}') failed - got '${value}'` };
    return { value: value ? "1" : "0" };
  }
  const text = String(value);
  if (type === "boolean" && text !== "0" && text !== "1") {
    return { error: `type check ('boolean') failed - got '${text}'` };
  }
  if (type === "integer" && !INTEGER.test(text)) {
    return { error: `type check ('integer') failed - got '${text}'` };
  }
  if (type === "number" && !NUMBER.test(text)) {
    return { error: `type check ('number') failed - got '${text}'` };
  }
  const format = typeof prop.format === "string" ? FORMATS[prop.format] : undefined;
  const bad = format?.(text);
  if (bad) return { error: `invalid format - ${bad}` };
  if (prop.pattern !== undefined && !matches(prop.pattern, text)) {
    return { error: "value does not match the regex pattern" };
  }
  if (prop.maxLength !== undefined && text.length > prop.maxLength) {
    return { error: `value may only be ${prop.maxLength} characters long` };
  }
  if (prop.minLength !== undefined && text.length < prop.minLength) {
    return { error: `value must be at least ${prop.minLength} characters long` };
  }
  if ((type === "integer" || type === "number") && NUMBER.test(text)) {
    const n = Number(text);
    if (prop.maximum !== undefined && n > prop.maximum) {
      return { error: `value must have a maximum value of ${prop.maximum}` };
    }
    if (prop.minimum !== undefined && n < prop.minimum) {
      return { error: `value must have a minimum value of ${prop.minimum}` };
    }
  }
  if (prop.enum && !prop.enum.includes(text)) {
    return {
      error: `value '${text}' does not have a value in the enumeration '${prop.enum.join(", ")}'`,
    };
  }
  return { value: text };
}

/** Perl patterns are anchored by PVE; one JavaScript cannot read is left to PVE to check. */
function matches(pattern: string, text: string): boolean {
  try {
    return new RegExp(`^(?:${pattern})$`).test(text);
  } catch {
    return true;
  }
}

/** `timeout (<integer> (0 - N), optional): Wait maximal timeout seconds.` */
export function explainParam(name: string, prop: SchemaProperty | undefined): string {
  if (!prop) return `${name}: not a parameter of this endpoint`;
  const facts = [
    prop.typetext ?? prop.type ?? "string",
    prop.enum ? `one of ${prop.enum.join(", ")}` : undefined,
    typeText(prop),
    prop.default !== undefined ? `default ${String(prop.default)}` : undefined,
    prop.optional ? "optional" : "required",
  ].filter(Boolean);
  return `${name} (${facts.join(", ")}): ${prop.description ?? "no description"}`;
}

function typeText(prop: SchemaProperty): string | undefined {
  if (prop.typetext) return undefined; // it already says the range
  if (prop.minimum !== undefined || prop.maximum !== undefined) {
    return `${prop.minimum ?? "-N"} - ${prop.maximum ?? "N"}`;
  }
  return prop.maxLength !== undefined ? `at most ${prop.maxLength} characters` : undefined;
}
