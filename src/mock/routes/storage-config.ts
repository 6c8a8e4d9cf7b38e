// /storage: the cluster-wide storage definitions (storage.cfg): list, read, add, change, remove.
import { fail, locked } from "../errors.ts";
import { sectionDigest } from "../format.ts";
import { splitList } from "../formats/index.ts";
import { opt, type Params, storage } from "../params.ts";
import { hasPriv } from "../perms.ts";
import type { Route } from "../router.ts";
import type { ClusterState, MockStorage, StorageType } from "../state.ts";
import { COMMON, MOUNTED, NETWORK, OPTIONS, PLUGINS, SENSITIVE, TYPES } from "./storage-plugins.ts";

export function findStorage(state: ClusterState, id: string): MockStorage {
  const s = state.storages.get(id);
  if (!s) throw fail(`storage '${id}' does not exist`);
  return s;
}

/** A storage.cfg section as GET /storage shows it. */
function configEntry(s: MockStorage): Record<string, string | number> {
  const entry: Record<string, string | number> = {
    storage: s.storage,
    type: s.type,
    content: [...s.content].sort().join(","),
    ...(s.path ? { path: s.path } : {}),
    ...(s.nodes ? { nodes: s.nodes.join(",") } : {}),
    ...(s.options ?? {}),
  };
  // Network storages are shared by definition, without a `shared` key in the config.
  if (s.shared && !NETWORK.has(s.type)) {
    entry.shared = 1;
  }
  if (!s.enabled) entry.disable = 1;
  return entry;
}

const storageDigest = (state: ClusterState): string =>
  sectionDigest([...state.storages].map(([id, s]) => [id, configEntry(s)]));

/** check_config of SectionConfig: only the type's options, each value checked. */
function checkOptions(type: StorageType, params: Params, create: boolean): void {
  const plugin = PLUGINS[type];
  const allowed = new Set([...COMMON, ...plugin.required, ...plugin.optional]);
  for (const key of Object.keys(params)) {
    if (["storage", "type", "delete", "digest"].includes(key)) continue;
    if (!allowed.has(key)) throw fail(`unexpected property '${key}'`);
  }
  if (create) {
    for (const key of plugin.required) {
      if (params[key] === undefined) throw fail(`missing value for required option '${key}'`);
    }
  }
  if (typeof params.content === "string") {
    for (const c of splitList(params.content)) {
      if (!plugin.content.includes(c)) throw fail(`storage does not support content type '${c}'`);
    }
  }
}

/** Writes the options of a create/update call onto the storage. */
function apply(s: MockStorage, params: Params): void {
  const options = { ...(s.options ?? {}) };
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || ["storage", "type", "delete", "digest"].includes(key)) continue;
    if (SENSITIVE.has(key)) continue;
    if (key === "content") s.content = splitList(value);
    else if (key === "nodes") s.nodes = splitList(value);
    else if (key === "disable") s.enabled = value !== true;
    else if (key === "shared") s.shared = value === true;
    else if (key === "path") s.path = String(value);
    else options[key] = typeof value === "boolean" ? (value ? 1 : 0) : (value as string | number);
  }
  s.options = options;
}

const FIXED = new Set([
  "authsupported",
  "base",
  "datastore",
  "export",
  "iscsiprovider",
  "path",
  "portal",
  "share",
  "target",
  "thinpool",
  "vgname",
]);

export const storageConfigRoutes: Route[] = [
  {
    method: "GET",
    path: "/storage",
    description: "Storage index.",
    permission: "all",
    parameters: {
      type: {
        type: "string",
        optional: true,
        enum: TYPES,
        description: "Only list storage of specific type",
      },
    },
    handler: ({ mock, params, who }) => {
      const digest = storageDigest(mock.state);
      return [...mock.state.storages.values()]
        .filter((s) => params.type === undefined || s.type === params.type)
        .filter((s) =>
          hasPriv(
            mock.state,
            who,
            `/storage/${s.storage}`,
            ["Datastore.Audit", "Datastore.AllocateSpace"],
            true,
          ),
        )
        .map((s) => ({ ...configEntry(s), digest }));
    },
  },
  {
    method: "GET",
    path: "/storage/{storage}",
    description: "Read storage configuration.",
    permission: [{ path: "/storage/{storage}", privs: ["Datastore.Allocate"] }],
    parameters: { storage },
    handler: ({ mock, params }) => ({
      ...configEntry(findStorage(mock.state, String(params.storage))),
      digest: storageDigest(mock.state),
    }),
  },
  {
    method: "POST",
    path: "/storage",
    description: "Create a new storage.",
    permission: [{ path: "/storage", privs: ["Datastore.Allocate"] }],
    parameters: {
      storage,
      type: { type: "string", enum: TYPES, description: "Storage type." },
      ...OPTIONS,
    },
    handler: ({ mock, params }) => {
      const type = params.type as StorageType;
      const id = String(params.storage);
      checkOptions(type, params, true);
      if (mock.state.storages.has(id)) {
        throw fail(`create storage failed: storage ID '${id}' already defined`);
      }
      const plugin = PLUGINS[type];
      const s: MockStorage = {
        storage: id,
        type,
        content: plugin.defaults,
        shared: NETWORK.has(type),
        ...(MOUNTED.includes(type) ? { path: `/mnt/pve/${id}` } : {}),
        total: 2 * 2 ** 40,
        baseUsed: 0,
        enabled: true,
      };
      apply(s, params);
      mock.state.storages.set(id, s);
      return { storage: id, type };
    },
  },
  {
    method: "PUT",
    path: "/storage/{storage}",
    description: "Update storage configuration.",
    permission: [{ path: "/storage", privs: ["Datastore.Allocate"] }],
    parameters: {
      storage,
      // Options fixed at creation (path, export, vgname, …) are not in the update schema.
      ...Object.fromEntries(Object.entries(OPTIONS).filter(([k]) => !FIXED.has(k))),
      delete: opt({
        type: "string",
        format: "pve-configid-list",
        maxLength: 4096,
        description: "A list of settings you want to delete.",
      }),
      digest: opt({
        type: "string",
        maxLength: 64,
        description: "Prevent changes if current configuration file has a different digest.",
      }),
    },
    handler: ({ mock, params }) =>
      locked("update storage failed", () => {
        if (typeof params.digest === "string" && params.digest !== storageDigest(mock.state)) {
          throw fail("detected modified configuration - file changed by other user? Try again.");
        }
        const s = findStorage(mock.state, String(params.storage));
        checkOptions(s.type, params, false);
        const plugin = PLUGINS[s.type];
        const deletes = splitList(params.delete);
        for (const key of deletes) {
          if (![...COMMON, ...plugin.required, ...plugin.optional].includes(key)) {
            throw fail(`no such option '${key}'`);
          }
          if (plugin.required.includes(key))
            throw fail(`unable to delete required option '${key}'`);
          if (params[key] !== undefined) {
            throw fail(`cannot set and delete property '${key}' at the same time!`);
          }
        }
        apply(s, params);
        for (const key of deletes) {
          if (key === "nodes") delete s.nodes;
          else if (key === "disable") s.enabled = true;
          else if (key === "content") s.content = plugin.defaults;
          else if (s.options) delete s.options[key];
        }
        return { storage: s.storage, type: s.type };
      }),
  },
  {
    method: "DELETE",
    path: "/storage/{storage}",
    description: "Delete storage configuration.",
    permission: [{ path: "/storage", privs: ["Datastore.Allocate"] }],
    parameters: { storage },
    handler: ({ mock, params }) => {
      const s = locked("delete storage failed", () =>
        findStorage(mock.state, String(params.storage)),
      );
      // The data stays where it is; only the definition goes (its volumes stay in the state,
      // unlisted, and come back if the storage is added again).
      mock.state.storages.delete(s.storage);
      // remove_storage_access: its ACLs and pool memberships go with it.
      mock.state.acl = mock.state.acl.filter((a) => a.path !== `/storage/${s.storage}`);
      for (const pool of mock.state.pools.values()) {
        pool.storage = pool.storage?.filter((id) => id !== s.storage);
      }
      return null;
    },
  },
];
