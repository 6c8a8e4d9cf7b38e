// Storage listings: per-node status, the cluster-wide definitions, and what storages hold (all
// content, ISOs, container templates) across every node that answers.

import { z } from "zod";
import {
  CLUSTER_RESOURCES,
  NODE_STORAGE,
  STORAGE_CONFIGS,
  STORAGE_CONTENT,
} from "../pve/endpoints/index.ts";
import { nodeRequired, vmid } from "./args.ts";
import { defineTool, READ, type ToolContext } from "./define.ts";
import { onEach, unreachableField } from "./fanout.ts";
import { page, pageArgs, pageFields } from "./paging.ts";
import { storageArg, storageLocations } from "./storage-where.ts";
import { bytes, iso, isoTime, pct, percent } from "./units.ts";

const list = (text?: string): string[] => (text ?? "").split(/[,;\s]+/).filter(Boolean);

export const listStorage = defineTool({
  name: "list_storage",
  title: "List storage of a node",
  toolset: "storage",
  description:
    "The storages one node can use, with type, content types, whether each is active, enabled and shared, and its size, use and free space.",
  input: z.strictObject({
    node: nodeRequired,
    content: z.string().optional().describe("Only storages holding this content type, e.g. iso"),
  }),
  output: z.object({
    node: z.string(),
    storages: z.array(
      z.object({
        storage: z.string(),
        type: z.string(),
        content: z.array(z.string()),
        active: z.boolean(),
        enabled: z.boolean(),
        shared: z.boolean(),
        total: bytes().optional(),
        used: bytes().optional(),
        avail: bytes().optional(),
        used_pct: percent().optional(),
      }),
    ),
  }),
  annotations: READ,
  endpoints: [NODE_STORAGE],
  async handler({ node, content }, { pve, signal }) {
    const rows = await pve.call(NODE_STORAGE, { node, content }, { signal });
    const storages = rows
      .map((r) => ({
        storage: r.storage,
        type: r.type,
        content: list(r.content),
        active: r.active === 1,
        enabled: r.enabled !== 0,
        shared: r.shared === 1,
        total: r.total,
        used: r.used,
        avail: r.avail,
        used_pct: pct(r.used, r.total),
      }))
      .sort((a, b) => a.storage.localeCompare(b.storage));
    return { data: { node, storages } };
  },
});

/** The types GET /storage filters by (PVE 9.1). */
const STORAGE_TYPES = [
  "btrfs",
  "cephfs",
  "cifs",
  "dir",
  "esxi",
  "iscsi",
  "iscsidirect",
  "lvm",
  "lvmthin",
  "nfs",
  "pbs",
  "rbd",
  "zfs",
  "zfspool",
] as const;

export const listClusterStorage = defineTool({
  name: "list_cluster_storage",
  title: "List storage definitions",
  toolset: "storage_admin",
  description:
    "The cluster's storage definitions (storage.cfg): type, content types, enabled, shared, which nodes may use each, and type-specific settings (path, server, export, pool, retention…).",
  input: z.strictObject({
    type: z
      .enum(STORAGE_TYPES)
      .optional()
      .describe("Only this storage type, e.g. nfs, dir, zfspool, pbs"),
  }),
  output: z.object({
    storages: z.array(
      z.object({
        storage: z.string(),
        type: z.string(),
        content: z.array(z.string()),
        enabled: z.boolean(),
        shared: z.boolean().optional(),
        nodes: z.array(z.string()).optional().describe("absent: every node"),
        path: z.string().optional(),
        settings: z
          .record(z.string(), z.union([z.string(), z.number()]))
          .optional()
          .describe("the other settings (server, export, vgname, prune-backups…)"),
      }),
    ),
  }),
  annotations: READ,
  endpoints: [STORAGE_CONFIGS],
  async handler({ type }, { pve, signal }) {
    const rows = await pve.call(STORAGE_CONFIGS, { type }, { signal });
    const storages = rows
      .map(({ storage, type, content, disable, shared, nodes, path, digest: _, ...rest }) => {
        const settings = Object.fromEntries(
          Object.entries(rest).filter((e): e is [string, string | number] => e[1] !== undefined),
        );
        return {
          storage: String(storage),
          type: String(type),
          content: list(content === undefined ? "" : String(content)),
          enabled: disable !== 1,
          shared: shared === undefined ? undefined : shared === 1,
          nodes: nodes === undefined ? undefined : list(String(nodes)),
          path: path === undefined ? undefined : String(path),
          settings: Object.keys(settings).length > 0 ? settings : undefined,
        };
      })
      .sort((a, b) => a.storage.localeCompare(b.storage));
    return { data: { storages } };
  },
});

const contentRow = z.object({
  volid: z.string(),
  storage: z.string(),
  node: z.string().optional().describe("for local storages: the node holding the file"),
  content: z.string(),
  format: z.string(),
  size: bytes(),
  time: isoTime().optional().describe("when it was created"),
  vmid: z.number().optional(),
  notes: z.string().optional(),
  protected: z.boolean().optional(),
});

const CONTENT_PAGE = 50;

const contentOutput = z.object({
  items: z.array(contentRow),
  ...pageFields,
  unreachable: unreachableField,
});

type ContentRow = z.infer<typeof contentRow>;

/** Content of matching storages on every node that answers; shared storages asked once. */
async function listContent(
  ctx: ToolContext<typeof CLUSTER_RESOURCES | typeof STORAGE_CONTENT>,
  args: {
    node?: string;
    storage?: string;
    content?: string;
    vmid?: number;
    limit?: number;
    cursor?: string;
  },
): Promise<z.infer<typeof contentOutput>> {
  const where = await storageLocations(ctx, args);
  const { results, unreachable } = await onEach(ctx, where, (l) =>
    ctx.pve.call(
      STORAGE_CONTENT,
      { node: l.node, storage: l.storage, content: args.content, vmid: args.vmid },
      { signal: ctx.signal },
    ),
  );
  const items: ContentRow[] = results.flatMap(({ target, value }) =>
    value.map((v) => ({
      volid: v.volid,
      storage: target.storage,
      node: target.shared ? undefined : target.node,
      content: v.content,
      format: v.format,
      size: Number(v.size),
      time: v.ctime ? iso(v.ctime) : undefined,
      vmid: v.vmid === undefined ? undefined : Number(v.vmid),
      notes: v.notes || undefined,
      protected: v.protected === undefined ? undefined : v.protected === 1,
    })),
  );
  items.sort(
    (a, b) =>
      a.storage.localeCompare(b.storage) ||
      (a.node ?? "").localeCompare(b.node ?? "") ||
      a.volid.localeCompare(b.volid),
  );
  const p = page(items, args, CONTENT_PAGE);
  return { items: p.rows, total: p.total, next_cursor: p.next_cursor, unreachable };
}

const whereArgs = {
  node: z.string().optional().describe("Only this node (default: every node that answers)"),
  storage: storageArg.optional().describe("Only this storage (default: every suitable storage)"),
  ...pageArgs(CONTENT_PAGE),
};

export const listStorageContent = defineTool({
  name: "list_storage_content",
  title: "List storage content",
  toolset: "storage",
  description:
    "Files and volumes on storages (disk images, ISOs, container templates, backups, snippets) with volid, size and owner vmid. Without node or storage it searches every storage on every node that answers. Paged.",
  input: z.strictObject({
    ...whereArgs,
    content: z
      .enum(["images", "rootdir", "iso", "vztmpl", "backup", "snippets", "import"])
      .optional()
      .describe("Only this content type"),
    vmid: vmid.optional().describe("Only volumes of this guest"),
  }),
  output: contentOutput,
  annotations: READ,
  endpoints: [CLUSTER_RESOURCES, STORAGE_CONTENT],
  async handler(args, ctx) {
    return { data: await listContent(ctx, args) };
  },
});

export const listIsos = defineTool({
  name: "list_isos",
  title: "List ISO images",
  toolset: "storage_admin",
  description:
    "ISO images available for VM installs (volid to use as ide2/cdrom), on every ISO-capable storage of every node that answers, or only the given node/storage.",
  input: z.strictObject(whereArgs),
  output: contentOutput,
  annotations: READ,
  endpoints: [CLUSTER_RESOURCES, STORAGE_CONTENT],
  async handler(args, ctx) {
    return { data: await listContent(ctx, { ...args, content: "iso" }) };
  },
});

export const listTemplates = defineTool({
  name: "list_templates",
  title: "List container templates",
  toolset: "storage_admin",
  description:
    "Container templates (volid to use as ostemplate for create_container) on every template storage of every node that answers, or only the given node/storage.",
  input: z.strictObject({
    ...whereArgs,
    content: z
      .enum(["vztmpl", "iso", "backup", "images", "rootdir", "snippets", "import"])
      .optional()
      .describe("Content type to list (default vztmpl)"),
  }),
  output: contentOutput,
  annotations: READ,
  endpoints: [CLUSTER_RESOURCES, STORAGE_CONTENT],
  async handler(args, ctx) {
    return { data: await listContent(ctx, { ...args, content: args.content ?? "vztmpl" }) };
  },
});

export const storageListTools = [
  listStorage,
  listClusterStorage,
  listStorageContent,
  listIsos,
  listTemplates,
];
