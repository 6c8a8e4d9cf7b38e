// Worker tasks: a UPID, a while "running" with a log that grows, then OK or an error.
import type { ConfigLocks, LockTarget } from "./config-locks.ts";
import { PveError, TaskFailure } from "./errors.ts";
import type { Faults } from "./faults.ts";
import type { Principal } from "./perms.ts";
import type { ClusterState, MockTask, TaskLogLine } from "./state.ts";
import { encodeUpid } from "./upid.ts";

export interface TaskSpec {
  node: string;
  type: string;
  id: string;
  who: Principal;
  /** Clone, migrate, vzdump, restore, download: twice the normal duration. */
  long?: boolean;
  /** Lines that appear while the task runs. */
  lines?: TaskLogLine[];
  /** A failure known at start: the task ends soon with this error. */
  error?: string;
  /** Applies the effect when the time is up; throws TaskFailure to fail; may return more lines. */
  finish?: () => string[] | undefined;
  /** Runs however the task ends (ok, error, interrupted): releases locks. */
  cleanup?: () => void;
  /** Runs until finishNow() (a console task lives as long as its connection), not for a set time. */
  untilFinished?: boolean;
  /**
   * The guest config lock the worker takes first (lock_config): it waits up to `timeoutSec`
   * (PVE's 10 s) for another worker to let go, and holds the lock until it ends, or only for
   * `begin` when `briefly` (the prepare step of a snapshot).
   */
  lock?: { target: LockTarget; shared?: boolean; timeoutSec?: number; briefly?: boolean };
  /** Runs once the worker holds its lock (at once without one); throws to fail the task. */
  begin?: () => string[] | undefined;
}

interface Running {
  spec: TaskSpec;
  timer?: ReturnType<typeof setTimeout>;
  /** Whether the worker holds its config lock now. */
  holding?: boolean;
}

export class TaskManager {
  private readonly running = new Map<string, Running>();
  private nextPid = 0x2a1b3;

  constructor(
    private readonly state: ClusterState,
    private readonly faults: Faults,
    private readonly baseDurationMs: number,
    private readonly locks: ConfigLocks,
  ) {}

  start(spec: TaskSpec): MockTask {
    const nowMs = Date.now();
    const starttime = Math.floor(nowMs / 1000);
    const bootTime = this.state.nodes.get(spec.node)?.bootTime ?? starttime - 86400;
    this.nextPid += 1 + ((this.nextPid * 7) % 97);
    const user = spec.who.userid;
    const task: MockTask = {
      upid: "",
      node: spec.node,
      pid: this.nextPid,
      // pstart counts clock ticks (100/s) since the node booted.
      pstart: (starttime - bootTime) * 100 + (this.nextPid % 100),
      starttime,
      type: spec.type,
      id: spec.id,
      user,
      ...(spec.who.tokenid ? { tokenid: spec.who.tokenid } : {}),
      status: "running",
      startedMs: nowMs,
      durationMs: this.durationFor(spec.long) * (spec.error ? 0.2 : 1),
      lines: spec.lines ?? [],
      finalLines: [],
    };
    task.upid = encodeUpid({
      ...task,
      user: spec.who.tokenid ? `${user}!${spec.who.tokenid}` : user,
    });
    this.state.tasks.push(task);
    const entry: Running = { spec };
    this.running.set(task.upid, entry);
    const lock = spec.lock;
    if (!lock || this.locks.tryAcquire(lock.target, lock.shared)) {
      entry.holding = lock !== undefined;
      this.run(task, entry);
      return task;
    }
    // lock_file_full prints this while flock blocks, and " OK" once it got the lock.
    task.waitLines = ["trying to acquire lock..."];
    this.locks.acquire(lock.target, lock.timeoutSec ?? 10, lock.shared).then(
      () => {
        if (!this.running.has(task.upid)) return this.locks.release(lock.target);
        entry.holding = true;
        task.waitLines = ["trying to acquire lock... OK"];
        this.run(task, entry);
      },
      (e: unknown) => this.end(task, e instanceof Error ? e.message : String(e), []),
    );
    return task;
  }

  /** The worker's own run, once it holds its lock: `begin`, then its time, then `finish`. */
  private run(task: MockTask, entry: Running): void {
    const spec = entry.spec;
    task.startedMs = Date.now();
    try {
      const lines = spec.begin?.() ?? [];
      task.waitLines = [...(task.waitLines ?? []), ...lines];
    } catch (e) {
      if (!(e instanceof TaskFailure || e instanceof PveError)) throw e;
      this.end(task, e.message, e instanceof TaskFailure ? e.lines : []);
      return;
    }
    if (spec.lock?.briefly && entry.holding) {
      entry.holding = false;
      this.locks.release(spec.lock.target);
    }
    if (!spec.untilFinished && !this.faults.hangTasks.has(spec.type)) {
      entry.timer = setTimeout(() => this.complete(task), task.durationMs);
    }
  }

  /** How long a task of this kind runs. */
  durationFor(long = false): number {
    return this.baseDurationMs * (long ? 2 : 1);
  }

  private complete(task: MockTask): void {
    const entry = this.running.get(task.upid);
    if (!entry) return;
    let error = entry.spec.error ?? this.faults.failTask.get(task.type);
    let extra: string[] = [];
    if (error === undefined) {
      try {
        extra = entry.spec.finish?.() ?? [];
      } catch (e) {
        if (!(e instanceof TaskFailure || e instanceof PveError)) throw e;
        error = e.message;
        extra = e instanceof TaskFailure ? e.lines : [];
      }
    }
    this.end(task, error, extra);
  }

  private end(task: MockTask, error: string | undefined, extra: string[]): void {
    const entry = this.running.get(task.upid);
    if (!entry) return;
    if (entry.timer) clearTimeout(entry.timer);
    this.running.delete(task.upid);
    if (entry.holding && entry.spec.lock) this.locks.release(entry.spec.lock.target);
    task.lines = this.visibleLines(task).map((text) => ({ at: 0, text }));
    task.waitLines = undefined;
    const oneLine = error?.trim().replace(/\s*\n\s*/g, " ");
    task.finalLines = [...extra, oneLine === undefined ? "TASK OK" : `TASK ERROR: ${oneLine}`];
    task.status = "stopped";
    task.exitstatus = oneLine ?? "OK";
    task.endtime = Math.floor(Date.now() / 1000);
    entry.spec.cleanup?.();
  }

  /** Ends a task now: OK, or `TASK ERROR: <error>` (for tasks started with untilFinished). */
  finishNow(task: MockTask, error?: string): void {
    this.end(task, error, []);
  }

  /** DELETE …/tasks/{upid}: the worker gets a signal. */
  stop(task: MockTask): void {
    this.end(task, "interrupted by signal", []);
  }

  private visibleLines(task: MockTask): string[] {
    const elapsed = Date.now() - task.startedMs;
    const own = task.lines.filter((l) => l.at * task.durationMs <= elapsed).map((l) => l.text);
    return [...(task.waitLines ?? []), ...own];
  }

  /** The log as GET …/log reads it now. */
  log(task: MockTask): string[] {
    return task.status === "running"
      ? this.visibleLines(task)
      : [...task.lines.map((l) => l.text), ...task.finalLines];
  }

  isRunning(upid: string): boolean {
    return this.running.has(upid);
  }

  /** Clears every timer (server shutdown); tasks stay as they are. */
  shutdown(): void {
    for (const entry of this.running.values()) if (entry.timer) clearTimeout(entry.timer);
    this.running.clear();
  }
}

/** Spreads lines evenly over a task's run, the last one just before the end. */
export function spread(texts: string[], from = 0, to = 0.95): TaskLogLine[] {
  const step = texts.length > 1 ? (to - from) / (texts.length - 1) : 0;
  return texts.map((text, i) => ({ at: from + i * step, text }));
}
