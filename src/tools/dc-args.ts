// Argument fragments of the datacenter tools: the seed's 0|1 flags and lists that may come as
// an array or as PVE's comma-separated text.

import { z } from "zod";

/** true/false, or the seed's 0/1. */
export const flag = z
  .union([z.boolean(), z.literal(0), z.literal(1)])
  .transform((v) => v === true || v === 1);

/** ["a", "b"] or "a,b" (also ; or spaces) → ["a", "b"]. */
export const nameList = z
  .union([z.array(z.string().min(1)), z.string()])
  .transform((v) => (Array.isArray(v) ? v : v.split(/[,;\s]+/)).filter(Boolean));

/** A list as PVE wants it: comma-separated, or undefined when empty. */
export const csv = (items?: readonly (string | number)[]): string | undefined =>
  items && items.length > 0 ? items.join(",") : undefined;

/** `user@realm` as PVE checks it. */
export const userid = z
  .string()
  .regex(/^[^\s:/]+@[A-Za-z][A-Za-z0-9.\-_]+$/, "expected user@realm, e.g. alice@pve")
  .max(64)
  .describe("User id with realm, e.g. alice@pve or bob@pam");
