// Switches for fault injection; tests flip them on MockServer.faults.

export interface HttpFault {
  status: number;
  reason: string;
  /** How many of the next requests get this answer. */
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
  /** The next `count` requests answer this status and reason with an empty body. */
  httpStatus?: HttpFault;

  constructor(private readonly onExpireTickets: () => void) {}

  /** Makes every ticket (and CSRF token) issued so far invalid. */
  expireTickets(): void {
    this.onExpireTickets();
  }

  /** Consumes one injected HTTP failure, if any is pending. */
  takeHttpFault(): HttpFault | undefined {
    const f = this.httpStatus;
    if (!f || f.count <= 0) return undefined;
    f.count -= 1;
    if (f.count <= 0) this.httpStatus = undefined;
    return f;
  }
}
