// Resource pools: groups of guests and storages that permissions can be granted on at once.

import { z } from "zod";
import { POOL_CREATE, POOL_DELETE, POOL_UPDATE, POOLS } from "../pve/endpoints/index.ts";
import { csv, flag, nameList } from "./dc-args.ts";
import { DESTRUCTIVE, defineTool, READ, WRITE } from "./define.ts";
import { ToolError } from "./errors.ts";
import { page, pageArgs, pageFields } from "./paging.ts";

const poolid = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9.\-_]*(\/[A-Za-z][A-Za-z0-9.\-_]*){0,2}$/, "e.g. prod or prod/web")
  .describe("Pool id; nested pools as parent/child (up to 3 levels)");

export const listPools = defineTool({
  name: "list_pools",
  title: "List pools",
  toolset: "pools",
  description: "Resource pools with their comments (get_pool_details lists a pool's members).",
  input: z.strictObject(pageArgs(100)),
  output: z.object({
    pools: z.array(z.object({ poolid: z.string(), comment: z.string().optional() })),
    ...pageFields,
  }),
  annotations: READ,
  endpoints: [POOLS.sending()],
  async handler(args, { pve, signal }) {
    const rows = await pve.call(POOLS, {}, { signal });
    const pools = rows
      .map(({ poolid: id, comment }) => ({ poolid: id, comment }))
      .sort((a, b) => a.poolid.localeCompare(b.poolid));
    const p = page(pools, args, 100);
    return { data: { pools: p.rows, total: p.total, next_cursor: p.next_cursor } };
  },
});

const member = z.object({
  id: z.string(),
  type: z.string().describe("qemu, lxc or storage"),
  vmid: z.number().optional(),
  name: z.string().optional(),
  storage: z.string().optional(),
  node: z.string().optional(),
  status: z.string().optional(),
});

export const getPoolDetails = defineTool({
  name: "get_pool_details",
  title: "Get a pool's members",
  toolset: "pools",
  description: "A pool's comment and members: guests (vmid, name, node, status) and storages.",
  input: z.strictObject({
    poolid,
    type: z.enum(["qemu", "lxc", "storage"]).optional().describe("Only members of this kind"),
    ...pageArgs(100),
  }),
  output: z.object({
    poolid: z.string(),
    comment: z.string().optional(),
    members: z.array(member),
    ...pageFields,
  }),
  annotations: READ,
  endpoints: [POOLS],
  async handler(args, { pve, signal }) {
    const { poolid: id, type } = args;
    const [pool] = await pve.call(POOLS, { poolid: id, type }, { signal });
    const members = (pool?.members ?? []).map((m) => ({
      id: String(m.id),
      type: String(m.type),
      vmid: typeof m.vmid === "number" ? m.vmid : undefined,
      name: typeof m.name === "string" ? m.name : undefined,
      storage: typeof m.storage === "string" ? m.storage : undefined,
      node: typeof m.node === "string" ? m.node : undefined,
      status: typeof m.status === "string" ? m.status : undefined,
    }));
    const p = page(members, args, 100);
    return {
      data: {
        poolid: id,
        comment: pool?.comment,
        members: p.rows,
        total: p.total,
        next_cursor: p.next_cursor,
      },
    };
  },
});

export const createPool = defineTool({
  name: "create_pool",
  title: "Create a pool",
  toolset: "pools",
  description:
    "Create a resource pool (a nested one as parent/child); add members with update_pool.",
  input: z.strictObject({ poolid, comment: z.string().optional() }),
  output: z.object({ poolid: z.string(), message: z.string() }),
  annotations: WRITE,
  endpoints: [POOL_CREATE],
  async handler({ poolid: id, comment }, { pve, signal }) {
    await pve.call(POOL_CREATE, { poolid: id, comment }, { signal });
    return { data: { poolid: id, message: `pool ${id} created` } };
  },
});

export const updatePool = defineTool({
  name: "update_pool",
  title: "Change a pool",
  toolset: "pools",
  description:
    "Add guests (vms) or storages to a pool, or remove them with delete; change its comment. A guest in another pool moves only with allow_move. Removing members also removes the rights the pool granted on them.",
  input: z.strictObject({
    poolid,
    comment: z.string().optional(),
    vms: z
      .union([z.array(z.number().int().min(100)), z.string()])
      .optional()
      .describe("Guest ids, list or comma-separated"),
    storage: nameList.optional().describe("Storage ids, list or comma-separated"),
    delete: flag.optional().describe("Remove the given vms/storage instead of adding them"),
    allow_move: z.boolean().optional().describe("Move guests that are in another pool"),
  }),
  output: z.object({ poolid: z.string(), message: z.string() }),
  annotations: DESTRUCTIVE,
  endpoints: [POOL_UPDATE],
  async handler(args, { pve, signal }) {
    const vms = Array.isArray(args.vms)
      ? args.vms
      : (args.vms ?? "").split(/[,;\s]+/).filter(Boolean);
    const storage = args.storage ?? [];
    if (vms.length === 0 && storage.length === 0 && args.comment === undefined) {
      throw new ToolError("nothing to change", "Pass vms, storage or comment.");
    }
    await pve.call(
      POOL_UPDATE,
      {
        poolid: args.poolid,
        comment: args.comment,
        vms: csv(vms),
        storage: csv(storage),
        delete: args.delete,
        "allow-move": args.allow_move,
      },
      { signal },
    );
    const what = [...vms.map((v) => `guest ${v}`), ...storage.map((s) => `storage ${s}`)];
    const verb = args.delete ? "removed from" : "added to";
    return {
      data: {
        poolid: args.poolid,
        message:
          what.length > 0
            ? `${what.join(", ")} ${verb} pool ${args.poolid}`
            : `pool ${args.poolid} updated`,
      },
    };
  },
});

export const deletePool = defineTool({
  name: "delete_pool",
  title: "Delete a pool",
  toolset: "pools",
  description:
    "Delete an empty pool and the ACL entries on it (PVE refuses while it has guests, storages or sub-pools: remove them with update_pool first).",
  input: z.strictObject({ poolid }),
  output: z.object({ poolid: z.string(), message: z.string() }),
  annotations: DESTRUCTIVE,
  endpoints: [POOL_DELETE],
  async handler({ poolid: id }, { pve, signal }) {
    await pve.call(POOL_DELETE, { poolid: id }, { signal });
    return { data: { poolid: id, message: `pool ${id} deleted` } };
  },
});

export const poolTools = [listPools, getPoolDetails, createPool, updatePool, deletePool];
