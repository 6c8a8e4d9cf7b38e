// What this server may touch: the allowed_nodes/-vmids/-pools/-tags settings (and
// allow_node_admin) as one value the Proxmox client's guard asks: may this node, guest or pool
// be touched? Unset lists allow everything of their kind.

import { inRanges, parseVmidRanges, type VmidRange } from "../config/vmid-ranges.ts";

export interface ScopeSettings {
  allowed_nodes?: string[];
  allowed_vmids?: string[];
  allowed_pools?: string[];
  allowed_tags?: string[];
  /** Node administration (host shells, services, node power…) under a guest scope. */
  allow_node_admin?: boolean;
}

/** A guest as the inventory knows it: enough to decide about pools and tags too. */
export interface ScopedGuest {
  vmid: number;
  node?: string;
  pool?: string;
  /** `;`-separated as PVE stores them, or a list. */
  tags?: string | string[];
}

export interface Scope {
  /** No setting limits anything: the guard lets every request pass untouched. */
  readonly unrestricted: boolean;
  readonly limitsNodes: boolean;
  /** vmids, pools or tags are limited: node-wide actions reach guests outside the scope. */
  readonly limitsGuests: boolean;
  readonly limitsPools: boolean;
  /** Pools or tags are limited: deciding about a guest needs its inventory row. */
  readonly needsGuestData: boolean;
  readonly allowsNodeAdmin: boolean;
  allowsNode(node: string): boolean;
  allowsVmid(vmid: number): boolean;
  allowsPool(pool: string): boolean;
  allowsTags(tags: string | string[] | undefined): boolean;
  allowsGuest(guest: ScopedGuest): boolean;
  /** The settings that keep this guest out (for the hint of a refusal). */
  excluding(guest: ScopedGuest): string[];
  /** e.g. "nodes pve1; vmids 100-199" for refusal messages. */
  describe(): string;
}

const list = (v?: readonly string[]) => (v && v.length > 0 ? v : undefined);

export const tagList = (tags: string | string[] | undefined): string[] =>
  (Array.isArray(tags) ? tags : (tags ?? "").split(/[;, ]/))
    .filter(Boolean)
    .map((t) => t.toLowerCase());

export function createScope(s: ScopeSettings): Scope {
  const nodes = list(s.allowed_nodes);
  const parsed = list(s.allowed_vmids) ? parseVmidRanges(s.allowed_vmids ?? []) : undefined;
  // The settings check refuses bad ranges at start; here a bad one admits nothing.
  const ranges: VmidRange[] | undefined = typeof parsed === "string" ? [] : parsed;
  const pools = list(s.allowed_pools);
  const tags = list(s.allowed_tags)?.map((t) => t.toLowerCase());

  const allowsNode = (node: string) => !nodes || nodes.includes(node);
  const allowsVmid = (vmid: number) => !ranges || inRanges(ranges, vmid);
  const allowsPool = (pool: string) => !pools || pools.includes(pool);
  const allowsTags = (t: string | string[] | undefined) =>
    !tags || tagList(t).some((x) => tags.includes(x));
  const excluding = (g: ScopedGuest): string[] =>
    [
      !allowsVmid(g.vmid) && "allowed_vmids",
      g.node !== undefined && !allowsNode(g.node) && "allowed_nodes",
      pools && (g.pool === undefined || !pools.includes(g.pool)) && "allowed_pools",
      !allowsTags(g.tags) && "allowed_tags",
    ].filter((x): x is string => typeof x === "string");
  const limitsGuests = Boolean(ranges || pools || tags);
  return {
    unrestricted: !nodes && !limitsGuests,
    limitsNodes: Boolean(nodes),
    limitsGuests,
    limitsPools: Boolean(pools),
    needsGuestData: Boolean(pools || tags),
    allowsNodeAdmin: s.allow_node_admin === true,
    allowsNode,
    allowsVmid,
    allowsPool,
    allowsTags,
    allowsGuest: (g) => excluding(g).length === 0,
    excluding,
    describe() {
      const parts = [
        nodes && `nodes ${nodes.join(",")}`,
        s.allowed_vmids?.length && `vmids ${s.allowed_vmids.join(",")}`,
        pools && `pools ${pools.join(",")}`,
        tags && `tags ${tags.join(",")}`,
      ];
      return parts.filter(Boolean).join("; ") || "everything";
    },
  };
}

export const UNRESTRICTED: Scope = createScope({});
