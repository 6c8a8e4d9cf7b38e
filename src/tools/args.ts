// Argument fragments shared by many tools, so a vmid or a node means the same everywhere.

import { z } from "zod";

const VMID_EXPECTED = "expected a guest id: an integer from 100 to 999999999";

export const vmid = z.coerce
  .number({ error: VMID_EXPECTED })
  .int(VMID_EXPECTED)
  .min(100, VMID_EXPECTED)
  .max(999_999_999, VMID_EXPECTED)
  .describe("Guest id (VM or container), e.g. 100");

export const nodeOptional = z
  .string()
  .min(1)
  .max(63)
  .optional()
  .describe("Node name; optional: found from the vmid when omitted");

export const nodeRequired = z.string().min(1).max(63).describe("Node name, e.g. pve1");

export const guestType = z
  .enum(["qemu", "lxc"])
  .optional()
  .describe("qemu (VM) or lxc (container); detected when omitted");

export const upid = z
  .string()
  .min(10)
  .max(512)
  .describe("Task id returned by a long operation: UPID:node:pid:pstart:starttime:type:id:user:");

export const wait = z
  .boolean()
  .optional()
  .describe("Wait for the task to finish (default true, bounded by the server's task wait)");

export const timeframe = z
  .enum(["hour", "day", "week", "month", "year"])
  .optional()
  .describe("RRD time frame (default hour)");

export const consolidation = z
  .enum(["AVERAGE", "MAX"])
  .optional()
  .describe("RRD consolidation function (default AVERAGE)");
