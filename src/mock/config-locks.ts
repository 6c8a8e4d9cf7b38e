// The flock on a guest's config file (lock_config in PVE): a worker such as a start, a resize or a
// disk move holds it for its whole run; a config edit meanwhile waits up to PVE's timeout (10 s)
// and then fails with PVE's text. Clones of a stopped guest share it with each other.
import { fail } from "./errors.ts";
import type { GuestType } from "./state.ts";

interface Holder {
  shared: boolean;
  count: number;
}

export interface LockTarget {
  vmid: number;
  type: GuestType;
}

/** /var/lock/qemu-server/lock-100.conf, /run/lock/lxc/pve-config-200.lock */
export function lockFile(target: LockTarget): string {
  return target.type === "qemu"
    ? `/var/lock/qemu-server/lock-${target.vmid}.conf`
    : `/run/lock/lxc/pve-config-${target.vmid}.lock`;
}

export const lockTimeoutError = (target: LockTarget) =>
  fail(`can't lock file '${lockFile(target)}' - got timeout`);

export class ConfigLocks {
  private readonly holders = new Map<number, Holder>();
  private readonly waiters = new Map<number, Set<() => void>>();
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();

  /** @param secondMs how long PVE's second lasts here (10 s timeouts take 10 of them). */
  constructor(private readonly secondMs: number) {}

  /** Takes the lock if it is free (or shared with the same kind); false if someone holds it. */
  tryAcquire(target: LockTarget, shared = false): boolean {
    const held = this.holders.get(target.vmid);
    if (!held) {
      this.holders.set(target.vmid, { shared, count: 1 });
      return true;
    }
    if (shared && held.shared) {
      held.count++;
      return true;
    }
    return false;
  }

  isHeld(vmid: number): boolean {
    return this.holders.has(vmid);
  }

  release(target: LockTarget): void {
    const held = this.holders.get(target.vmid);
    if (!held) return;
    if (--held.count > 0) return;
    this.holders.delete(target.vmid);
    for (const wake of [...(this.waiters.get(target.vmid) ?? [])]) wake();
  }

  /**
   * Waits for the lock like flock under run_with_timeout: resolves once held, rejects with
   * "can't lock file '…' - got timeout" after `timeoutSec` of PVE's seconds.
   */
  acquire(target: LockTarget, timeoutSec = 10, shared = false): Promise<void> {
    if (this.tryAcquire(target, shared)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiting = this.waiters.get(target.vmid) ?? new Set<() => void>();
      this.waiters.set(target.vmid, waiting);
      const done = () => {
        clearTimeout(timer);
        this.timers.delete(timer);
        waiting.delete(wake);
        if (waiting.size === 0) this.waiters.delete(target.vmid);
      };
      const wake = () => {
        if (!this.tryAcquire(target, shared)) return;
        done();
        resolve();
      };
      const timer = setTimeout(() => {
        done();
        reject(lockTimeoutError(target));
      }, timeoutSec * this.secondMs);
      this.timers.add(timer);
      waiting.add(wake);
    });
  }

  /** Runs `code` holding the lock (the synchronous API calls: PUT …/config and the like). */
  async with<T>(target: LockTarget, code: () => T, timeoutSec = 10): Promise<T> {
    await this.acquire(target, timeoutSec);
    try {
      return code();
    } finally {
      this.release(target);
    }
  }

  /** Server shutdown: no waiter outlives it. */
  shutdown(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.holders.clear();
    this.waiters.clear();
  }
}
