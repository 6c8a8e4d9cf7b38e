// The task engine: every tool that starts a UPID waits here. It polls the status with backoff,
// reads the log incrementally, reports progress, and stops waiting on cancel or at its bound.

import type { EndpointCaller } from "./endpoint.ts";
import {
  type LogLine,
  TASK_LOG,
  TASK_STATUS,
  TASK_STOP,
  type TaskStatus,
} from "./endpoints/tasks.ts";
import { segment } from "./path.ts";
import { parseUpid } from "./upid.ts";

export type { LogLine, TaskStatus } from "./endpoints/tasks.ts";

/** What waiting for a task calls: its status and its log. */
export type TaskReader = EndpointCaller<typeof TASK_STATUS | typeof TASK_LOG>;

export interface Progress {
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
    status = await getTaskStatus(pve, upid, options.signal).catch((error) => {
      if (options.signal?.aborted) return status;
      throw error;
    });
    if (options.onProgress && status) {
      const lines = await readTaskLog(pve, upid, logRead, 500).catch(() => []);
      const fresh = lines.filter((l) => l.n > logRead && l.t !== "no content");
      if (fresh.length > 0) {
        logRead = fresh[fresh.length - 1]?.n ?? logRead;
        latest = fresh[fresh.length - 1]?.t ?? latest;
        for (const l of fresh) percent = percentOf(l.t) ?? percent;
      }
      // A heartbeat on every poll: percent when the log tells it, else time and the last line.
      const elapsedMs = performance.now() - started;
      const seconds = `${Math.round(elapsedMs / 1000)} s`;
      options.onProgress({
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
