// Storages: their definitions (storage.cfg), what a node sees of them, their content, downloads,
// backups (vzdump) and pruning.

import { answer, endpoint } from "../endpoint.ts";

export interface NodeStorageEntry {
  storage: string;
  type: string;
  content?: string;
  active?: number;
  enabled?: number;
  shared?: number;
  total?: number;
  used?: number;
  avail?: number;
  used_fraction?: number;
}

export type StorageConfig = Record<string, string | number | undefined>;

export interface ContentEntry {
  volid: string;
  content: string;
  format: string;
  size: number;
  ctime?: number;
  vmid?: number;
  notes?: string;
  protected?: number;
  /** Backups: qemu or lxc. */
  subtype?: string;
}

export interface PruneEntry {
  volid: string;
  type: string;
  ctime: number;
  vmid?: number;
  mark: "keep" | "remove" | "protected" | "renamed";
}

export const STORAGE_CONFIGS = endpoint("GET", "/storage", ["type"], answer<StorageConfig[]>());
export const STORAGE_ADD = endpoint("POST", "/storage", [
  "storage",
  "type",
  "content",
  "nodes",
  "disable",
  "shared",
  "path",
  "server",
  "portal",
  "export",
  "share",
  "username",
  "password",
  "pool",
  "vgname",
  "thinpool",
  "target",
  "datastore",
  "fingerprint",
  "prune-backups",
]);
export const STORAGE_UPDATE = endpoint("PUT", "/storage/{storage}", [
  "content",
  "nodes",
  "delete",
  "disable",
  "prune-backups",
]);
export const STORAGE_DELETE = endpoint("DELETE", "/storage/{storage}");

export const NODE_STORAGE = endpoint(
  "GET",
  "/nodes/{node}/storage",
  ["content"],
  answer<NodeStorageEntry[]>(),
);
export const STORAGE_CONTENT = endpoint(
  "GET",
  "/nodes/{node}/storage/{storage}/content",
  ["content", "vmid"],
  answer<ContentEntry[]>(),
);
/** The volume id is one segment, encoded whole. */
export const VOLUME_DELETE = endpoint("DELETE", "/nodes/{node}/storage/{storage}/content/{volume}");
export const DOWNLOAD_URL = endpoint("POST", "/nodes/{node}/storage/{storage}/download-url", [
  "url",
  "filename",
  "content",
  "checksum",
  "checksum-algorithm",
  "verify-certificates",
]);
/** What a retention policy keeps and removes; PRUNE (the same parameters) removes it. */
export const PRUNE_PREVIEW = endpoint(
  "GET",
  "/nodes/{node}/storage/{storage}/prunebackups",
  ["prune-backups", "vmid", "type"],
  answer<PruneEntry[]>(),
);
export const PRUNE = endpoint("DELETE", "/nodes/{node}/storage/{storage}/prunebackups", [
  "prune-backups",
  "vmid",
  "type",
]);

export const VZDUMP = endpoint("POST", "/nodes/{node}/vzdump", [
  "vmid",
  "storage",
  "mode",
  "compress",
  "remove",
  "notes-template",
  "protected",
]);
