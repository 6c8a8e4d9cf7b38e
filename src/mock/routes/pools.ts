// /pools: list, read with members, create, change members and comment, delete (PVE 8.1+ form
// with poolid as a parameter, which also serves nested pools).

import { fail, locked, paramError, permissionDenied } from "../errors.ts";
import { splitList } from "../formats/index.ts";
import { hasPriv, type Principal } from "../perms.ts";
import type { MockContext, Route } from "../router.ts";
import { LOCAL_NODE } from "../seed.ts";
import { storageOnNode, storageUsed } from "../state.ts";
import { guestResource, nodeOnline } from "./cluster.ts";

const poolid = { type: "string", format: "pve-poolid" } as const;
const allocate = [{ path: "/pool/{poolid}", privs: ["Pool.Allocate"] }];

/** check_perm_modify on a member being added or removed. */
function checkModify(mock: MockContext, who: Principal, path: string, own: string): void {
  if (!hasPriv(mock.state, who, path, ["Permissions.Modify", own], true)) {
    throw permissionDenied(path, ["Permissions.Modify", own]);
  }
}

function members(mock: MockContext, id: string, type: unknown, who: Principal) {
  const out: Record<string, unknown>[] = [];
  const guests = [...mock.state.guests.values()]
    .filter((g) => g.pool === id && (type === undefined || type === g.type))
    .sort((a, b) => String(a.vmid).localeCompare(String(b.vmid)));
  for (const g of guests) out.push(guestResource(mock, g, who));
  if (type === undefined || type === "storage") {
    for (const sid of [...(mock.state.pools.get(id)?.storage ?? [])].sort()) {
      const s = mock.state.storages.get(sid);
      if (!s) continue;
      // The local node answers, unless the storage is limited to other nodes.
      const at = storageOnNode(s, LOCAL_NODE) ? LOCAL_NODE : (s.nodes?.[0] ?? LOCAL_NODE);
      out.push({
        id: `storage/${at}/${sid}`,
        storage: sid,
        node: at,
        type: "storage",
        plugintype: s.type,
        shared: s.shared ? 1 : 0,
        content: [...s.content].sort().join(","),
        ...(nodeOnline(mock, at)
          ? { status: "available", disk: storageUsed(mock.state, s, at), maxdisk: s.total }
          : { status: "unknown" }),
      });
    }
  }
  return out;
}

export const poolRoutes: Route[] = [
  {
    method: "GET",
    path: "/pools",
    description: "List pools or get pool configuration.",
    permission: "all",
    parameters: {
      poolid: { ...poolid, optional: true },
      type: { type: "string", optional: true, enum: ["qemu", "lxc", "storage"] },
    },
    handler: ({ mock, params, who }) => {
      if (params.type !== undefined && params.poolid === undefined) {
        throw paramError({ poolid: "parameter 'poolid' is required by 'type'" });
      }
      if (typeof params.poolid === "string") {
        const pool = mock.state.pools.get(params.poolid);
        if (!pool) throw fail(`pool '${params.poolid}' does not exist`);
        return [
          {
            members: members(mock, pool.poolid, params.type, who),
            ...(pool.comment !== undefined ? { comment: pool.comment } : {}),
            poolid: pool.poolid,
          },
        ];
      }
      return [...mock.state.pools.values()]
        .filter((p) => hasPriv(mock.state, who, `/pool/${p.poolid}`, ["Pool.Audit"]))
        .sort((a, b) => a.poolid.localeCompare(b.poolid))
        .map((p) => ({
          poolid: p.poolid,
          ...(p.comment !== undefined ? { comment: p.comment } : {}),
        }));
    },
  },
  {
    method: "POST",
    path: "/pools",
    description: "Create new pool.",
    permission: allocate,
    parameters: { poolid, comment: { type: "string", optional: true } },
    handler: ({ mock, params }) =>
      locked("create pool failed", () => {
        const id = String(params.poolid);
        if (mock.state.pools.has(id)) throw fail(`pool '${id}' already exists`);
        const m = /^(.*)\/([^/]+)$/.exec(id);
        if (m && !mock.state.pools.has(m[1] as string)) {
          throw fail(`parent '${m[1]}' of pool '${id}' does not exist`);
        }
        if (!/^[A-Za-z]/.test(m ? (m[2] as string) : id))
          throw fail("pool name must start with a letter");
        mock.state.pools.set(id, {
          poolid: id,
          ...(typeof params.comment === "string" && params.comment
            ? { comment: params.comment }
            : {}),
        });
        return null;
      }),
  },
  {
    method: "PUT",
    path: "/pools",
    description: "Update pool.",
    permission: allocate,
    parameters: {
      poolid,
      comment: { type: "string", optional: true },
      vms: { type: "string", optional: true, format: "pve-vmid-list" },
      storage: { type: "string", optional: true, format: "pve-storage-id-list" },
      delete: { type: "boolean", optional: true, default: 0 },
      "allow-move": { type: "boolean", optional: true, default: 0 },
    },
    handler: ({ mock, params, who }) =>
      locked("update pools failed", () => {
        const id = String(params.poolid);
        const pool = mock.state.pools.get(id);
        if (!pool) throw fail(`pool '${id}' does not exist`);
        if (typeof params.comment === "string") pool.comment = params.comment;
        for (const v of splitList(params.vms).map(Number)) {
          checkModify(mock, who, `/vms/${v}`, "VM.Allocate");
          const guest = mock.state.guests.get(v);
          if (params.delete) {
            if (guest?.pool !== id) throw fail(`VM ${v} is not a pool member`);
            delete guest.pool;
          } else {
            if (guest?.pool === id) throw fail(`VM ${v} is already a pool member`);
            if (guest?.pool !== undefined) {
              if (!params["allow-move"]) {
                throw fail(
                  `VM ${v} belongs already to pool '${guest.pool}' and 'allow-move' is not set`,
                );
              }
              if (!hasPriv(mock.state, who, `/pool/${guest.pool}`, ["Pool.Allocate"])) {
                throw permissionDenied(`/pool/${guest.pool}`, ["Pool.Allocate"]);
              }
            }
            // user.cfg keeps the membership even for a vmid without a guest (yet).
            if (guest) guest.pool = id;
          }
        }
        for (const sid of splitList(params.storage)) {
          checkModify(mock, who, `/storage/${sid}`, "Datastore.Allocate");
          const has = pool.storage?.includes(sid) ?? false;
          if (params.delete) {
            if (!has) throw fail(`Storage '${sid}' is not a pool member`);
            pool.storage = pool.storage?.filter((s) => s !== sid);
          } else {
            if (has) throw fail(`Storage '${sid}' is already a pool member`);
            pool.storage = [...(pool.storage ?? []), sid];
          }
        }
        return null;
      }),
  },
  {
    method: "DELETE",
    path: "/pools",
    description: "Delete pool.",
    permission: allocate,
    parameters: { poolid },
    handler: ({ mock, params }) =>
      locked("delete pool failed", () => {
        const id = String(params.poolid);
        if (!mock.state.pools.has(id)) throw fail(`pool '${id}' does not exist`);
        const sub = [...mock.state.pools.keys()].sort().find((p) => p.startsWith(`${id}/`));
        if (sub) throw fail(`pool '${id}' is not empty (contains pool '${sub}')`);
        const vm = [...mock.state.guests.values()]
          .filter((g) => g.pool === id)
          .sort((a, b) => String(a.vmid).localeCompare(String(b.vmid)))[0];
        if (vm) throw fail(`pool '${id}' is not empty (contains VM ${vm.vmid})`);
        const sid = (mock.state.pools.get(id)?.storage ?? []).find((s) =>
          mock.state.storages.has(s),
        );
        if (sid) throw fail(`pool '${id}' is not empty (contains storage '${sid}')`);
        mock.state.pools.delete(id);
        mock.state.acl = mock.state.acl.filter((a) => a.path !== `/pool/${id}`);
        return null;
      }),
  },
];

const byQuery = (method: Route["method"]): Route =>
  poolRoutes.find((r) => r.method === method && r.path === "/pools") as Route;

/** The older form with the pool in the path, still in the API for clients before PVE 8.1. */
export const poolByIdRoutes: Route[] = [
  {
    method: "GET",
    path: "/pools/{poolid}",
    description:
      "Get pool configuration (deprecated, no support for nested pools, use 'GET /pools/?poolid={poolid}').",
    permission: [{ path: "/pool/{poolid}", privs: ["Pool.Audit"] }],
    parameters: {
      poolid,
      type: { type: "string", optional: true, enum: ["qemu", "lxc", "storage"] },
    },
    handler: (args) => {
      const [pool] = byQuery("GET").handler(args) as { poolid: string }[];
      const { poolid: _id, ...rest } = pool as { poolid: string };
      return rest;
    },
  },
  {
    ...byQuery("PUT"),
    path: "/pools/{poolid}",
    description:
      "Update pool data (deprecated, no support for nested pools - use 'PUT /pools/?poolid={poolid}' instead).",
  },
  {
    ...byQuery("DELETE"),
    path: "/pools/{poolid}",
    description:
      "Delete pool (deprecated, no support for nested pools, use 'DELETE /pools/?poolid={poolid}').",
  },
];
