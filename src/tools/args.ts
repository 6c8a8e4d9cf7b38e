// Argument fragments shared by many tools, so a vmid or a node means the same everywhere.

import { z } from "zod";

const VMID_EXPECTED = "expected a guest id: an integer from 100 to 999999999";

/** The upper bound (PVE's) is checked without a word in the schema: no model comes near it. */
export const vmid = z.coerce
  .number({ error: VMID_EXPECTED })
  .int(VMID_EXPECTED)
  .min(100, VMID_EXPECTED)
  .refine((n) => n <= 999_999_999, VMID_EXPECTED)
  .describe("VM or container id, e.g. 100");

/** A node name (a host name: 1 to 63 characters), checked without a word in the schema. */
const nodeName = z
  .string()
  .refine((n) => n.length >= 1 && n.length <= 63, "expected a node name of 1 to 63 characters");

export const nodeOptional = nodeName.optional().describe("Optional: found from the vmid");

export const nodeRequired = nodeName.describe("Node name, e.g. pve1");

/** A storage id as storage.cfg allows it; the storages' listings give the names. */
export const storageId = z
  .string()
  .refine(
    (s) => /^[a-zA-Z][a-zA-Z0-9\-_.]*[a-zA-Z0-9]$/.test(s),
    "expected a storage id, e.g. local-lvm",
  );

export const guestType = z
  .enum(["qemu", "lxc"])
  .optional()
  .describe("VM or container; detected when omitted");

export const upid = z
  .string()
  .refine((u) => u.length >= 10 && u.length <= 512, "expected a UPID (UPID:node:pid:…)")
  .describe("Task id (UPID:node:…) from a long operation or list_tasks");

export const wait = z.boolean().optional().describe("Wait for the task to end (default true)");

export const timeframe = z
  .enum(["hour", "day", "week", "month", "year"])
  .optional()
  .describe("RRD time frame (default hour)");

export const consolidation = z
  .enum(["AVERAGE", "MAX"])
  .optional()
  .describe("RRD consolidation function (default AVERAGE)");
