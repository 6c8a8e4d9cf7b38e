// The words of a refusal: what lies outside the scope, and which setting would allow it.

import { ScopeError } from "../errors.ts";
import type { Scope, ScopedGuest } from "../scope.ts";

export interface Refusal {
  message: string;
  hint: string;
  /** The guest was not in the inventory: a fresh copy may know it. */
  missing?: boolean;
}

const SETTING: Record<string, string> = {
  allowed_nodes: "allowed_nodes (--allowed-nodes)",
  allowed_vmids: "allowed_vmids (--allowed-vmids)",
  allowed_pools: "allowed_pools (--allowed-pools)",
  allowed_tags: "allowed_tags (--allowed-tags)",
};

const outside = (what: string, scope: Scope) =>
  `${what} is outside this server's scope (allowed: ${scope.describe()})`;

export function nodeOutside(scope: Scope, node: string): Refusal {
  return {
    message: outside(`node ${node}`, scope),
    hint: `The administrator lists the nodes this server may touch in ${SETTING.allowed_nodes}.`,
  };
}

export function guestOutside(scope: Scope, guest: ScopedGuest): Refusal {
  const settings = scope.excluding(guest).map((s) => SETTING[s] ?? s);
  return {
    message: outside(`guest ${guest.vmid}`, scope),
    hint: `The administrator limits the guests this server may touch with ${settings.join(" and ") || "the allowed_* settings"}.`,
  };
}

export function unknownGuest(scope: Scope, vmid: number): Refusal {
  const what = Number.isInteger(vmid) ? `guest ${vmid}` : "a guest the guard cannot read";
  return {
    message: `${outside(what, scope)}: it is not in the cluster's inventory, so its pool and tags cannot be checked`,
    hint: "Pools and tags (allowed_pools, allowed_tags) are read from /cluster/resources; a guest that is not there cannot be shown to be inside them.",
    missing: true,
  };
}

export function newGuestOutside(scope: Scope, vmid: number, missing: "pool" | "tags"): Refusal {
  return {
    message: outside(`the new guest ${vmid}`, scope),
    hint:
      missing === "pool"
        ? "Under allowed_pools a new guest must be created in an allowed pool: pass pool."
        : "Under allowed_tags a new guest must carry an allowed tag: pass tags.",
  };
}

export function poolOutside(scope: Scope, pool: string): Refusal {
  return {
    message: outside(`pool ${pool}`, scope),
    hint: `The administrator lists the pools this server may touch in ${SETTING.allowed_pools}.`,
  };
}

export function clusterWide(scope: Scope, what: string): Refusal {
  return {
    message: `${what} is a cluster-wide change that no scope can hold (allowed: ${scope.describe()})`,
    hint: "Under allowed_nodes, allowed_vmids, allowed_pools or allowed_tags only changes to the allowed nodes and guests are sent; a server without those settings may make cluster-wide changes.",
  };
}

export function nodeAdmin(scope: Scope, node: string, what: string): Refusal {
  return {
    message: `${what} is administration of node ${node}, which reaches every guest on it, beyond this server's scope (allowed: ${scope.describe()})`,
    hint: "Under a guest scope (allowed_vmids, allowed_pools, allowed_tags) node administration needs allow_node_admin (--allow-node-admin, PROXMOX_ALLOW_NODE_ADMIN).",
  };
}

export function everyGuest(scope: Scope, what: string): Refusal {
  return {
    message: `${what} reaches every guest, beyond this server's scope (allowed: ${scope.describe()})`,
    hint: "Name the guests (vmid) the action is for; each must be inside the scope.",
  };
}

/** The error a refusal becomes, for a request that was not sent. */
export function scopeError(refusal: Refusal, method?: string, path?: string): ScopeError {
  const where = method && path ? `${method} ${path}: ` : "";
  return new ScopeError(`${where}${refusal.message}; nothing was sent`, refusal.hint, method, path);
}
