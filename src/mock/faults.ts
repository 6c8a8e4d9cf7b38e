// Switches for fault injection; tests flip them on MockServer.faults.

/** Which requests a counted fault applies to; all when empty. */
export interface RequestMatch {
  /** e.g. "POST": only requests of this method consume the fault. */
  method?: string;
  /** Only requests whose path (after /api2/json) contains this text. */
  path?: string;
}

export interface HttpFault extends RequestMatch {
  status: number;
  reason: string;
  /** How many of the next (matching) requests get this answer. */
  count: number;
}

export class Faults {
  /** Added to every request before it is answered. */
  latencyMs = 0;
  /** These nodes are offline: listed as such, and every proxied call to them answers 595. */
  offlineNodes = new Set<string>();
  /** Task type (e.g. "qmstart") → error: tasks of that type end `TASK ERROR: <msg>` while set. */
  failTask = new Map<string, string>();
  /** Task types whose tasks never end (until stopped with DELETE …/tasks/{upid}). */
  hangTasks = new Set<string>();
  /** The next `count` (matching) requests answer this status and reason with an empty body. */
  httpStatus?: HttpFault;
  /** A one-shot spike: the next `count` (matching) requests wait `ms` more than latencyMs. */
  latencySpike?: RequestMatch & { ms: number; count: number };
  /** The next `count` (matching) requests get no answer: the connection is cut on arrival. */
  drop?: RequestMatch & { count: number };

  constructor(private readonly onExpireTickets: () => void) {}

  /** Makes every ticket (and CSRF token) issued so far invalid. */
  expireTickets(): void {
    this.onExpireTickets();
  }

  /** Consumes one injected HTTP failure, if one is pending for this request. */
  takeHttpFault(method = "", path = ""): HttpFault | undefined {
    const f = this.httpStatus;
    if (!consume(f, method, path)) return undefined;
    if (f && f.count <= 0) this.httpStatus = undefined;
    return f;
  }

  /** Consumes this request's share of a latency spike: the extra ms it waits (0: none). */
  takeLatencySpike(method = "", path = ""): number {
    const spike = this.latencySpike;
    if (!consume(spike, method, path)) return 0;
    if (spike && spike.count <= 0) this.latencySpike = undefined;
    return spike?.ms ?? 0;
  }

  /** Consumes a pending connection drop; true means "cut this request's connection". */
  takeDrop(method = "", path = ""): boolean {
    const drop = this.drop;
    if (!consume(drop, method, path)) return false;
    if (drop && drop.count <= 0) this.drop = undefined;
    return true;
  }
}

/** Takes one of a counted fault's uses if it applies to this request. */
function consume(
  fault: (RequestMatch & { count: number }) | undefined,
  method: string,
  path: string,
): boolean {
  if (!fault || fault.count <= 0) return false;
  if (fault.method && fault.method.toUpperCase() !== method) return false;
  if (fault.path && !path.includes(fault.path)) return false;
  fault.count -= 1;
  return true;
}
