// The scope settings (--allowed-nodes/-vmids/-pools/-tags) as one object tools and the call
// pipeline ask: may this node, vmid or guest be touched?

import { inRanges, parseVmidRanges, type VmidRange } from "../config/vmid-ranges.ts";
import type { Scope } from "../tools/define.ts";

export interface ScopeSettings {
  allowed_nodes?: string[];
  allowed_vmids?: string[];
  allowed_pools?: string[];
  allowed_tags?: string[];
}

const list = (v?: string[]) => (v && v.length > 0 ? v : undefined);

export function createScope(s: ScopeSettings): Scope {
  const nodes = list(s.allowed_nodes);
  const parsed = list(s.allowed_vmids) ? parseVmidRanges(s.allowed_vmids ?? []) : undefined;
  const ranges: VmidRange[] | undefined = typeof parsed === "string" ? [] : parsed;
  const pools = list(s.allowed_pools);
  const tags = list(s.allowed_tags)?.map((t) => t.toLowerCase());

  const allowsNode = (node: string) => !nodes || nodes.includes(node);
  const allowsVmid = (vmid: number) => !ranges || inRanges(ranges, vmid);
  return {
    needsGuestData: Boolean(pools || tags),
    allowsNode,
    allowsVmid,
    allowsGuest(g) {
      const guestTags = (Array.isArray(g.tags) ? g.tags : (g.tags ?? "").split(/[;, ]/))
        .filter(Boolean)
        .map((t) => t.toLowerCase());
      return (
        allowsVmid(g.vmid) &&
        (!g.node || allowsNode(g.node)) &&
        (!pools || (g.pool !== undefined && pools.includes(g.pool))) &&
        (!tags || guestTags.some((t) => tags.includes(t)))
      );
    },
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

/** Argument names that name a node or a guest, checked before any request is sent. */
const NODE_ARGS = ["node", "target", "target_node"];
const VMID_ARGS = ["vmid", "newid", "vm_id", "container_id"];

/** A refusal message when the arguments reach outside the scope; undefined when they do not. */
export function outOfScope(scope: Scope, args: Record<string, unknown>): string | undefined {
  for (const key of NODE_ARGS) {
    const v = args[key];
    if (typeof v === "string" && v !== "" && !scope.allowsNode(v)) {
      return `node ${v} is outside this server's scope (allowed: ${scope.describe()})`;
    }
  }
  // A task's node is the second field of its UPID.
  const upidNode = typeof args.upid === "string" ? args.upid.split(":")[1] : undefined;
  if (upidNode && !scope.allowsNode(upidNode)) {
    return `task of node ${upidNode} is outside this server's scope (allowed: ${scope.describe()})`;
  }
  for (const key of VMID_ARGS) {
    const v = Number(args[key]);
    if (args[key] !== undefined && Number.isFinite(v) && !scope.allowsVmid(v)) {
      return `guest ${v} is outside this server's scope (allowed: ${scope.describe()})`;
    }
  }
  return undefined;
}
