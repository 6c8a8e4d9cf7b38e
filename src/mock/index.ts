// The simulated Proxmox VE cluster behind the real HTTP API: startMock() is the entry point.
import { apiViewer } from "./api-viewer.ts";
import { Auth } from "./auth.ts";
import { generateCertificate } from "./cert.ts";
import { ConfigLocks } from "./config-locks.ts";
import { Consoles } from "./consoles.ts";
import { dispatch, type IncomingRequest, type RecordedRequest } from "./dispatch.ts";
import { Faults } from "./faults.ts";
import type { MockResponse } from "./http.ts";
import { describe, type RouteDescription, Router } from "./router.ts";
import { allRoutes } from "./routes/index.ts";
import { AUDITOR_PASSWORD, LOCAL_NODE, ROOT_PASSWORD, seedCluster, TOKEN_SECRET } from "./seed.ts";
import { type Listener, listen, type UpgradeHandler } from "./server.ts";
import type { ClusterState } from "./state.ts";
import { TaskManager } from "./tasks.ts";

export type { RecordedRequest } from "./dispatch.ts";
export { Faults } from "./faults.ts";
export { NOT_SIMULATED } from "./not-simulated.ts";
export type * from "./state.ts";

export interface MockOptions {
  /** Default true: HTTPS with a self-signed certificate generated at start. */
  tls?: boolean;
  /** Default "127.0.0.1". */
  hostname?: string;
  /** Default 0: a random free port. */
  port?: number;
  /** How long a normal task runs (default 1500); long ones (clone, migrate, ...) take 2x. */
  taskDurationMs?: number;
  /** Default 7200. */
  ticketLifetimeSec?: number;
  /**
   * PVE's 10 s wait for a guest's config lock (a config edit while a worker holds it); the
   * other lock waits scale with it. Default 10000.
   */
  lockTimeoutMs?: number;
  /** PVE delays every 401 by ~3 s; default 0. */
  unauthorizedDelayMs?: number;
  /** Scale-out: total guests (extra ones get vmids from 1000) and nodes (pve4, ...). */
  guests?: number;
  nodes?: number;
  /** Called for every API request, after it was answered. */
  onRequest?: (req: RecordedRequest) => void;
  /** Optional request log (never stdout by default). */
  log?: (line: string) => void;
  /**
   * The API schema served in /pve-docs/api-viewer/apidoc.js (tests: the official one); by
   * default one generated from the mock's own routes.
   */
  apiSchemaFile?: string;
  /** False: a host without the pve-docs package, whose schema path answers 404. */
  pveDocs?: boolean;
}

export interface MockServer {
  /** e.g. "https://127.0.0.1:40123" (no /api2/json). */
  url: string;
  host: string;
  port: number;
  tls: boolean;
  credentials: {
    user: string;
    password: string;
    tokenId: string;
    tokenSecret: string;
    auditorUser: string;
    auditorPassword: string;
  };
  /** The live state, to inspect and to arrange. */
  state: ClusterState;
  faults: Faults;
  /** Every request, in order (clear with requests.length = 0). */
  requests: RecordedRequest[];
  /** With tls: the certificate, to trust (`ca`) or pin. */
  certificate?: { pem: string; fingerprint256: string };
  /** How often the API viewer (/pve-docs/api-viewer/apidoc.js, not in `requests`) was asked. */
  readonly apiSchemaRequests: number;
  /** termproxy listeners and connected consoles (tests move `consoles.now` to age tickets). */
  consoles: Consoles;
  /** Fault: closes the port and every open connection (clients get "connection refused"). */
  stopListening(): Promise<void>;
  /** Listens again on the same port, with the same state: the cluster "comes back". */
  listenAgain(): Promise<void>;
  stop(): Promise<void>;
}

/** Every route of the mock as [{method, path, description, parameters, permissions}]. */
export function describeRoutes(): RouteDescription[] {
  return describe(allRoutes);
}

export async function startMock(options: MockOptions = {}): Promise<MockServer> {
  const useTls = options.tls ?? true;
  const hostname = options.hostname ?? "127.0.0.1";
  const state = seedCluster({ nodes: options.nodes, guests: options.guests });
  const auth = new Auth(state, options.ticketLifetimeSec ?? 7200);
  const faults = new Faults(() => auth.rotateKey());
  const locks = new ConfigLocks((options.lockTimeoutMs ?? 10_000) / 10);
  const tasks = new TaskManager(state, faults, options.taskDurationMs ?? 1500, locks);
  const consoles = new Consoles(state, tasks, faults);
  const mock = { state, tasks, faults, auth, consoles, locks };
  const router = new Router(allRoutes);
  const requests: RecordedRequest[] = [];
  const cert = useTls ? generateCertificate() : undefined;
  const local = state.nodes.get(LOCAL_NODE);
  // The node answering is pve1: its fingerprint is the one clients see.
  if (cert && local) local.sslFingerprint = cert.fingerprint256;

  const listenOptions = {
    hostname,
    port: options.port ?? 0,
    ...(cert ? { tls: { cert: cert.pem, key: cert.keyPem } } : {}),
  };
  const viewer = apiViewer(allRoutes, {
    file: options.apiSchemaFile,
    installed: options.pveDocs,
  });
  let apiSchemaRequests = 0;
  const onRequest = async (req: IncomingRequest): Promise<MockResponse> => {
    const schema = viewer(req);
    if (schema) {
      apiSchemaRequests++;
      return schema;
    }
    const { response, record } = await dispatch(
      mock,
      router,
      { unauthorizedDelayMs: options.unauthorizedDelayMs ?? 0, log: options.log },
      req,
    );
    if (record) {
      requests.push(record);
      options.onRequest?.(record);
    }
    return response;
  };
  // A vncwebsocket upgrade runs its API call like any request, then goes to termproxy.
  const onUpgrade: UpgradeHandler = (req, socket, head) => {
    onRequest(req).then(
      (response) =>
        response.drop ? socket.destroy() : consoles.upgrade(req, response, socket, head),
      () => socket.destroy(),
    );
  };
  let listener: Listener | undefined = await listen(listenOptions, onRequest, onUpgrade);
  const port = listener.port;
  const urlHost = hostname.includes(":") ? `[${hostname}]` : hostname;
  return {
    url: `${useTls ? "https" : "http"}://${urlHost}:${port}`,
    host: hostname,
    port,
    tls: useTls,
    credentials: {
      user: "root@pam",
      password: ROOT_PASSWORD,
      tokenId: "root@pam!mcp",
      tokenSecret: TOKEN_SECRET,
      auditorUser: "auditor@pve",
      auditorPassword: AUDITOR_PASSWORD,
    },
    state,
    faults,
    consoles,
    requests,
    ...(cert ? { certificate: { pem: cert.pem, fingerprint256: cert.fingerprint256 } } : {}),
    get apiSchemaRequests() {
      return apiSchemaRequests;
    },
    async stopListening() {
      const current = listener;
      listener = undefined;
      await current?.close();
    },
    async listenAgain() {
      listener ??= await listen({ ...listenOptions, port }, onRequest, onUpgrade);
    },
    async stop() {
      tasks.shutdown();
      locks.shutdown();
      consoles.shutdown();
      await listener?.close();
      listener = undefined;
    },
  };
}
