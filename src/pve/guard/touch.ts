// What one request (or one row of an answer) touches, as the guard sees it: nodes, guests,
// pools, and the kinds of reach no scope can hold (cluster-wide writes, node administration,
// every guest at once).

export interface TouchedGuest {
  vmid: number;
  /** The node the path names for it (/nodes/{node}/qemu/{vmid}): PVE acts on it only there. */
  node?: string;
}

/** A guest id a request creates (create, clone, restore): it may not exist yet. */
export interface NewGuest {
  vmid: number;
  node?: string;
  /** The pool it is put in (`pool`), and its tags (`tags`); a clone inherits its source's tags. */
  pool?: string;
  tags?: string;
  cloneOf?: number;
}

export interface Touch {
  nodes: string[];
  guests: TouchedGuest[];
  newGuests: NewGuest[];
  /** Pools named as such (a pool scope holds them). */
  pools: string[];
  /** Pools whose every guest the request reaches (backup of a pool, ACL on /pool/X). */
  poolMembers: string[];
  /** A pool's own configuration changes (create, delete, comment, storage members). */
  poolConfig?: string;
  /** Every guest of a node, or of the cluster (vzdump --all, prune without vmid). */
  allGuests?: { what: string; node?: string };
  /** A write no scope can hold: users, roles, storage definitions, cluster firewall… */
  clusterWide?: string;
  /** Node power and access that reach every guest of the node (shells, services, apt…). */
  nodeAdmin?: { node: string; what: string };
}

export const emptyTouch = (): Touch => ({
  nodes: [],
  guests: [],
  newGuests: [],
  pools: [],
  poolMembers: [],
});
