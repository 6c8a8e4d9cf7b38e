// The format table: every named format a route parameter may carry, checked as PVE's
// check_format does (property strings, scalar verifiers, and their `-list` / `-opt` forms).
import { DATACENTER_FORMATS, DATACENTER_PROPERTY_FORMATS } from "./datacenter.ts";
import { LXC_FORMATS, LXC_SCALAR_FORMATS } from "./lxc.ts";
import { checkPropertyString } from "./property-string.ts";
import { QEMU_FORMATS, QEMU_SCALAR_FORMATS } from "./qemu.ts";
import { DRIVE_FORMATS } from "./qemu-drives.ts";
import { SCALAR_FORMATS } from "./scalar.ts";
import type { PropertyFormat, Verifier } from "./types.ts";

const SCALARS: Record<string, Verifier> = {
  ...SCALAR_FORMATS,
  ...DATACENTER_FORMATS,
  ...QEMU_SCALAR_FORMATS,
  ...LXC_SCALAR_FORMATS,
};
const PROPERTY_STRINGS: Record<string, PropertyFormat> = {
  ...DRIVE_FORMATS,
  ...QEMU_FORMATS,
  ...LXC_FORMATS,
  ...DATACENTER_PROPERTY_FORMATS,
};

/** PVE's split_list: items separated by commas, semicolons or white space. */
export const splitList = (value: unknown): string[] =>
  value === undefined || value === null
    ? []
    : String(value)
        .split(/[,;\s]+/)
        .filter((s) => s !== "");

/** Whether check_format knows the format (a route naming an unknown one is a mock bug). */
export function hasFormat(format: string): boolean {
  if (PROPERTY_STRINGS[format]) return true;
  const name = /^(.*?)(?:-(list|opt))?$/.exec(format)?.[1] ?? format;
  return SCALARS[name] !== undefined;
}

/**
 * Checks `value` of parameter `path` against a named format; returns what PVE writes after
 * "invalid format - ", or undefined when the value passes.
 */
export function checkFormat(format: string, value: string, path: string): string | undefined {
  const property = PROPERTY_STRINGS[format];
  if (property) {
    const checked = checkPropertyString(property, value, path, checkFormat);
    return "error" in checked ? checked.error : undefined;
  }
  const [, name = format, kind] = /^(.*?)(?:-(list|opt))?$/.exec(format) ?? [];
  const verify = SCALARS[name];
  if (!verify) return `undefined format '${format}'\n`;
  if (kind === "list") {
    for (const item of splitList(value)) {
      const msg = verify(item);
      if (msg !== undefined) return msg;
    }
    return undefined;
  }
  // `-opt`: an empty (false) value is not checked.
  if (kind === "opt" && (value === "" || value === "0")) return undefined;
  return verify(value);
}

/** The keys of a property string that already passed its format (aliases resolved). */
export function parseProperty(format: string, value: string): Record<string, string> {
  const property = PROPERTY_STRINGS[format];
  if (!property) throw new Error(`${format} is not a property-string format`);
  const checked = checkPropertyString(property, value, "", checkFormat);
  if ("error" in checked) throw new Error(checked.error);
  return checked.value;
}
