// Typed endpoints: one value names an API endpoint (method and path template as the API schema
// spells them), the parameters this project sends to it and the shape of its answer. The value
// that declares a tool's endpoints is the value the tool calls, so the two cannot drift; the
// path is built from the template, every segment checked (path.ts), and a parameter the value
// does not declare is refused before anything is sent.

import type { Method, RequestOptions } from "./client.ts";
import { InvalidSegmentError, type SegmentKind, segment } from "./path.ts";
import type { GuestType } from "./resources.ts";
import type { Params, ParamValue } from "./transport.ts";

declare const SHAPE: unique symbol;
declare const CALLS: unique symbol;

/**
 * `{kind}` in a template stands for both guest kinds: /nodes/{node}/{kind}/{vmid}/config is
 * …/qemu/… and …/lxc/…. No PVE parameter is named `kind`, so it cannot shadow a real one.
 */
const KIND = "{kind}";
const GUEST_TYPES: readonly GuestType[] = ["qemu", "lxc"];

export interface Endpoint<
  M extends Method = Method,
  P extends string = string,
  Q extends string = string,
  R = unknown,
> {
  readonly method: M;
  /** As the API schema spells it; a `{kind}` segment stands for the guest kinds in `kinds`. */
  readonly path: P;
  /** What may be sent besides the path's values, by the API's names; `net[n]` is net0, net1… */
  readonly params: readonly string[];
  /** The guest kinds a `{kind}` template is declared for (empty for other templates). */
  readonly kinds: readonly GuestType[];
  /** The same endpoint, declared to send only these parameters (what one tool sends). */
  sending(...params: readonly Q[]): Endpoint<M, P, Q, R>;
  /** The same `{kind}` endpoint, declared for one kind of guest only. */
  only(kind: GuestType): Endpoint<M, P, Q, R>;
  /** Type-level only: the parameter names and the answer's shape. */
  readonly [SHAPE]?: { params: Q; answer: R };
}

/** The template of one concrete endpoint, as `ToolDef.endpoints` and `--check-api` list it. */
export interface EndpointRef {
  method: Method;
  /** e.g. /nodes/{node}/qemu/{vmid}/status/start */
  path: string;
  /** Parameters the tool may send, by the API's names (path parameters are not listed). */
  params?: readonly string[];
}

/** A phantom that gives an endpoint its answer's type: `endpoint("GET", p, [], answer<T>())`. */
export interface Answer<R> {
  readonly [SHAPE]?: R;
}
export const answer = <R>(): Answer<R> => ({});

export function endpoint<
  M extends Method,
  P extends string,
  const Q extends string = never,
  R = unknown,
>(method: M, path: P, params: readonly Q[] = [], _answer?: Answer<R>): Endpoint<M, P, Q, R> {
  const shadowed = params.filter((p) => path.includes(`{${p}}`));
  if (shadowed.length > 0) throw new Error(`${method} ${path}: ${shadowed} is in the path`);
  return make(method, path, params, path.includes(KIND) ? GUEST_TYPES : []);
}

function make<M extends Method, P extends string, Q extends string, R>(
  method: M,
  path: P,
  params: readonly string[],
  kinds: readonly GuestType[],
): Endpoint<M, P, Q, R> {
  return Object.freeze({
    method,
    path,
    params: Object.freeze([...params]),
    kinds: Object.freeze([...kinds]),
    sending(...names: readonly Q[]) {
      const unknown = names.filter((n) => !params.includes(n));
      if (unknown.length > 0) {
        throw new Error(`${method} ${path} does not take ${unknown.join(", ")}`);
      }
      return make<M, P, Q, R>(method, path, names, kinds);
    },
    only(kind: GuestType) {
      if (!kinds.includes(kind)) throw new Error(`${method} ${path} is not one for ${kind}`);
      return make<M, P, Q, R>(method, path, params, [kind]);
    },
  });
}

type PathParam<P extends string> = P extends `${string}{${infer K}}${infer Rest}`
  ? K | PathParam<Rest>
  : never;
type WireName<Q extends string> = Q extends `${infer Base}[n]` ? `${Base}${number}` : Q;

/** What a call passes: the template's values (all required) and the endpoint's parameters. */
export type CallArgs<X> =
  X extends Endpoint<Method, infer P, infer Q, unknown>
    ? { readonly [K in PathParam<P>]: K extends "kind" ? GuestType : string | number } & {
        readonly [K in WireName<Q>]?: ParamValue;
      }
    : never;

/** The parameter names an endpoint declares (`net[n]` as written). */
export type ParamOf<X> = X extends Endpoint<Method, string, infer Q, unknown> ? Q : never;

export type AnswerOf<X> = X extends Endpoint<Method, string, string, infer R> ? R : never;

/** Whatever can call endpoints of `E`: the client (any endpoint), or a tool's limited view. */
export interface EndpointCaller<E extends Endpoint = Endpoint> {
  call<X extends E>(endpoint: X, args: CallArgs<X>, options?: RequestOptions): Promise<AnswerOf<X>>;
  /**
   * Type-level only: a caller of more endpoints stands in for a caller of fewer, never the
   * reverse, so a helper typed by what it calls accepts only contexts that declared it.
   */
  readonly [CALLS]?: (endpoint: E) => void;
}

/** One call made concrete: the path to send, its template and the parameters, all checked. */
export interface ResolvedCall {
  method: Method;
  /** The concrete endpoint's template (`{kind}` replaced by the guest's kind). */
  template: string;
  path: string;
  params: Params;
}

/** How each template value is checked; anything not named here is a plain id. */
const SEGMENT_KINDS: Record<string, SegmentKind> = {
  node: "node",
  vmid: "vmid",
  storage: "storage",
  snapname: "snapname",
  upid: "upid",
  volume: "volume",
};

const PLACEHOLDER = /\{([^}]+)\}/g;

/** Builds the path from the template and keeps the declared parameters; throws on anything else. */
export function resolveCall(ep: Endpoint, args: Readonly<Record<string, unknown>>): ResolvedCall {
  const used = new Set<string>();
  let template = ep.path;
  const path = ep.path.replace(PLACEHOLDER, (_, name: string) => {
    used.add(name);
    const value = args[name];
    if (name === "kind") {
      if (value !== "qemu" && value !== "lxc") {
        throw new InvalidSegmentError(
          `invalid kind ${JSON.stringify(value)}: expected qemu or lxc`,
        );
      }
      if (!ep.kinds.includes(value)) {
        throw new Error(`${ep.method} ${ep.path} is not declared for ${value}`);
      }
      template = template.replace(KIND, value);
      return value;
    }
    if (typeof value !== "string" && typeof value !== "number") {
      throw new InvalidSegmentError(`missing ${name} for ${ep.method} ${ep.path}`);
    }
    return segment(SEGMENT_KINDS[name] ?? "id", value);
  });
  const params: Params = {};
  for (const [name, value] of Object.entries(args)) {
    if (used.has(name) || value === undefined || value === null) continue;
    if (!declares(ep.params, name)) {
      throw new Error(`${ep.method} ${template} does not declare the parameter ${name}`);
    }
    params[name] = value as ParamValue;
  }
  return { method: ep.method, template, path, params };
}

/** `net0` is declared by `net[n]`. */
export const declares = (params: readonly string[], name: string): boolean =>
  params.includes(name) || params.includes(name.replace(/\d+$/, "[n]"));

/** The concrete templates of endpoints, one per guest kind of a `{kind}` one, merged by template. */
export function endpointRefs(endpoints: readonly Endpoint[]): EndpointRef[] {
  const byKey = new Map<string, { method: Method; path: string; params: Set<string> }>();
  for (const ep of endpoints) {
    const paths = ep.path.includes(KIND)
      ? ep.kinds.map((k) => ep.path.replace(KIND, k))
      : [ep.path];
    for (const path of paths) {
      const key = `${ep.method} ${path}`;
      const ref = byKey.get(key) ?? { method: ep.method, path, params: new Set<string>() };
      for (const p of ep.params) ref.params.add(p);
      byKey.set(key, ref);
    }
  }
  return [...byKey.values()].map((r) => ({
    method: r.method,
    path: r.path,
    params: [...r.params],
  }));
}

/** An endpoint of one guest: `/nodes/{node}/{kind}/{vmid}` and the suffix, for both kinds. */
export function guestEndpoint<
  M extends Method,
  S extends string,
  const Q extends string = never,
  R = unknown,
>(
  method: M,
  suffix: S,
  params: readonly Q[] = [],
  _answer?: Answer<R>,
): Endpoint<M, `/nodes/{node}/{kind}/{vmid}${S}`, Q, R> {
  return endpoint(method, `/nodes/{node}/{kind}/{vmid}${suffix}` as const, params, _answer);
}

/** The path values of a guest endpoint's call: `call(GUEST_CONFIG, { ...guestAt(guest) })`. */
export const guestAt = (g: { node: string; type: GuestType; vmid: number }) => ({
  node: g.node,
  kind: g.type,
  vmid: g.vmid,
});
