// Where storages live and how to name their files: the inventory gives one row per node and
// storage (with its content types, shared flag and whether the node answers), so a tool needs
// neither a node nor a storage from the caller to find ISOs, templates or backups.

import { z } from "zod";
import { CLUSTER_RESOURCES } from "../pve/endpoints/index.ts";
import { InvalidSegmentError, segment } from "../pve/index.ts";
import type { ToolContext } from "./define.ts";
import { ToolError } from "./errors.ts";
import type { Target } from "./fanout.ts";

export interface StorageLocation extends Target {
  storage: string;
  shared: boolean;
  content: string[];
  plugintype?: string;
}

export const storageArg = z
  .string()
  .min(2)
  .max(100)
  .describe("Storage id as in the storage list, e.g. local, local-lvm");

/**
 * (node, storage) pairs matching the filters, from one inventory row per node and storage;
 * shared storages once (they look alike everywhere).
 */
export async function storageLocations(
  ctx: ToolContext<typeof CLUSTER_RESOURCES>,
  filter: { storage?: string; node?: string; content?: string },
): Promise<StorageLocation[]> {
  if (filter.storage) segment("storage", filter.storage);
  if (filter.node) segment("node", filter.node);
  const rows = await ctx.pve.call(CLUSTER_RESOURCES, { type: "storage" }, { signal: ctx.signal });
  const all = rows
    .filter((r) => r.storage && r.node && ctx.scope.allowsNode(r.node))
    .filter((r) => !filter.storage || r.storage === filter.storage)
    .filter((r) => !filter.node || r.node === filter.node)
    .map((r) => ({
      storage: r.storage ?? "",
      node: r.node ?? "",
      shared: r.shared === 1,
      // An offline node's storages show status "unknown".
      online: r.status === "available",
      content: (r.content ?? "").split(",").filter(Boolean),
      plugintype: r.plugintype,
      explicit: Boolean(filter.storage && filter.node),
    }))
    .filter((l) => !filter.content || l.content.includes(filter.content))
    .sort((a, b) => a.storage.localeCompare(b.storage) || a.node.localeCompare(b.node));
  const seen = new Set<string>();
  const out: StorageLocation[] = [];
  // For a shared storage keep one answering node (prefer online ones: they sort first here).
  for (const l of [...all].sort((a, b) => Number(b.online) - Number(a.online))) {
    if (l.shared && seen.has(l.storage)) continue;
    seen.add(l.storage);
    out.push(l);
  }
  return out.sort((a, b) => a.storage.localeCompare(b.storage) || a.node.localeCompare(b.node));
}

const VOLID = /^([a-zA-Z][a-zA-Z0-9\-_.]*[a-zA-Z0-9]):([^\s?#%\\]+)$/;

/** Splits `storage:name` (e.g. `local:iso/debian.iso`); refuses anything that could leave the path. */
export function parseVolid(volid: string): { storage: string; volname: string } {
  const m = VOLID.exec(volid);
  if (!m || (m[2] ?? "").split("/").some((part) => part === ".." || part === ".")) {
    throw new InvalidSegmentError(
      `invalid volume ${JSON.stringify(volid)}: expected storage:name, e.g. local:iso/debian.iso`,
    );
  }
  return { storage: m[1] ?? "", volname: m[2] ?? "" };
}

/** The node to act on for a storage: the given one, any online one if shared, the only one. */
export async function nodeFor(
  ctx: ToolContext<typeof CLUSTER_RESOURCES>,
  storage: string,
  node?: string,
): Promise<string> {
  const where = await storageLocations(ctx, { storage, node });
  const first = where[0];
  if (!first) {
    throw new ToolError(
      `storage ${storage} is not available${node ? ` on node ${node}` : ""}`,
      "list_cluster_storage shows the storages and the nodes that may use them.",
    );
  }
  if (node || first.shared) return first.node;
  if (where.length > 1) {
    throw new ToolError(
      `storage ${storage} is local to each node (${where.map((l) => l.node).join(", ")})`,
      "Pass node to say which node's storage to use.",
    );
  }
  return first.node;
}
