// The Proxmox client as one tool's handler sees it: it calls the endpoints the tool declares and
// nothing else. The types let a handler (and the helpers it passes its context to) name only
// declared endpoints; at run time a call outside the declaration, or with a parameter the
// declaration does not list, is refused before anything is sent. Arbitrary paths (the raw API)
// are sent only by the tools that say so (callerPaths).

import {
  type AnswerOf,
  type Authenticator,
  type CallArgs,
  declares,
  type Endpoint,
  type EndpointCaller,
  type EndpointRef,
  type Inventory,
  type RequestOptions,
  resolveCall,
  type Scope,
} from "../pve/index.ts";
import type { RawApi } from "./api-access.ts";

export interface ToolClient<E extends Endpoint = Endpoint> extends EndpointCaller<E> {
  /** Where the API is (console URLs for a browser). */
  readonly origin: string;
  /** Who the server acts as. */
  readonly auth: Pick<Authenticator, "kind" | "identity">;
  /** What the server may touch (the client's guard holds every request to it). */
  readonly scope: Scope;
  /** The client's guest index, behind vmid-only calls (resolveGuest). */
  readonly inventory: Pick<Inventory, "guest" | "guests">;
}

/** A programming error: the tool calls what its `endpoints` do not declare. */
export class UndeclaredCallError extends Error {
  override name = "UndeclaredCallError";
}

/** The declarations of one tool, by `METHOD template`, for the check on every call. */
export function declarationsOf(refs: readonly EndpointRef[]): ReadonlyMap<string, string[]> {
  return new Map(refs.map((r) => [`${r.method} ${r.path}`, [...(r.params ?? [])]]));
}

/** The raw API's access for a tool that does not call caller-named paths: schema, no sending. */
export function readOnlyApi(api: RawApi, tool: string): RawApi {
  return {
    refusal: api.refusal,
    schema: api.schema,
    request: async (method, path) => {
      throw new UndeclaredCallError(
        `${tool} sends ${method} ${path} through the raw API, which only tools with callerPaths may; nothing was sent`,
      );
    },
  };
}

export function limitTo(
  pve: ToolClient,
  tool: string,
  declared: ReadonlyMap<string, readonly string[]>,
): ToolClient {
  return {
    origin: pve.origin,
    auth: pve.auth,
    scope: pve.scope,
    inventory: pve.inventory,
    call<X extends Endpoint>(
      endpoint: X,
      args: CallArgs<X>,
      options?: RequestOptions,
    ): Promise<AnswerOf<X>> {
      const { method, template, params } = resolveCall(endpoint, args);
      const allowed = declared.get(`${method} ${template}`);
      const extra = Object.keys(params).filter((p) => !allowed || !declares(allowed, p));
      if (!allowed || extra.length > 0) {
        const what = allowed ? ` with ${extra.join(", ")}` : "";
        throw new UndeclaredCallError(
          `${tool} calls ${method} ${template}${what}, which its endpoints do not declare; nothing was sent`,
        );
      }
      return pve.call(endpoint, args, options);
    },
  };
}
