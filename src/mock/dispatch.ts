// One request through PVE's pipeline: faults, auth, route, permissions, proxying, validation, handler.
import { tokenRefused } from "./auth.ts";
import { fail, PveError, paramError, permissionDenied, unauthorized } from "./errors.ts";
import { errorResponse, type MockResponse, okResponse, plainError } from "./http.ts";
import { notSimulated } from "./not-simulated.ts";
import { addRaw, type RawParams, rawFromJson, validateParams } from "./params.ts";
import { hasPriv, type Principal } from "./perms.ts";
import { fillPath, type MockContext, type Router } from "./router.ts";
import { LOCAL_NODE } from "./seed.ts";

export interface IncomingRequest {
  method: string;
  /** Path and query, e.g. /api2/json/nodes?x=1. */
  url: string;
  headers: Headers;
  body: string;
}

export interface RecordedRequest {
  method: string;
  /** After /api2/json, e.g. /nodes/pve1/qemu/100/status/start. */
  path: string;
  params: Record<string, string | string[]>;
  /** 0: the connection was cut without an answer (fault injection). */
  status: number;
}

export interface DispatchOptions {
  unauthorizedDelayMs: number;
  log?: (line: string) => void;
}

const PREFIX = "/api2/json";
/** No answer at all: the listener cuts the connection. */
const DROPPED: MockResponse = { status: 0, reason: "", headers: {}, body: "", drop: true };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function dispatch(
  mock: MockContext,
  router: Router,
  opts: DispatchOptions,
  req: IncomingRequest,
): Promise<{ response: MockResponse; record?: RecordedRequest }> {
  const url = new URL(req.url, "http://mock");
  if (!url.pathname.startsWith(`${PREFIX}/`) && url.pathname !== PREFIX) {
    return { response: plainError(501, `Unknown path '${url.pathname}'`) };
  }
  const path = url.pathname.slice(PREFIX.length) || "/";
  const method = req.method.toUpperCase();
  if (mock.faults.takeDrop(method, path)) {
    opts.log?.(`${method} ${path} dropped (fault)`);
    return { response: DROPPED, record: { method, path, params: {}, status: 0 } };
  }
  let raw: RawParams = {};
  let response: MockResponse;
  try {
    if (mock.faults.latencyMs > 0) await sleep(mock.faults.latencyMs);
    const spike = mock.faults.takeLatencySpike(method, path);
    if (spike > 0) await sleep(spike);
    const fault = mock.faults.takeHttpFault(method, path);
    if (fault) throw new PveError(fault.status, fault.reason, undefined, true);
    raw = readParams(url, req);
    response = okResponse(await handle(mock, router, method, path, raw, req));
  } catch (e) {
    if (e instanceof PlainFailure) response = plainError(e.status, e.message, e.message !== "");
    else if (e instanceof PveError) response = errorResponse(e);
    else {
      opts.log?.(`mock: internal error on ${method} ${path}: ${String(e)}`);
      response = errorResponse(fail(e instanceof Error ? e.message : String(e)));
    }
    // PVE delays every 401 to slow down password guessing.
    if (response.status === 401 && opts.unauthorizedDelayMs > 0) {
      await sleep(opts.unauthorizedDelayMs);
    }
  }
  opts.log?.(`${method} ${path} ${response.status} ${response.reason}`);
  return { response, record: { method, path, params: raw, status: response.status } };
}

/** Failures of the HTTP layer: plain-text body (or none), not the JSON envelope. */
class PlainFailure extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function readParams(url: URL, req: IncomingRequest): RawParams {
  const method = req.method.toUpperCase();
  if (method === "HEAD") throw new PlainFailure(501, "method 'HEAD' not available");
  const raw: RawParams = {};
  if (req.body !== "") {
    if (method === "GET") throw new PlainFailure(501, `Unexpected content for method '${method}'`);
    const type = req.headers.get("content-type") ?? "";
    if (type.includes("application/json")) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(req.body);
      } catch (e) {
        throw new PlainFailure(500, `malformed JSON string: ${(e as Error).message}`);
      }
      Object.assign(raw, rawFromJson(parsed));
    } else {
      for (const [k, v] of new URLSearchParams(req.body)) addRaw(raw, k, v);
    }
  }
  // Query parameters merge in and win over the body.
  const query: RawParams = {};
  for (const [k, v] of url.searchParams) addRaw(query, k, v);
  return { ...raw, ...query };
}

async function handle(
  mock: MockContext,
  router: Router,
  method: string,
  path: string,
  raw: RawParams,
  req: IncomingRequest,
): Promise<unknown> {
  const isLogin = path === "/access/ticket";
  let who: Principal = { userid: "" };
  let via: "ticket" | "token" | "none" = "none";
  if (isLogin) {
    if (/^PVEAPIToken/.test(req.headers.get("authorization") ?? "")) throw tokenRefused(path);
  } else {
    const auth = mock.auth.authenticate(req.headers, method);
    if (!auth) throw unauthorized("No ticket");
    who = auth.who;
    via = auth.via;
  }
  const found = router.match(method, path);
  if (!found) {
    if (method === "GET" && notSimulated(path)) {
      throw new PveError(501, `Method '${method} ${path}' not implemented by the simulator`);
    }
    throw new PveError(501, `Method '${method} ${path}' not implemented`);
  }
  const { route, pathParams } = found;
  if (via === "token" && route.allowtoken === false) throw tokenRefused(path);

  const conflicts: Record<string, string> = {};
  for (const [k, v] of Object.entries(pathParams)) {
    if (raw[k] !== undefined && raw[k] !== v) {
      conflicts[k] = "duplicate parameter (already defined in URI) with conflicting values!";
    }
  }
  if (Object.keys(conflicts).length > 0) throw paramError(conflicts);
  const all: RawParams = { ...raw, ...pathParams };

  if (route.permission === "root" && (who.userid !== "root@pam" || who.tokenid)) {
    throw new PveError(403, "Permission check failed (user != root@pam)");
  }
  if (typeof route.permission !== "string") {
    for (const check of route.permission) {
      const target = fillPath(check.path, all);
      if (!hasPriv(mock.state, who, target, check.privs, check.any)) {
        // An all-of check names the first privilege missing; an any-of check all of them.
        const missing = check.any
          ? check.privs
          : check.privs.filter((p) => !hasPriv(mock.state, who, target, [p])).slice(0, 1);
        throw permissionDenied(target, missing);
      }
    }
  }
  if (route.proxyto) {
    const name = all[route.proxyto];
    if (typeof name === "string" && name !== "localhost") {
      if (!mock.state.nodes.has(name)) {
        // A cluster node in another case (or its FQDN) resolves, but the proxied call checks the
        // peer's certificate by node name: it cannot, and AnyEvent says so as a 596.
        const short = name.toLowerCase().split(".")[0] ?? "";
        if (mock.state.nodes.has(short)) {
          throw new PveError(
            596,
            "Errors during TLS negotiation, request sending and header processing: error:0A000086:SSL routines::certificate verify failed",
            undefined,
            true,
          );
        }
        throw fail(
          `hostname lookup '${name}' failed - failed to get address info for: ${name}: Name or service not known`,
        );
      }
      // The receiving pveproxy cannot reach the node: AnyEvent::HTTP's pseudo-status.
      if (mock.faults.offlineNodes.has(name)) {
        throw new PveError(595, "No route to host", undefined, true);
      }
    }
  }
  const params = validateParams(route.parameters, all);
  if (params.node === "localhost") params.node = LOCAL_NODE;
  if (params.skiplock === true && (who.userid !== "root@pam" || who.tokenid)) {
    throw paramError({ skiplock: "Only root may use this option." });
  }
  return await route.handler({ mock, params, who, via, path });
}
