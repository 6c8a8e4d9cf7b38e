// PVE errors: the first line of the message becomes the HTTP reason phrase; the body repeats it.

export class PveError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** Per-parameter messages (400 only). */
    readonly errors?: Record<string, string>,
    /** Auth-layer 401s and proxy failures (595/596) carry no body at all. */
    readonly emptyBody = false,
  ) {
    super(message);
  }
}

/** A handler failure: PVE turns every `die` into a 500 with the text as reason. */
export function fail(message: string): PveError {
  return new PveError(500, message);
}

export function paramError(errors: Record<string, string>): PveError {
  return new PveError(400, "Parameter verification failed.", errors);
}

/**
 * PVE's lock_file/lock_*_config(code, errmsg): a `die` inside reads "<errmsg>: <reason>".
 * Checks made before taking the lock throw plain, so call this around the locked part only.
 */
export function locked<T>(errmsg: string, code: () => T): T {
  try {
    return code();
  } catch (e) {
    if (e instanceof PveError && e.status === 500) throw fail(`${errmsg}: ${e.message}`);
    throw e;
  }
}

export function permissionDenied(path: string, privs: readonly string[]): PveError {
  return new PveError(403, `Permission check failed (${path}, ${privs.join("|")})`);
}

export function unauthorized(reason: string): PveError {
  return new PveError(401, reason, undefined, true);
}

/** Raised inside a task body: the task ends `TASK ERROR: <message>` after `lines`. */
export class TaskFailure extends Error {
  constructor(
    message: string,
    readonly lines: string[] = [],
  ) {
    super(message);
  }
}
