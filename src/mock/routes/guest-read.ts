// Read-only guest calls shared by qemu and lxc: list, index, config, status/current.
import { fail } from "../errors.ts";
import { configView, listRow, loadGuest, statusCurrent } from "../guests.ts";
import { node, snapname, vmid } from "../params.ts";
import { hasPriv } from "../perms.ts";
import type { Route } from "../router.ts";
import type { GuestType } from "../state.ts";

const audit = [{ path: "/vms/{vmid}", privs: ["VM.Audit"] }];

export function guestReadRoutes(type: GuestType): Route[] {
  const base = `/nodes/{node}/${type}`;
  const what = type === "qemu" ? "virtual machine" : "container";
  return [
    {
      method: "GET",
      path: base,
      description:
        type === "qemu" ? "Virtual machine index (per node)." : "LXC container index (per node).",
      permission: "all",
      proxyto: "node",
      parameters: {
        node,
        ...(type === "qemu"
          ? {
              full: {
                type: "boolean",
                optional: true,
                description: "Determine the full status of active VMs.",
              },
            }
          : {}),
      },
      handler: ({ mock, params, who }) =>
        [...mock.state.guests.values()]
          .filter((g) => g.type === type && g.node === params.node)
          .filter((g) => hasPriv(mock.state, who, `/vms/${g.vmid}`, ["VM.Audit"]))
          .map((g) => listRow(g, params.full === true)),
    },
    {
      method: "GET",
      path: `${base}/{vmid}`,
      description: "Directory index",
      permission: "all",
      proxyto: "node",
      parameters: { node, vmid },
      handler: ({ mock, params }) => {
        loadGuest(mock.state, type, String(params.node), Number(params.vmid));
        const subdirs =
          type === "qemu"
            ? [
                "config",
                "pending",
                "status",
                "unlink",
                "vncproxy",
                "termproxy",
                "migrate",
                "resize",
                "move",
                "rrd",
                "rrddata",
                "monitor",
                "agent",
                "snapshot",
                "spiceproxy",
                "sendkey",
                "firewall",
                "mtunnel",
                "remote_migrate",
              ]
            : [
                "config",
                "pending",
                "status",
                "vncproxy",
                "termproxy",
                "vncwebsocket",
                "spiceproxy",
                "migrate",
                "clone",
                "rrd",
                "rrddata",
                "firewall",
                "snapshot",
                "resize",
                "interfaces",
              ];
        return subdirs.map((subdir) => ({ subdir }));
      },
    },
    {
      method: "GET",
      path: `${base}/{vmid}/config`,
      description:
        type === "qemu"
          ? "Get the virtual machine configuration with pending configuration changes applied. Set the 'current' parameter to get the current configuration instead."
          : "Get container configuration.",
      permission: audit,
      proxyto: "node",
      parameters: {
        node,
        vmid,
        current: {
          type: "boolean",
          optional: true,
          default: 0,
          description: "Get current values (instead of pending values).",
        },
        snapshot: {
          ...snapname,
          optional: true,
          description: "Fetch config values from given snapshot.",
        },
      },
      handler: ({ mock, params }) => {
        const guest = loadGuest(mock.state, type, String(params.node), Number(params.vmid));
        if (typeof params.snapshot === "string") {
          const snap = guest.snapshots.find((s) => s.name === params.snapshot);
          if (!snap) throw fail(`snapshot '${params.snapshot}' does not exist`);
          return { ...snap.config, digest: configView(guest).digest };
        }
        return configView(guest, params.current === true);
      },
    },
    {
      method: "GET",
      path: `${base}/{vmid}/status`,
      description: "Directory index",
      permission: audit,
      proxyto: "node",
      parameters: { node, vmid },
      handler: () =>
        (type === "qemu"
          ? ["current", "start", "stop", "reset", "shutdown", "suspend", "reboot", "resume"]
          : ["current", "start", "stop", "shutdown", "suspend", "resume", "reboot"]
        ).map((subdir) => ({ subdir })),
    },
    {
      method: "GET",
      path: `${base}/{vmid}/status/current`,
      description: `Get ${what} status.`,
      permission: audit,
      proxyto: "node",
      parameters: { node, vmid },
      handler: ({ mock, params }) =>
        statusCurrent(loadGuest(mock.state, type, String(params.node), Number(params.vmid))),
    },
  ];
}
