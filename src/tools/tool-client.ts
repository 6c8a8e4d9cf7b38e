// The Proxmox client as one tool's handler sees it: it calls the endpoints the tool declares and
// nothing else. The types let a handler (and the helpers it passes its context to) name only
// declared endpoints; at run time a call outside the declaration, or with a parameter the
// declaration does not list, is refused before anything is sent.

import {
  type AnswerOf,
  type Authenticator,
  type CallArgs,
  declares,
  type Endpoint,
  type EndpointCaller,
  type EndpointRef,
  type RequestOptions,
  resolveCall,
} from "../pve/index.ts";

export interface ToolClient<E extends Endpoint = Endpoint> extends EndpointCaller<E> {
  /** Where the API is (console URLs for a browser). */
  readonly origin: string;
  /** Who the server acts as. */
  readonly auth: Pick<Authenticator, "kind" | "identity">;
}

/** A programming error: the tool calls what its `endpoints` do not declare. */
export class UndeclaredCallError extends Error {
  override name = "UndeclaredCallError";
}

/** The declarations of one tool, by `METHOD template`, for the check on every call. */
export function declarationsOf(refs: readonly EndpointRef[]): ReadonlyMap<string, string[]> {
  return new Map(refs.map((r) => [`${r.method} ${r.path}`, [...(r.params ?? [])]]));
}

export function limitTo(
  pve: ToolClient,
  tool: string,
  declared: ReadonlyMap<string, readonly string[]>,
): ToolClient {
  return {
    origin: pve.origin,
    auth: pve.auth,
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
