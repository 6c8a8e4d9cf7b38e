// Finding the guest a tool acts on, from its vmid and the optional node and type hints.

import type { CLUSTER_RESOURCES } from "../pve/endpoints/index.ts";
import { type GuestRef, type GuestType, PveError, resolveGuest } from "../pve/index.ts";
import type { ToolContext } from "./define.ts";
import { ToolError } from "./errors.ts";

/** A guest known to be of one kind (after expectType). */
export type GuestOf<K extends GuestType> = GuestRef & { type: K };

export interface GuestArgs {
  vmid: number;
  node?: string;
  type?: GuestType;
}

/**
 * Runs `fn` on the guest. Trusted hints (node and type both given) save the lookup, and the
 * client's guest index serves the rest for a few seconds; if PVE then says the guest is not
 * there, the location may be stale (the client forgets its index on that answer): look it up
 * afresh and try once more where it is now. A guest outside the scope is refused by the lookup.
 */
export async function onGuest<T>(
  ctx: ToolContext<typeof CLUSTER_RESOURCES>,
  args: GuestArgs,
  fn: (guest: GuestRef) => Promise<T>,
): Promise<T> {
  const guest = await resolveGuest(ctx.pve, args.vmid, args, ctx.signal);
  try {
    return await fn(guest);
  } catch (error) {
    if (!(error instanceof PveError && error.isNotFound)) throw error;
    const found = await resolveGuest(ctx.pve, args.vmid, {}, ctx.signal);
    if (found.node === guest.node && found.type === guest.type) throw error;
    return fn(found);
  }
}

/** For tools whose name fixes the kind (start_container): refuse the other kind clearly. */
export function expectType<K extends GuestType>(
  guest: GuestRef,
  type: K,
  tool: string,
): asserts guest is GuestOf<K> {
  if (guest.type === type) return;
  const other = guest.type === "qemu" ? "a VM (qemu)" : "a container (lxc)";
  const use = tool.replace(
    type === "lxc" ? "container" : "vm",
    type === "lxc" ? "vm" : "container",
  );
  throw new ToolError(
    `${guest.vmid} is ${other}, not ${type === "lxc" ? "a container" : "a VM"}`,
    `Use ${use}.`,
  );
}

export const describeGuest = (g: GuestRef): string =>
  `${g.type === "qemu" ? "VM" : "CT"} ${g.vmid}${g.name ? ` (${g.name})` : ""} on ${g.node}`;
