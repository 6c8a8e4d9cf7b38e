// /cluster/resources is the one-call inventory: it lists guests with their node and type, so a
// vmid alone is enough to find a guest (the seed made every caller pass the node and the type).

import type { EndpointCaller } from "./endpoint.ts";
import { CLUSTER_RESOURCES } from "./endpoints/cluster.ts";
import { PveError } from "./errors.ts";
import { guestOutside, nodeOutside, scopeError } from "./guard/refusals.ts";
import type { Inventory } from "./inventory.ts";
import { segment } from "./path.ts";
import type { Scope } from "./scope.ts";

export type GuestType = "qemu" | "lxc";

export interface Resource {
  id: string;
  type: string;
  node?: string;
  vmid?: number;
  name?: string;
  status?: string;
  template?: number;
  tags?: string;
  pool?: string;
  lock?: string;
  hastate?: string;
  cpu?: number;
  maxcpu?: number;
  mem?: number;
  maxmem?: number;
  disk?: number;
  maxdisk?: number;
  uptime?: number;
  storage?: string;
  plugintype?: string;
  content?: string;
  shared?: number;
  level?: string;
}

export interface GuestRef {
  vmid: number;
  node: string;
  type: GuestType;
  name?: string;
  status?: string;
  pool?: string;
  /** `;`-separated, as PVE stores them. */
  tags?: string;
}

export type ResourceType = "vm" | "storage" | "node" | "sdn";

/** What finds a guest: the client's scope and its guest index (a tool's client carries both). */
export interface GuestLocator {
  readonly scope: Scope;
  readonly inventory: Pick<Inventory, "guest" | "guests">;
}

/** What reading the inventory calls. */
export type InventoryReader = EndpointCaller<typeof CLUSTER_RESOURCES> & GuestLocator;

export function clusterResources(
  pve: EndpointCaller<typeof CLUSTER_RESOURCES>,
  type?: ResourceType,
  signal?: AbortSignal,
) {
  return pve.call(CLUSTER_RESOURCES, { type }, { signal });
}

/** A guest that is not there: PVE's own words, plus the nearest vmids that do exist. */
export class GuestNotFoundError extends PveError {
  constructor(vmid: number, nearby: number[]) {
    const near = nearby.length > 0 ? ` (existing nearby: ${nearby.join(", ")})` : "";
    super(404, `VM ${vmid} does not exist${near}`, "GET", "/cluster/resources");
  }
}

/**
 * Finds node and type of a guest. When the caller gives both, they are trusted (no request);
 * otherwise the inventory index tells (a cached copy for a few seconds). A given node that is
 * wrong is corrected, not obeyed. A guest outside the client's scope is refused here already,
 * before any request when its id alone says so.
 */
export async function resolveGuest(
  pve: InventoryReader,
  vmid: number,
  hint: { node?: string; type?: GuestType } = {},
  _signal?: AbortSignal,
): Promise<GuestRef> {
  segment("vmid", vmid);
  const { scope } = pve;
  if (!scope.allowsVmid(vmid)) throw scopeError(guestOutside(scope, { vmid }));
  // Pool and tag scopes need the inventory row: no trusted shortcut then.
  if (hint.node && hint.type && !scope.needsGuestData) {
    segment("node", hint.node);
    if (!scope.allowsNode(hint.node)) throw scopeError(nodeOutside(scope, hint.node));
    return { vmid, node: hint.node, type: hint.type };
  }
  const found = await pve.inventory.guest(vmid);
  if (!found?.node || (found.type !== "qemu" && found.type !== "lxc")) {
    const visible = [...(await pve.inventory.guests()).values()].filter((g) =>
      scope.allowsGuest({ vmid: g.vmid ?? 0, node: g.node, pool: g.pool, tags: g.tags }),
    );
    const ids = visible.map((g) => g.vmid ?? 0).filter((id) => id > 0);
    throw new GuestNotFoundError(vmid, nearest(ids, vmid, 5));
  }
  const { node, type, name, status, pool, tags } = found;
  if (!scope.allowsGuest({ vmid, node, pool, tags })) {
    throw scopeError(guestOutside(scope, { vmid, node, pool, tags }));
  }
  return { vmid, node, type, name, status, pool, tags };
}

function nearest(ids: number[], target: number, count: number): number[] {
  return ids
    .sort((a, b) => Math.abs(a - target) - Math.abs(b - target) || a - b)
    .slice(0, count)
    .sort((a, b) => a - b);
}

/** `/nodes/{node}/{qemu|lxc}/{vmid}` with every segment checked. */
export const guestPath = (g: GuestRef, suffix = ""): string =>
  `/nodes/${segment("node", g.node)}/${g.type}/${segment("vmid", g.vmid)}${suffix}`;
