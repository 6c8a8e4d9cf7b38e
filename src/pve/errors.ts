// Typed errors of the Proxmox client. Each keeps what PVE said (status, reason line,
// per-parameter errors) and knows a hint a person or a model can act on.

export class PveError extends Error {
  override name = "PveError";
  constructor(
    readonly status: number,
    /** PVE puts the error text in the HTTP reason phrase; the body `message` when there is one. */
    readonly reason: string,
    readonly method: string,
    readonly path: string,
    /** Per-parameter messages of a 400 `Parameter verification failed.` */
    readonly errors: Record<string, string> = {},
  ) {
    super(formatMessage(status, reason, errors));
  }

  get hint(): string | undefined {
    return hintFor(this);
  }

  /** PVE answers 500 (not 404) for a missing guest, storage or file. */
  get isNotFound(): boolean {
    return (
      this.status === 404 ||
      /does not exist|unable to find configuration file|no such (task|storage|volume)/i.test(
        this.reason,
      )
    );
  }
}

/** The request never got a Proxmox answer: refused, DNS, TLS, timeout, or a read-only wall. */
export class PveConnectionError extends Error {
  override name = "PveConnectionError";
  constructor(
    message: string,
    readonly method: string,
    readonly path: string,
    readonly hint?: string,
    /** The connection was cut before any answer came (e.g. pveproxy restarting). */
    readonly cut = false,
  ) {
    super(message);
  }
}

function formatMessage(status: number, reason: string, errors: Record<string, string>): string {
  const params = Object.entries(errors).map(([k, v]) => `${k}: ${v.trim()}`);
  return params.length > 0 ? `${status} ${reason} (${params.join("; ")})` : `${status} ${reason}`;
}

function hintFor(e: PveError): string | undefined {
  const perm = /^Permission check failed \(([^,]+), ([^)]+)\)/.exec(e.reason);
  if (perm) {
    return (
      `The credentials lack ${perm[2]} on ${perm[1]}. Grant a role with it on that path (or a parent, ` +
      "propagated). For an API token with privilege separation, grant it to the token itself, not only its user."
    );
  }
  if (/user != root@pam/.test(e.reason)) {
    return "Only root@pam logged in with a password may do this (API tokens, even root's, are refused): use ticket authentication as root@pam.";
  }
  if (/not available with API token/.test(e.reason)) {
    return "This call needs ticket (password) authentication; API tokens are refused here.";
  }
  if (e.status === 401) {
    return "Check user, password or token (user@realm!tokenid and its secret); the ticket may have expired.";
  }
  if (e.status === 595) {
    return "Proxmox could not reach the node that owns the resource: is it offline? Retry when it is back or target another node.";
  }
  if (e.status === 596) {
    return "The node did not answer in time (busy or unreachable); retry later.";
  }
  if (e.status === 400 && Object.keys(e.errors).length > 0) {
    return "Fix the named parameters and call again.";
  }
  if (/is locked/.test(e.reason)) {
    return "Another operation holds the lock; wait for its task to finish (list_tasks) and retry.";
  }
  if (/no quorum/.test(e.reason))
    return "The cluster has lost quorum; writes are blocked until it returns.";
  return undefined;
}

/**
 * The scope guard refused a request before it was sent (or a lookup before its request): what
 * lies outside the scope, and which setting would allow it.
 */
export class ScopeError extends Error {
  override name = "ScopeError";
  constructor(
    message: string,
    readonly hint: string,
    readonly method?: string,
    readonly path?: string,
  ) {
    super(message);
  }
}
