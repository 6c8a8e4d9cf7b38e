// Storage definitions (storage.cfg): add, change and remove. They are cluster-wide; data on the
// storage itself is never touched by these tools.

import { z } from "zod";
import { STORAGE_ADD, STORAGE_DELETE, STORAGE_UPDATE } from "../pve/endpoints/index.ts";
import { segment } from "../pve/index.ts";
import { DESTRUCTIVE, defineTool, WRITE } from "./define.ts";
import { ToolError } from "./errors.ts";
import { storageArg } from "./storage-where.ts";

const TYPES = [
  "dir",
  "nfs",
  "cifs",
  "lvm",
  "lvmthin",
  "zfs",
  "zfspool",
  "iscsi",
  "rbd",
  "cephfs",
  "pbs",
  "btrfs",
] as const;

/** What each type cannot do without (PVE would answer "missing value for required option"). */
const REQUIRED: Partial<Record<(typeof TYPES)[number], string[]>> = {
  dir: ["path"],
  btrfs: ["path"],
  nfs: ["server", "export"],
  cifs: ["server", "share"],
  lvm: ["vgname"],
  lvmthin: ["vgname", "thinpool"],
  zfspool: ["pool"],
  iscsi: ["server", "target"],
  pbs: ["server", "datastore", "username"],
};

const nodeList = z
  .union([z.array(z.string().min(1)), z.string()])
  .optional()
  .describe("Nodes that may use the storage, as a list or comma-separated (default: all)");

const contentList = z
  .union([z.array(z.string().min(1)), z.string()])
  .optional()
  .describe("Content types, e.g. iso,vztmpl,backup or images,rootdir (list or comma-separated)");

const keepText = z
  .string()
  .regex(/^(keep-(all|last|hourly|daily|weekly|monthly|yearly)=\d+,?)+$/)
  .optional()
  .describe("Backup retention, e.g. keep-last=3,keep-daily=7,keep-weekly=4");

const joined = (v?: string[] | string): string | undefined =>
  v === undefined
    ? undefined
    : (Array.isArray(v) ? v : v.split(/[,;\s]+/)).filter(Boolean).join(",");

export const addStorage = defineTool({
  name: "add_storage",
  title: "Add a storage",
  toolset: "storage_admin",
  description:
    "Define a new storage for the cluster: dir (path), nfs (server, export), cifs (server, share, username, password), lvm (vgname), lvmthin (vgname, thinpool), zfspool (pool), pbs (server, datastore, username, password, fingerprint), iscsi, rbd, cephfs, btrfs. The password is stored by Proxmox, never echoed.",
  input: z.strictObject({
    storage: storageArg.describe("New storage id, e.g. nas-iso"),
    type: z.enum(TYPES).describe("Storage type; zfs is ZFS over iSCSI, zfspool a local ZFS pool"),
    content: contentList,
    nodes: nodeList,
    enable: z.boolean().optional().describe("Enabled (default true)"),
    shared: z.boolean().optional().describe("dir/lvm: the same storage is mounted on every node"),
    path: z.string().optional().describe("dir/btrfs: directory; nfs/cifs: mount point"),
    server: z.string().optional().describe("nfs/cifs/pbs: server name or IP; iscsi: portal"),
    export: z.string().optional().describe("nfs: exported path"),
    share: z.string().optional().describe("cifs: share name"),
    username: z.string().optional().describe("cifs/pbs user (pbs: user@realm or token)"),
    password: z.string().optional().describe("cifs/pbs password; never shown in results"),
    pool: z.string().optional().describe("zfspool/rbd: pool name"),
    vgname: z.string().optional().describe("lvm/lvmthin: volume group"),
    thinpool: z.string().optional().describe("lvmthin: thin pool name"),
    target: z.string().optional().describe("iscsi: target IQN"),
    datastore: z.string().optional().describe("pbs: datastore name"),
    fingerprint: z.string().optional().describe("pbs: server certificate SHA-256 fingerprint"),
    prune_backups: keepText,
  }),
  output: z.object({ storage: z.string(), type: z.string(), message: z.string() }),
  annotations: WRITE,
  endpoints: [STORAGE_ADD],
  async handler(args, { pve, signal }) {
    segment("storage", args.storage);
    if (args.type === "zfs" && !args.server) {
      throw new ToolError(
        "type zfs is ZFS over iSCSI and needs a portal (server), target, pool, provider and block size",
        "For a local ZFS pool use type zfspool with pool.",
      );
    }
    const missing = (REQUIRED[args.type] ?? []).filter((k) => !args[k as keyof typeof args]);
    if (missing.length > 0) {
      throw new ToolError(
        `storage type ${args.type} needs ${missing.join(" and ")}`,
        `Call add_storage again with ${missing.join(", ")}.`,
      );
    }
    const iscsi = args.type === "iscsi";
    await pve.call(
      STORAGE_ADD,
      {
        storage: args.storage,
        type: args.type,
        content: joined(args.content),
        nodes: joined(args.nodes) || undefined,
        disable: args.enable === undefined ? undefined : !args.enable,
        shared: args.shared,
        path: args.path,
        server: iscsi ? undefined : args.server,
        portal: iscsi ? args.server : undefined,
        export: args.export,
        share: args.share,
        username: args.username,
        password: args.password,
        pool: args.pool,
        vgname: args.vgname,
        thinpool: args.thinpool,
        target: args.target,
        datastore: args.datastore,
        fingerprint: args.fingerprint,
        "prune-backups": args.prune_backups,
      },
      { signal },
    );
    return {
      data: {
        storage: args.storage,
        type: args.type,
        message: `storage ${args.storage} (${args.type}) added${args.enable === false ? ", disabled" : ""}`,
      },
    };
  },
});

export const updateStorage = defineTool({
  name: "update_storage",
  title: "Change a storage",
  toolset: "storage_admin",
  description:
    "Change a storage definition: its content types, the nodes that may use it (empty: all), enabled/disabled, or backup retention. Disabling makes guests with disks there fail to start.",
  input: z.strictObject({
    storage: storageArg,
    content: contentList,
    nodes: nodeList,
    enable: z.boolean().optional(),
    prune_backups: keepText,
  }),
  output: z.object({ storage: z.string(), changed: z.array(z.string()), message: z.string() }),
  annotations: { ...DESTRUCTIVE, idempotentHint: true }, // disabling takes its guests' disks away
  endpoints: [STORAGE_UPDATE],
  async handler(args, { pve, signal }) {
    const nodes = joined(args.nodes);
    const params = {
      content: joined(args.content),
      nodes: nodes || undefined,
      delete: nodes === "" ? "nodes" : undefined,
      disable: args.enable === undefined ? undefined : !args.enable,
      "prune-backups": args.prune_backups,
    };
    const changed = Object.entries(params)
      .filter(([, v]) => v !== undefined)
      .map(([k]) => (k === "delete" ? "nodes" : k));
    if (changed.length === 0) {
      throw new ToolError("nothing to change", "Pass content, nodes, enable or prune_backups.");
    }
    await pve.call(STORAGE_UPDATE, { storage: args.storage, ...params }, { signal });
    return {
      data: {
        storage: args.storage,
        changed,
        message: `storage ${args.storage} updated (${changed.join(", ")})`,
      },
    };
  },
});

export const deleteStorage = defineTool({
  name: "delete_storage",
  title: "Remove a storage definition",
  toolset: "storage_admin",
  description:
    "Remove a storage from the cluster configuration. Files on it are not deleted, but guests with disks there and backup jobs targeting it stop working; its ACLs and pool memberships are dropped.",
  input: z.strictObject({ storage: storageArg }),
  output: z.object({ storage: z.string(), message: z.string() }),
  annotations: DESTRUCTIVE,
  endpoints: [STORAGE_DELETE],
  async handler({ storage }, { pve, signal }) {
    await pve.call(STORAGE_DELETE, { storage }, { signal });
    return {
      data: { storage, message: `storage ${storage} removed from the configuration (data kept)` },
    };
  },
});

export const storageConfigTools = [addStorage, updateStorage, deleteStorage];
