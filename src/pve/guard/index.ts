// The scope guard: the one wall every request to Proxmox passes, whatever sent it (tool, raw
// API, resource, prompt, completion, console, task wait). Before a request leaves, the objects
// it touches are held against the scope and it is refused when any lies outside; after a read
// returns, the rows outside the scope are dropped from the answer.

import { ScopeError } from "../errors.ts";
import type { GuestIndex, Inventory } from "../inventory.ts";
import type { Scope } from "../scope.ts";
import { attribute, type Params } from "./attribute.ts";
import { judge, needsIndex } from "./judge.ts";
import { scopeError } from "./refusals.ts";
import { splitRequestPath } from "./request-path.ts";
import { answerNeedsIndex, filterAnswer } from "./rows.ts";

export { guestOutside, nodeOutside, type Refusal, scopeError } from "./refusals.ts";

export class ScopeGuard {
  constructor(
    readonly scope: Scope,
    readonly inventory: Inventory,
  ) {}

  /** Throws a ScopeError when the request reaches outside the scope; sends nothing itself. */
  async admit(method: string, path: string, params: Params = {}): Promise<void> {
    const { segments, query } = splitRequestPath(method, path);
    if (this.scope.unrestricted) return;
    const touch = attribute(method, segments, query ? { ...params, ...query } : params);
    const write = method !== "GET";
    let index = needsIndex(touch, this.scope) ? await this.inventory.guests() : undefined;
    let refusal = judge(touch, this.scope, index, write);
    if (refusal?.missing) {
      // A guest created a moment ago is not in an older copy: look once more.
      index = await this.inventory.guests({ fresh: true });
      refusal = judge(touch, this.scope, index, write);
    }
    if (refusal) throw scopeError(refusal, method, `/${segments.join("/")}`);
  }

  /** The answer of a read without the rows (and keys) outside the scope. */
  async filter<T>(method: string, path: string, data: T): Promise<T> {
    if (this.scope.unrestricted || data === null || typeof data !== "object") return data;
    const index: GuestIndex | undefined = answerNeedsIndex(data, this.scope)
      ? await this.inventory.guests()
      : undefined;
    const judged = filterAnswer(data, this.scope, index);
    if (judged.refusal) {
      const { message, hint } = judged.refusal;
      throw new ScopeError(
        `${method} ${path}: the answer is about ${message}; it is not passed on`,
        hint,
        method,
        path,
      );
    }
    return judged.data as T;
  }
}
