// The guest index: one GET /cluster/resources?type=vm, kept for a few seconds and shared by the
// scope guard (a guest's node, pool and tags) and vmid-only lookups (resolveGuest), so a call
// that names only a vmid does not pay for the whole inventory every time. The client forgets it
// after every write it sends and every "does not exist" it hears; a missing guest is looked up
// once more in a fresh copy before anyone is told it does not exist.

import type { Resource } from "./resources.ts";

export const INVENTORY_TTL_MS = 3000;

export type GuestIndex = ReadonlyMap<number, Resource>;

export class Inventory {
  readonly #load: () => Promise<Resource[]>;
  readonly #ttlMs: number;
  #index?: GuestIndex;
  #loadedAt = 0;
  #loading?: Promise<GuestIndex>;
  #generation = 0;

  constructor(load: () => Promise<Resource[]>, ttlMs = INVENTORY_TTL_MS) {
    this.#load = load;
    this.#ttlMs = ttlMs;
  }

  /** Every guest by vmid: the cached copy while it is young, else one request (shared). */
  guests(options: { fresh?: boolean } = {}): Promise<GuestIndex> {
    if (options.fresh) this.invalidate();
    if (this.#index && performance.now() - this.#loadedAt < this.#ttlMs) {
      return Promise.resolve(this.#index);
    }
    if (!this.#loading) {
      const generation = this.#generation;
      this.#loading = this.#load()
        .then((rows) => {
          const index = indexOf(rows);
          if (generation === this.#generation) this.#keep(index);
          return index;
        })
        .finally(() => {
          if (generation === this.#generation) this.#loading = undefined;
        });
    }
    return this.#loading;
  }

  /** The guest's row; a guest missing from a cached copy is looked for in a fresh one. */
  async guest(vmid: number): Promise<Resource | undefined> {
    const cached = (await this.guests()).get(vmid);
    if (cached) return cached;
    return (await this.guests({ fresh: true })).get(vmid);
  }

  /** Something changed (a write was sent, a guest was not found): the next lookup asks again. */
  invalidate(): void {
    this.#generation++;
    this.#index = undefined;
    this.#loading = undefined;
  }

  /** A whole, unfiltered /cluster/resources seen on the way: as good as a fresh load. */
  feed(rows: readonly Resource[]): void {
    this.#generation++;
    this.#loading = undefined;
    this.#keep(indexOf(rows));
  }

  #keep(index: GuestIndex): void {
    this.#index = index;
    this.#loadedAt = performance.now();
  }
}

function indexOf(rows: readonly Resource[]): GuestIndex {
  const index = new Map<number, Resource>();
  for (const r of rows) {
    if ((r.type === "qemu" || r.type === "lxc") && typeof r.vmid === "number") index.set(r.vmid, r);
  }
  return index;
}
