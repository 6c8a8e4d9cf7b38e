// GET /healthz: is the server up, which version, for how long, and can it reach Proxmox. The
// reachability is one GET /version through the shared client, bounded and cached for a few
// seconds so a busy load balancer does not turn into load on the cluster. It names no host,
// user or error text: only the outcome.

import type { PveClient } from "../pve/index.ts";
import { PveError } from "../pve/index.ts";

export type ProxmoxState = "ok" | "auth_failed" | "error" | "unreachable" | "unknown";

export interface ProxmoxHealth {
  state: ProxmoxState;
  checked_at?: string;
  latency_ms?: number;
}

export interface HealthProbeOptions {
  /** How long an answer is reused. */
  ttlMs?: number;
  /** Bound of one check; past it Proxmox counts as unreachable. */
  timeoutMs?: number;
}

/** The cached reachability of Proxmox; concurrent askers share one check in flight. */
export function proxmoxProbe(
  pve: () => PveClient,
  { ttlMs = 5000, timeoutMs = 2000 }: HealthProbeOptions = {},
): () => Promise<ProxmoxHealth> {
  let last: { at: number; health: ProxmoxHealth } | undefined;
  let running: Promise<ProxmoxHealth> | undefined;
  const check = async (): Promise<ProxmoxHealth> => {
    const started = performance.now();
    let state: ProxmoxState;
    try {
      await pve().get("/version", undefined, { signal: AbortSignal.timeout(timeoutMs) });
      state = "ok";
    } catch (error) {
      state = classify(error);
    }
    const health = {
      state,
      checked_at: new Date().toISOString(),
      latency_ms: Math.round(performance.now() - started),
    };
    last = { at: Date.now(), health };
    return health;
  };
  return () => {
    if (last && Date.now() - last.at < ttlMs) return Promise.resolve(last.health);
    running ??= check().finally(() => {
      running = undefined;
    });
    return running;
  };
}

function classify(error: unknown): ProxmoxState {
  if (error instanceof PveError) {
    return error.status === 401 || error.status === 403 ? "auth_failed" : "error";
  }
  return "unreachable"; // no answer: refused, DNS, TLS, timeout
}

export interface HealthReport {
  name: string;
  version: string;
  startedAt: number;
  sessions: Record<string, number>;
  shuttingDown: boolean;
  proxmox: () => Promise<ProxmoxHealth>;
}

/** 200 while serving (even with Proxmox down: restarting us would not help); 503 when stopping. */
export async function healthResponse(report: HealthReport): Promise<Response> {
  const proxmox: ProxmoxHealth = report.shuttingDown
    ? { state: "unknown" }
    : await report.proxmox();
  const status = report.shuttingDown ? "stopping" : proxmox.state === "ok" ? "ok" : "degraded";
  return Response.json(
    {
      status,
      name: report.name,
      version: report.version,
      uptime_s: Math.round((Date.now() - report.startedAt) / 1000),
      sessions: report.sessions,
      proxmox,
    },
    {
      status: report.shuttingDown ? 503 : 200,
      headers: { "Cache-Control": "no-store" },
    },
  );
}
