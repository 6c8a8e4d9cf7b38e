// Numbered device slots of a guest's config (scsi0…, mp0…, net0…, hostpci0…, usb0…) and adding
// a device in one: read the config, take the named slot or the first free, refuse one in use,
// build the value and write it. Disks, mount points, NICs and host devices all add this way.

import type { GUEST_CONFIG, GuestConfig } from "../pve/endpoints/index.ts";
import type { GuestType } from "../pve/index.ts";
import type { ToolContext } from "./define.ts";
import { ToolError } from "./errors.ts";
import {
  type ConfigWrite,
  type ConfigWriteCalls,
  readConfig,
  writeConfig,
} from "./guest-common.ts";
import { describeGuest, type GuestOf } from "./guest-ref.ts";

/** How many numbered slots PVE has for each kind of device key (scsi0…scsi30, net0…net31…). */
export const SLOTS = {
  scsi: 31,
  virtio: 16,
  sata: 6,
  ide: 4,
  mp: 256,
  net: 32,
  hostpci: 16,
  usb: 5,
} as const;

/** The first free `<prefix>N` in the config (pending values count as taken). */
export function freeSlot(config: Record<string, unknown>, prefix: keyof typeof SLOTS): string {
  for (let n = 0; n < SLOTS[prefix]; n++) {
    if (config[`${prefix}${n}`] === undefined) return `${prefix}${n}`;
  }
  throw new ToolError(
    `no free ${prefix} slot left (${prefix}0 … ${prefix}${SLOTS[prefix] - 1} are in use)`,
  );
}

export interface SlotChoice {
  /** The slot to use: the one named, else the first free one; may refuse a wrong kind. */
  key(config: GuestConfig): string;
  /** What to suggest when that slot is taken. */
  inUseHint?: string;
  /** Read the config again after the write: what PVE stored (`stored`). */
  readBack?: boolean;
}

export interface Added {
  key: string;
  /** The value written. */
  value: string;
  /** The config line PVE stored (with readBack). */
  stored?: string;
  /** The config before the change. */
  config: GuestConfig;
  /** The write's task and what of it waits for the next start. */
  write: ConfigWrite;
}

/**
 * Adds a device to the guest: the slot (`choice.key`), refused when in use, then the value
 * `build` makes for it, written with writeConfig. `key` and `build` may refuse with a ToolError:
 * nothing is written then.
 */
export async function addInSlot<K extends GuestType>(
  ctx: ToolContext<typeof GUEST_CONFIG | ConfigWriteCalls[K]>,
  guest: GuestOf<K>,
  choice: SlotChoice,
  build: (key: string, config: GuestConfig) => string,
): Promise<Added> {
  const config = await readConfig(ctx, guest);
  const key = choice.key(config);
  if (config[key] !== undefined) {
    throw new ToolError(
      `${key} of ${describeGuest(guest)} is in use (${config[key]})`,
      choice.inUseHint,
    );
  }
  const value = build(key, config);
  const write = await writeConfig(
    ctx,
    guest,
    { [key]: value },
    `adding ${key} to ${describeGuest(guest)}`,
  );
  const after = choice.readBack ? await readConfig(ctx, guest) : undefined;
  const stored = after?.[key] === undefined ? undefined : String(after[key]);
  return { key, value, stored, config, write };
}
