// What runs behind a mock console, and when it fails at once: a node's shell (root via
// `login -f root`, everyone else /bin/login), a guest's getty on ttyS0/tty1; a stopped guest,
// a missing serial port or an unreachable node print their error and end.
import type { ConsoleSpec } from "./consoles.ts";
import type { Faults } from "./faults.ts";
import { GUEST_ROOT_PASSWORD, LOCAL_NODE, ROOT_PASSWORD } from "./seed.ts";
import type { TerminalSpec } from "./shell.ts";
import type { ClusterState } from "./state.ts";

/** undefined when the terminal program starts; else the words it fails with at once (as `qm terminal` does). */
export function terminalFailure(
  state: ClusterState,
  faults: Faults,
  spec: ConsoleSpec,
): string | undefined {
  // A terminal on another node runs over SSH from the node that answered.
  if (spec.node !== LOCAL_NODE && faults.offlineNodes.has(spec.node)) {
    const ip = state.nodes.get(spec.node)?.ip ?? spec.node;
    return `ssh: connect to host ${ip} port 22: No route to host`;
  }
  if (spec.kind === "node") return undefined;
  const guest = state.guests.get(spec.vmid ?? 0);
  const dir = spec.kind === "qemu" ? "qemu-server" : "lxc";
  if (!guest || guest.node !== spec.node || guest.type !== spec.kind) {
    return `Configuration file 'nodes/${spec.node}/${dir}/${spec.vmid}.conf' does not exist`;
  }
  if (spec.kind === "lxc") {
    return guest.status === "running" ? undefined : `CT ${guest.vmid} not running`;
  }
  const iface = spec.serial ?? "serial0";
  if (!guest.config[iface]) return `serial interface '${iface}' is not configured`;
  if (guest.config[iface] !== "socket") return `wrong serial type on interface '${iface}'`;
  return guest.status === "running" ? undefined : `VM ${guest.vmid} not running`;
}

/** What runs behind the console: a node's login or root shell, a guest's getty. */
export function terminalSpec(state: ClusterState, spec: ConsoleSpec, user: string): TerminalSpec {
  const node = state.nodes.get(spec.node);
  const base = {
    rootPassword: GUEST_ROOT_PASSWORD,
    kernelRelease: "6.12.57+deb13-amd64",
    kernelVersion: "#1 SMP PREEMPT_DYNAMIC Debian 6.12.57-1 (2025-11-05)",
    bootTime: node?.bootTime ?? Math.floor(Date.now() / 1000) - 86400,
    loadavg: node?.loadavg ?? (["0.00", "0.00", "0.00"] as const),
  };
  if (spec.kind === "node") {
    const [, release = "", ...version] = (node?.kversion ?? "Linux 6.17.2-1-pve #1").split(" ");
    // get_shell_command: only root@pam itself gets `login -f root`; everyone else /bin/login.
    const root = user === "root@pam";
    return {
      ...base,
      hostname: spec.node,
      start: root ? "shell" : "login",
      rootPassword: state.users.get("root@pam")?.password ?? ROOT_PASSWORD,
      os: "pve",
      kernelRelease: release,
      kernelVersion: version.filter((v) => v !== "x86_64").join(" "),
    };
  }
  const guest = state.guests.get(spec.vmid ?? 0);
  const name = String(
    (spec.kind === "qemu" ? guest?.config.name : guest?.config.hostname) ??
      (spec.kind === "qemu" ? `vm${spec.vmid}` : `CT${spec.vmid}`),
  );
  const ostype = String(guest?.config.ostype ?? "");
  const os = ostype === "alpine" ? "alpine" : ostype === "ubuntu" ? "ubuntu" : "debian";
  const tty = spec.kind === "qemu" ? "ttyS0" : "tty1";
  return {
    ...base,
    hostname: name,
    start: "getty",
    issue:
      os === "alpine"
        ? `Welcome to Alpine Linux 3.22\r\nKernel ${base.kernelRelease} on an x86_64 (/dev/${tty})`
        : os === "ubuntu"
          ? `Ubuntu 24.04.3 LTS ${name} ${tty}`
          : `Debian GNU/Linux 13 ${name} ${tty}`,
    os,
    bootTime: guest?.startedAt ? Math.floor(guest.startedAt / 1000) : base.bootTime,
  };
}
