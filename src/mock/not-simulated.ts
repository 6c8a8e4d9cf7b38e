// The GET endpoints of PVE 9.1 (outside Ceph) the simulated cluster does not answer, in one list:
// they answer 501 "... not implemented by the simulator". Everything else outside Ceph is
// simulated from the cluster's state. A test holds this list to at most 30 entries.

export const NOT_SIMULATED: readonly string[] = [];

const patterns = NOT_SIMULATED.map(
  (t) => new RegExp(`^${t.replace(/[.+]/g, "\\$&").replace(/\{[^}]+\}/g, "[^/]+")}$`),
);

/** Whether a GET path is one of the endpoints the simulator leaves out. */
export function notSimulated(path: string): boolean {
  return patterns.some((re) => re.test(path));
}
