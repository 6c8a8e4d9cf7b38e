// The simulated Proxmox VE cluster behind the real HTTP API: startMock() is the entry point.
import { Auth } from "./auth.ts";
import { generateCertificate } from "./cert.ts";
import { dispatch, type RecordedRequest } from "./dispatch.ts";
import { Faults } from "./faults.ts";
import { describe, type RouteDescription, Router } from "./router.ts";
import { allRoutes } from "./routes/index.ts";
import { AUDITOR_PASSWORD, LOCAL_NODE, ROOT_PASSWORD, seedCluster, TOKEN_SECRET } from "./seed.ts";
import { listen } from "./server.ts";
import type { ClusterState } from "./state.ts";
import { TaskManager } from "./tasks.ts";

export type { RecordedRequest } from "./dispatch.ts";
export { Faults } from "./faults.ts";
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
  /** PVE delays every 401 by ~3 s; default 0. */
  unauthorizedDelayMs?: number;
  /** Scale-out: total guests (extra ones get vmids from 1000) and nodes (pve4, ...). */
  guests?: number;
  nodes?: number;
  /** Called for every API request, after it was answered. */
  onRequest?: (req: RecordedRequest) => void;
  /** Optional request log (never stdout by default). */
  log?: (line: string) => void;
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
  const tasks = new TaskManager(state, faults, options.taskDurationMs ?? 1500);
  const mock = { state, tasks, faults, auth };
  const router = new Router(allRoutes);
  const requests: RecordedRequest[] = [];
  const cert = useTls ? generateCertificate() : undefined;
  const local = state.nodes.get(LOCAL_NODE);
  // The node answering is pve1: its fingerprint is the one clients see.
  if (cert && local) local.sslFingerprint = cert.fingerprint256;

  const listener = await listen(
    {
      hostname,
      port: options.port ?? 0,
      ...(cert ? { tls: { cert: cert.pem, key: cert.keyPem } } : {}),
    },
    async (req) => {
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
    },
  );
  const urlHost = hostname.includes(":") ? `[${hostname}]` : hostname;
  return {
    url: `${useTls ? "https" : "http"}://${urlHost}:${listener.port}`,
    host: hostname,
    port: listener.port,
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
    requests,
    ...(cert ? { certificate: { pem: cert.pem, fingerprint256: cert.fingerprint256 } } : {}),
    async stop() {
      tasks.shutdown();
      await listener.close();
    },
  };
}
