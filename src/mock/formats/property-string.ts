// PVE's parse_property_string and check_object for `key=value,...` strings, with its texts: a
// malformed string dies with one line; values that break their key's schema give
// "format error" followed by one `<param>.<key>: <why>` line each (PVE::Exception's stringify).
import type { KeySpec, PropertyFormat } from "./types.ts";

/** Checks a value of a named scalar format; the format table supplies it. */
export type ScalarCheck = (format: string, value: string, path: string) => string | undefined;

/** PVE's parse_boolean: 1/on/yes/true and 0/off/no/false, any case. */
export function parseBoolean(value: string): "0" | "1" | undefined {
  if (/^(1|on|yes|true)$/i.test(value)) return "1";
  if (/^(0|off|no|false)$/i.test(value)) return "0";
  return undefined;
}

const isNumber = (v: string) => /^[+-]?(\d+\.\d+|\d+\.|\.\d+|\d+)([eE][+-]?\d+)?$/.test(v);
const isInteger = (v: string) => /^[+-]?\d+$/.test(v);

/** Splits and keys a property string; throws the one-line text of a malformed one. */
function split(format: PropertyFormat, data: string): Record<string, string> {
  const res: Record<string, string> = {};
  let defaultKey: string | undefined;
  for (const part of data.split(",")) {
    if (/^\s*$/.test(part)) continue;
    const kv = /^([^=]+)=(.+)$/s.exec(part);
    if (kv) {
      let key = kv[1] as string;
      let value = kv[2] as string;
      if (res[key] !== undefined) {
        throw new Error(`duplicate key in comma-separated list property: ${key}\n`);
      }
      let spec = format.keys[key];
      if (spec?.alias) {
        if (spec.keyAlias) {
          if (res[spec.keyAlias] !== undefined) {
            throw new Error(`key alias '${spec.keyAlias}' is already defined\n`);
          }
          res[spec.keyAlias] = key;
        }
        key = spec.alias;
        spec = format.keys[key];
        if (res[key] !== undefined)
          throw new Error(`key '${key}' is already defined (via alias)\n`);
      }
      if (!spec) throw new Error(`invalid key in comma-separated list property: ${key}\n`);
      if (spec.type === "boolean") value = parseBoolean(value) ?? value;
      res[key] = value;
    } else if (!part.includes("=")) {
      if (defaultKey) {
        throw new Error(`duplicate key in comma-separated list property: ${defaultKey}\n`);
      }
      for (const [key, spec] of Object.entries(format.keys)) {
        if (!spec.defaultKey) continue;
        defaultKey = key;
        if (res[key]) throw new Error(`duplicate key in comma-separated list property: ${key}\n`);
        res[key] = spec.type === "boolean" ? (parseBoolean(part) ?? part) : part;
        break;
      }
      if (!defaultKey) {
        throw new Error("value without key, but schema does not define a default key\n");
      }
    } else {
      throw new Error("missing key in comma-separated list property\n");
    }
  }
  return res;
}

/** check_prop for one key: type, format, pattern, length, range, enum, in PVE's order. */
function checkKey(
  value: string | undefined,
  spec: KeySpec,
  path: string,
  scalar: ScalarCheck,
): string | undefined {
  if (spec.alias) return undefined;
  if (value === undefined) {
    return spec.optional ? undefined : "property is missing and it is not optional";
  }
  const type = spec.type;
  if (type === "boolean" && value !== "0" && value !== "1") {
    return `type check ('boolean') failed - got '${value}'`;
  }
  if (type === "integer" && !isInteger(value)) {
    return `type check ('integer') failed - got '${value}'`;
  }
  if (type === "number" && !isNumber(value)) {
    return `type check ('number') failed - got '${value}'`;
  }
  if (spec.format) {
    const msg = scalar(spec.format, value, path);
    if (msg !== undefined) return `invalid format - ${msg}`;
  }
  if (spec.pattern && !new RegExp(`^(?:${spec.pattern})$`).test(value)) {
    return "value does not match the regex pattern";
  }
  if (spec.maxLength !== undefined && value.length > spec.maxLength) {
    return `value may only be ${spec.maxLength} characters long`;
  }
  if (spec.minLength !== undefined && value.length < spec.minLength) {
    return `value must be at least ${spec.minLength} characters long`;
  }
  if (isNumber(value)) {
    if (spec.maximum !== undefined && Number(value) > spec.maximum) {
      return `value must have a maximum value of ${spec.maximum}`;
    }
    if (spec.minimum !== undefined && Number(value) < spec.minimum) {
      return `value must have a minimum value of ${spec.minimum}`;
    }
  }
  if (spec.enum && !spec.enum.includes(value)) {
    return `value '${value}' does not have a value in the enumeration '${spec.enum.join(", ")}'`;
  }
  return undefined;
}

/**
 * Parses and checks a property string. Returns its keys (aliases resolved), or the text PVE
 * puts after "invalid format - " for the parameter `path`.
 */
export function checkPropertyString(
  format: PropertyFormat,
  data: string,
  path: string,
  scalar: ScalarCheck,
): { value: Record<string, string> } | { error: string } {
  let res: Record<string, string>;
  try {
    res = split(format, data);
  } catch (e) {
    return { error: (e as Error).message };
  }
  const errors: [string, string][] = [];
  const at = (k: string) => (path ? `${path}.${k}` : k);
  for (const [key, spec] of Object.entries(format.keys)) {
    const msg = checkKey(res[key], spec, at(key), scalar);
    if (msg !== undefined) errors.push([at(key), msg]);
  }
  for (const key of Object.keys(res)) {
    const requires = format.keys[key]?.requires;
    if (requires && res[requires] === undefined) {
      errors.push([at(requires), `missing property required by '${at(key)}'`]);
    }
  }
  if (errors.length === 0) {
    const invalid = format.validate?.(res);
    return invalid === undefined ? { value: res } : { error: invalid };
  }
  return { error: `format error\n${errors.map(([p, m]) => `${p}: ${m}\n`).join("")}` };
}
