// Holds what a request or an answer's row touches against the scope: the first object outside
// it is the refusal. Guests are judged by their inventory row (node, pool, tags) when the scope
// needs more than their id.

import type { GuestIndex } from "../inventory.ts";
import type { Scope } from "../scope.ts";
import {
  clusterWide,
  everyGuest,
  guestOutside,
  newGuestOutside,
  nodeAdmin,
  nodeOutside,
  poolOutside,
  type Refusal,
  unknownGuest,
} from "./refusals.ts";
import type { NewGuest, Touch, TouchedGuest } from "./touch.ts";

/** Does judging this touch need the guests' inventory rows? */
export function needsIndex(t: Touch, scope: Scope): boolean {
  if (t.poolMembers.length > 0 && (scope.limitsGuests || scope.limitsNodes)) return true;
  if (t.guests.length === 0 && t.newGuests.length === 0) return false;
  if (scope.needsGuestData) return true;
  return scope.limitsNodes && (t.guests.some((g) => !g.node) || t.newGuests.length > 0);
}

export function judge(
  t: Touch,
  scope: Scope,
  index: GuestIndex | undefined,
  write: boolean,
): Refusal | undefined {
  if (write && t.clusterWide) return clusterWide(scope, t.clusterWide);
  if (t.nodeAdmin && scope.limitsGuests && !scope.allowsNodeAdmin) {
    return nodeAdmin(scope, t.nodeAdmin.node, t.nodeAdmin.what);
  }
  for (const node of t.nodes) if (!scope.allowsNode(node)) return nodeOutside(scope, node);
  if (t.allGuests && (scope.limitsGuests || (scope.limitsNodes && !t.allGuests.node))) {
    return everyGuest(scope, t.allGuests.what);
  }
  if (write && t.poolConfig !== undefined && !scope.limitsPools) {
    return clusterWide(scope, `changing pool ${t.poolConfig} itself`);
  }
  for (const pool of t.pools) {
    if (!scope.allowsPool(pool)) return poolOutside(scope, pool);
  }
  for (const pool of t.poolMembers) {
    for (const row of index?.values() ?? []) {
      if (row.pool !== pool) continue;
      const refusal = existing(scope, { vmid: row.vmid ?? Number.NaN }, index);
      if (refusal) return refusal;
    }
  }
  for (const g of t.guests) {
    const refusal = existing(scope, g, index);
    if (refusal) return refusal;
  }
  for (const g of t.newGuests) {
    const refusal = created(scope, g, index, write);
    if (refusal) return refusal;
  }
  return undefined;
}

function existing(scope: Scope, g: TouchedGuest, index?: GuestIndex): Refusal | undefined {
  if (!Number.isInteger(g.vmid)) {
    return scope.limitsGuests || (scope.limitsNodes && !g.node)
      ? unknownGuest(scope, g.vmid)
      : undefined;
  }
  if (!scope.allowsVmid(g.vmid)) return guestOutside(scope, { vmid: g.vmid });
  if (!scope.needsGuestData && !(scope.limitsNodes && !g.node)) return undefined;
  const row = index?.get(g.vmid);
  if (!row) return scope.needsGuestData ? unknownGuest(scope, g.vmid) : undefined;
  const guest = { vmid: g.vmid, node: row.node, pool: row.pool, tags: row.tags };
  return scope.allowsGuest(guest) ? undefined : guestOutside(scope, guest);
}

function created(
  scope: Scope,
  g: NewGuest,
  index: GuestIndex | undefined,
  write: boolean,
): Refusal | undefined {
  if (!scope.allowsVmid(g.vmid)) return guestOutside(scope, { vmid: g.vmid });
  if (g.node !== undefined && !scope.allowsNode(g.node)) return nodeOutside(scope, g.node);
  // An id that is taken is an existing guest (a restore with force overwrites it).
  if (index?.has(g.vmid)) return existing(scope, { vmid: g.vmid }, index);
  if (!write) return undefined;
  if (scope.limitsPools && !(g.pool !== undefined && scope.allowsPool(g.pool))) {
    return newGuestOutside(scope, g.vmid, "pool");
  }
  if (!scope.allowsTags(g.tags) && g.cloneOf === undefined) {
    return newGuestOutside(scope, g.vmid, "tags");
  }
  return undefined;
}
