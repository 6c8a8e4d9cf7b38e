// The task engine: every tool that starts a UPID waits here. It polls the status with backoff,
// reads the log incrementally (each new line goes to the call's log at info), reports progress,
// and stops waiting on cancel or at its bound. A wait survives a blip: when Proxmox stops
// answering (pveproxy restarts for a few seconds on every upgrade) it retries with backoff for a
// bounded time, then says what was started, that it may still be running and how to follow it.

import { callLog } from "./call-log.ts";
import type { EndpointCaller } from "./endpoint.ts";
import {
  type LogLine,
  TASK_LOG,
  TASK_STATUS,
  TASK_STOP,
  type TaskStatus,
} from "./endpoints/tasks.ts";
import { PveConnectionError, PveError } from "./errors.ts";
import { segment } from "./path.ts";
import { parseUpid } from "./upid.ts";

export type { LogLine, TaskStatus } from "./endpoints/tasks.ts";

/** What waiting for a task calls: its status and its log. */
export type TaskReader = EndpointCaller<typeof TASK_STATUS | typeof TASK_LOG>;

export interface Progress {
  /** The task being waited for. */
  upid: string;
  /** 0..100 when the log says it (clone, migrate, vzdump, download lines). */
  percent?: number;
  message: string;
  elapsedMs: number;
}

export interface TaskOutcome {
  upid: string;
  node: string;
  type: string;
  id: string;
  /** Still running when the wait ended (bound reached or cancelled). */
  running: boolean;
  /** OK, `WARNINGS: N`, or the error text; absent while running. */
  exitstatus?: string;
  ok: boolean;
  elapsedMs: number;
  /** Last log lines (always on failure). */
  logTail: string[];
  waitEnded: "finished" | "timeout" | "cancelled";
}

export interface WaitOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  onProgress?: (progress: Progress) => void;
  /** First poll interval; grows ×1.5 up to maxPollMs. */
  pollMs?: number;
  maxPollMs?: number;
  tailLines?: number;
  /** How long Proxmox may stay unreachable before the wait gives up (ms; default 30 s). */
  reconnectMs?: number;
}

export const DEFAULT_RECONNECT_MS = 30_000;

/** The wait lost Proxmox for longer than it may: the task was started and may still run. */
export class TaskWaitLostError extends Error {
  override name = "TaskWaitLostError";
  readonly hint: string;
  constructor(
    readonly upid: string,
    lostMs: number,
    cause: string,
  ) {
    super(
      `lost Proxmox while waiting for task ${upid} (${explainUpid(upid)}): no answer for ${Math.round(lostMs / 1000)} s (${cause}). The task was started and may still be running.`,
    );
    this.hint = `Follow it once Proxmox answers again: get_task_status or wait_for_task with upid "${upid}". pveproxy restarts for a few seconds on upgrades; a longer outage means the host or network is down.`;
  }
}

/** `qmclone of 100 on node pve1, started 2026-12-02T11:38:00Z by root@pam`, from the UPID alone. */
export function explainUpid(upid: string): string {
  const u = parseUpid(upid);
  if (!u) return "not a valid UPID";
  const target = u.id ? ` of ${u.id}` : "";
  const started = new Date(u.starttime * 1000).toISOString().replace(".000Z", "Z");
  return `${u.type}${target} on node ${u.node}, started ${started} by ${u.user}`;
}

/** The path values of a task's endpoints: its node (from the UPID) and the UPID. */
export function taskAt(upid: string): { node: string; upid: string } {
  const parsed = parseUpid(upid);
  if (!parsed) segment("upid", upid); // throws the explanatory error
  return { node: parsed?.node ?? "", upid };
}

export function getTaskStatus(
  pve: EndpointCaller<typeof TASK_STATUS>,
  upid: string,
  signal?: AbortSignal,
): Promise<TaskStatus> {
  return pve.call(TASK_STATUS, taskAt(upid), { signal });
}

export function readTaskLog(
  pve: EndpointCaller<typeof TASK_LOG>,
  upid: string,
  start = 0,
  limit = 50,
  signal?: AbortSignal,
): Promise<LogLine[]> {
  return pve.call(TASK_LOG, { ...taskAt(upid), start, limit }, { signal });
}

/** The last `count` lines of a task log (PVE has no tail parameter: read the total first). */
export async function tailTaskLog(
  pve: EndpointCaller<typeof TASK_LOG>,
  upid: string,
  count: number,
): Promise<string[]> {
  const all = await readTaskLog(pve, upid, 0, 0);
  return all.slice(-count).map((l) => l.t);
}

/** Stops a running task (DELETE …/tasks/{upid}); PVE ends it with "interrupted by signal". */
export function stopTask(pve: EndpointCaller<typeof TASK_STOP>, upid: string): Promise<unknown> {
  return pve.call(TASK_STOP, taskAt(upid));
}

export const isTaskOk = (exitstatus?: string): boolean =>
  exitstatus === "OK" || /^WARNINGS: \d+$/.test(exitstatus ?? "");

/**
 * Task types whose worker PVE cleans up after when it is stopped (a clone's half-made guest, a
 * backup's partial archive go away): clone, migrate, backup, restore, download.
 */
export const CLEANS_UP_WHEN_STOPPED: ReadonlySet<string> = new Set([
  "qmclone",
  "vzclone",
  "qmigrate",
  "vzmigrate",
  "vzdump",
  "qmrestore",
  "vzrestore",
  "download",
]);

/** Task types whose log counts in percent: those above, disk moves and uploads. */
export const LOGS_PERCENT: ReadonlySet<string> = new Set([
  ...CLEANS_UP_WHEN_STOPPED,
  "qmmove",
  "move_volume",
  "imgcopy",
]);

/** Percent from PVE progress lines: `(5.70%)`, `transferred … (100.00%)`, `INFO:  12% (…)`, wget ` 23% `. */
export function percentOf(line: string): number | undefined {
  const m = /\((\d{1,3}(?:\.\d+)?)%\)|\b(\d{1,3}(?:\.\d+)?)%/.exec(line);
  const value = Number(m?.[1] ?? m?.[2]);
  return m && value >= 0 && value <= 100 ? value : undefined;
}

export async function waitForTask(
  pve: TaskReader,
  upid: string,
  options: WaitOptions,
): Promise<TaskOutcome> {
  const parsed = parseUpid(upid);
  const started = performance.now();
  const deadline = started + options.timeoutMs;
  const log = callLog();
  const label = parsed ? `${parsed.type}${parsed.id ? ` ${parsed.id}` : ""}` : "task";
  const poll = statusPoller(pve, upid, options);
  let interval = options.pollMs ?? 250;
  let logRead = 0;
  let percent: number | undefined;
  let latest = "";
  let status: TaskStatus | undefined;
  let waitEnded: TaskOutcome["waitEnded"] = "finished";

  while (true) {
    if (options.signal?.aborted) {
      waitEnded = "cancelled";
      break;
    }
    status = (await poll(deadline)) ?? status;
    if (options.signal?.aborted) continue;
    if (status && (options.onProgress || log)) {
      const lines = await readTaskLog(pve, upid, logRead, 500, options.signal).catch(() => []);
      const fresh = lines.filter((l) => l.n > logRead && l.t !== "no content");
      if (fresh.length > 0) {
        logRead = fresh[fresh.length - 1]?.n ?? logRead;
        latest = fresh[fresh.length - 1]?.t ?? latest;
        for (const l of fresh) {
          percent = percentOf(l.t) ?? percent;
          log?.line("info", `${label}: ${l.t}`);
        }
      }
      // A heartbeat on every poll: percent when the log tells it, else time and the last line.
      const elapsedMs = performance.now() - started;
      const seconds = `${Math.round(elapsedMs / 1000)} s`;
      options.onProgress?.({
        upid,
        percent,
        message: latest ? `${seconds}: ${latest}` : `${seconds}: ${status.type} running`,
        elapsedMs,
      });
    }
    if (status?.status === "stopped") break;
    const left = deadline - performance.now();
    if (left <= 0) {
      waitEnded = "timeout";
      break;
    }
    await sleep(Math.min(interval, left), options.signal);
    interval = Math.min(interval * 1.5, options.maxPollMs ?? 2000);
  }

  const running = status?.status !== "stopped";
  const ok = !running && isTaskOk(status?.exitstatus);
  const logTail =
    !running && !ok ? await tailTaskLog(pve, upid, options.tailLines ?? 10).catch(() => []) : [];
  return {
    upid,
    node: status?.node ?? parsed?.node ?? "",
    type: status?.type ?? parsed?.type ?? "",
    id: status?.id ?? parsed?.id ?? "",
    running,
    exitstatus: running ? undefined : status?.exitstatus,
    ok,
    elapsedMs: Math.round(performance.now() - started),
    logTail,
    waitEnded,
  };
}

/** Statuses that mean "Proxmox (or the node behind it) is not answering right now". */
const UNREACHABLE = new Set([502, 503, 595, 596]);

function unreachable(error: unknown): string | undefined {
  if (error instanceof PveError) return UNREACHABLE.has(error.status) ? error.message : undefined;
  if (error instanceof PveConnectionError && error.method === "GET") return error.message;
  return undefined;
}

/**
 * Reads the task's status; while Proxmox does not answer, retries with backoff (0.5 s doubling
 * to 2 s) until it does, the wait's deadline passes (undefined: the caller ends the wait as it
 * would on time) or the outage outlasts reconnectMs (TaskWaitLostError). Cancel returns at once.
 */
function statusPoller(pve: TaskReader, upid: string, options: WaitOptions) {
  const reconnectMs = options.reconnectMs ?? DEFAULT_RECONNECT_MS;
  return async (deadline: number): Promise<TaskStatus | undefined> => {
    let lostSince: number | undefined;
    let backoff = 500;
    while (true) {
      try {
        const status = await getTaskStatus(pve, upid, options.signal);
        if (lostSince !== undefined) {
          const s = Math.round((performance.now() - lostSince) / 1000);
          callLog()?.line("info", `Proxmox answers again after ${s} s; still waiting for ${upid}`);
        }
        return status;
      } catch (error) {
        if (options.signal?.aborted) return undefined;
        const cause = unreachable(error);
        if (cause === undefined) throw error;
        const now = performance.now();
        if (lostSince === undefined) {
          lostSince = now;
          callLog()?.line(
            "warning",
            `lost Proxmox while waiting for ${upid} (${cause}); retrying for up to ${Math.round(reconnectMs / 1000)} s`,
          );
        }
        if (now - lostSince >= reconnectMs)
          throw new TaskWaitLostError(upid, now - lostSince, cause);
        if (now >= deadline) return undefined;
        const pause = Math.min(backoff, deadline - now, lostSince + reconnectMs - now);
        await sleep(Math.max(pause, 0), options.signal);
        backoff = Math.min(backoff * 2, 2000);
      }
    }
  };
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
  });
}
