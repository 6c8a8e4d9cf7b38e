// Listings filtered where they arrive: a row of any answer that names a guest, node or pool
// outside the scope is dropped (inventory, guest lists, storage content and backups, HA
// resources and status, tasks, the cluster log, pools and their members, replication and backup
// jobs, ACLs). Rows are read by PVE's field names; maps keyed by HA sids or ACL paths
// (manager_status, permissions) lose those keys.

import type { GuestIndex } from "../inventory.ts";
import type { Scope } from "../scope.ts";
import { judge, needsIndex } from "./judge.ts";
import type { Refusal } from "./refusals.ts";
import { emptyTouch, type Touch } from "./touch.ts";
import {
  aclTarget,
  guestIds,
  replicationGuest,
  sidGuest,
  sidGuests,
  taskOwner,
  upidsIn,
  volumeGuests,
} from "./values.ts";

type Row = Record<string, unknown>;

const isRow = (v: unknown): v is Row => typeof v === "object" && v !== null && !Array.isArray(v);

// `id` of /cluster/resources, /cluster/status and HA status rows.
const ID_GUEST = /^(?:(?:qemu|lxc)\/|(?:service:)?(?:vm|ct):)(\d+)$/;
const ID_NODE = /^(?:node\/|node:|storage\/|sdn\/)([^/]+)/;
/** Keys of maps that name an object: HA sids (`vm:100`) and ACL paths (`/vms/100`). */
const OBJECT_KEY = /^(?:(?:vm|ct):\d+|\/(?:vms|pool|nodes)\/[^/]+)$/;

/** What one row names, or undefined when it names nothing the scope limits. */
export function rowTouch(row: Row): Touch | undefined {
  let t: Touch | undefined;
  const touch = () => {
    t ??= emptyTouch();
    return t;
  };
  const node = typeof row.node === "string" ? row.node : undefined;
  if (node) touch().nodes.push(node);
  const addGuests = (ids: readonly number[]) => {
    for (const vmid of ids) touch().guests.push({ vmid, node });
  };
  if (row.vmid !== undefined) addGuests(guestIds(row.vmid));
  if (row.guest !== undefined) addGuests(guestIds(row.guest));
  if (typeof row.sid === "string") addGuests([sidGuest(row.sid) ?? Number.NaN]);
  if (typeof row.resources === "string") addGuests(sidGuests(row.resources));
  if (typeof row.volid === "string") addGuests(volumeGuests(row.volid));
  // A backup job's included volumes list guests as { id: 100, type: "qemu" }.
  if (typeof row.id === "number" && (row.type === "qemu" || row.type === "lxc")) {
    addGuests([row.id]);
  }
  if (typeof row.id === "string") {
    const g = ID_GUEST.exec(row.id);
    const n = g ? undefined : ID_NODE.exec(row.id);
    if (g) addGuests([Number(g[1])]);
    else if (n?.[1]) touch().nodes.push(n[1]);
    else if (row.jobnum !== undefined) addGuests([replicationGuest(row.id) ?? Number.NaN]);
  }
  for (const upid of [
    ...(typeof row.upid === "string" ? [row.upid] : []),
    ...(typeof row.msg === "string" ? upidsIn(row.msg) : []),
  ]) {
    const owner = taskOwner(upid);
    if (!owner) continue;
    touch().nodes.push(owner.node);
    if (owner.guest !== undefined) touch().guests.push({ vmid: owner.guest, node: owner.node });
  }
  if (typeof row.poolid === "string") touch().pools.push(row.poolid);
  if (typeof row.pool === "string" && row.vmid === undefined) {
    touch().pools.push(row.pool);
    touch().poolMembers.push(row.pool);
  }
  if (row.all === 1 || row.all === true) {
    touch().allGuests = { what: "every guest", node };
  }
  if (typeof row.path === "string" && OBJECT_KEY.test(row.path)) keyTouch(row.path, touch());
  return t;
}

function keyTouch(key: string, t: Touch): void {
  if (key.startsWith("/")) {
    const target = aclTarget(key);
    if (target.kind === "guest") t.guests.push({ vmid: target.vmid });
    else if (target.kind === "pool") t.poolMembers.push(target.pool);
    else if (target.kind === "node") t.nodes.push(target.node);
    return;
  }
  t.guests.push({ vmid: sidGuest(key) ?? Number.NaN });
}

export interface Judged {
  /** The answer without what lies outside the scope. */
  data: unknown;
  /** Set when the answer as a whole is about something outside the scope. */
  refusal?: Refusal;
}

/** The answer with every row (and object key) outside the scope removed. */
export function filterAnswer(data: unknown, scope: Scope, index: GuestIndex | undefined): Judged {
  const allowed = (t: Touch | undefined) => !t || !judge(t, scope, index, false);
  if (isRow(data)) {
    const t = rowTouch(data);
    const refusal = t && judge(t, scope, index, false);
    if (refusal) return { data: undefined, refusal };
  }
  return { data: prune(data, allowed, 0) };
}

const MAX_DEPTH = 3;

/**
 * Does judging this answer need the guest index? Under a node scope only rows that name a guest
 * without its node do, so a task poll or a config read does not cost an inventory read.
 */
export function answerNeedsIndex(data: unknown, scope: Scope, depth = 0): boolean {
  if (scope.needsGuestData) return true;
  if (!scope.limitsNodes || depth > MAX_DEPTH || typeof data !== "object" || data === null) {
    return false;
  }
  if (Array.isArray(data)) return data.some((row) => answerNeedsIndex(row, scope, depth + 1));
  const t = rowTouch(data as Row);
  if (t && needsIndex(t, scope)) return true;
  return Object.values(data).some(
    (v) => typeof v === "object" && v !== null && answerNeedsIndex(v, scope, depth + 1),
  );
}

function prune(value: unknown, allowed: (t: Touch | undefined) => boolean, depth: number): unknown {
  if (depth > MAX_DEPTH) return value;
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const item of value) {
      if (!isRow(item)) {
        out.push(item);
        continue;
      }
      if (allowed(rowTouch(item))) out.push(prune(item, allowed, depth + 1));
    }
    return out;
  }
  if (!isRow(value)) return value;
  let out: Row | undefined;
  for (const key in value) {
    const inner = value[key];
    let next: unknown = inner;
    if (OBJECT_KEY.test(key)) {
      const t = emptyTouch();
      keyTouch(key, t);
      if (!allowed(t)) next = DROP;
    }
    if (next !== DROP && typeof inner === "object" && inner !== null) {
      next = prune(inner, allowed, depth + 1);
    }
    if (next !== inner) {
      out ??= { ...value };
      if (next === DROP) delete out[key];
      else out[key] = next;
    }
  }
  return out ?? value;
}

const DROP = Symbol("drop");
