// Consoles: termproxy for a VM's serial port, a container's console and a node shell, and the
// vncwebsocket that checks the VNC ticket before the WebSocket is proxied to termproxy's port.
import { fail, PveError } from "../errors.ts";
import { loadGuest } from "../guests.ts";
import { node, vmid } from "../params.ts";
import type { HandlerArgs, Route } from "../router.ts";
import type { GuestType } from "../state.ts";

const vmConsole = [{ path: "/vms/{vmid}", privs: ["VM.Console"] }];
const nodeConsole = [{ path: "/nodes/{node}", privs: ["Sys.Console"] }];

const websocketParams = {
  port: {
    type: "integer",
    minimum: 5900,
    maximum: 5999,
    description: "Port number returned by previous vncproxy call.",
  },
  vncticket: {
    type: "string",
    maxLength: 512,
    description: "Ticket from previous call to vncproxy.",
  },
} as const;

/** True when the PVE version the mock plays is at least `min` (e.g. "9.0.13"). */
export function versionAtLeast(version: string, min: string): boolean {
  const a = version.split(/[.-]/).map((n) => Number.parseInt(n, 10) || 0);
  const b = min.split(/[.-]/).map((n) => Number.parseInt(n, 10) || 0);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d > 0;
  }
  return true;
}

/** pve-manager 9.0.13 (commit 49395b74) let API tokens open node shells (as /bin/login). */
export const NODE_SHELL_TOKENS_SINCE = "9.0.13";

function guestRoutes(kind: GuestType): Route[] {
  const base = `/nodes/{node}/${kind}/{vmid}`;
  return [
    {
      method: "POST",
      path: `${base}/termproxy`,
      description:
        kind === "qemu" ? "Creates a TCP proxy connections." : "Creates a TCP proxy connection.",
      permission: vmConsole,
      // No proxyto: termproxy runs on the node that answers and reaches the guest over SSH.
      parameters: {
        node,
        vmid,
        ...(kind === "qemu"
          ? {
              serial: {
                type: "string",
                optional: true,
                enum: ["serial0", "serial1", "serial2", "serial3"],
                description: "opens a serial terminal (defaults to display)",
              },
            }
          : {}),
      },
      handler: ({ mock, params, who }) => {
        const n = String(params.node);
        const id = Number(params.vmid);
        loadGuest(mock.state, kind, n, id);
        const serial = typeof params.serial === "string" ? params.serial : undefined;
        return mock.consoles.open({ kind, node: n, vmid: id, serial, who });
      },
    },
    {
      method: "GET",
      path: `${base}/vncwebsocket`,
      description: "Opens a websocket for VNC traffic.",
      permission: vmConsole,
      parameters: { node, vmid, ...websocketParams },
      handler: ({ mock, params, who }) => {
        const port = Number(params.port);
        mock.consoles.checkWebsocket(who, `/vms/${params.vmid}`, String(params.vncticket));
        loadGuest(mock.state, kind, String(params.node), Number(params.vmid));
        return { port: String(port) };
      },
    },
  ];
}

function nodeShell({ mock, params, who }: HandlerArgs) {
  const n = String(params.node);
  if (!mock.state.nodes.has(n)) {
    throw fail(
      `hostname lookup '${n}' failed - failed to get address info for: ${n}: Name or service not known`,
    );
  }
  if (!versionAtLeast(mock.state.version.version, NODE_SHELL_TOKENS_SINCE)) {
    // Before 9.0.13: verify_username on the token id, then a pam-only check.
    if (who.tokenid) {
      throw fail(`value '${who.userid}!${who.tokenid}' does not look like a valid user name`);
    }
    if (!who.userid.endsWith("@pam")) {
      throw new PveError(403, "Permission check failed (realm != pam)");
    }
  }
  const cmd = typeof params.cmd === "string" ? params.cmd : "login";
  if (cmd !== "login" && (who.userid !== "root@pam" || who.tokenid)) {
    throw new PveError(403, "Permission check failed (user != root@pam)");
  }
  return mock.consoles.open({ kind: "node", node: n, who });
}

export const consoleRoutes: Route[] = [
  ...guestRoutes("qemu"),
  ...guestRoutes("lxc"),
  {
    method: "POST",
    path: "/nodes/{node}/termproxy",
    description: "Creates a VNC Shell proxy.",
    permission: nodeConsole,
    parameters: {
      node,
      cmd: {
        type: "string",
        optional: true,
        enum: ["ceph_install", "login", "upgrade"],
        default: "login",
        description: "Run specific command or default to login (requires 'root@pam')",
      },
      "cmd-opts": {
        type: "string",
        optional: true,
        default: "",
        description: "Add parameters to a command. Encoded as null terminated strings.",
      },
    },
    handler: nodeShell,
  },
  {
    method: "GET",
    path: "/nodes/{node}/vncwebsocket",
    description: "Opens a websocket for VNC traffic.",
    permission: nodeConsole,
    parameters: { node, ...websocketParams },
    handler: ({ mock, params, who }) => {
      const port = Number(params.port);
      mock.consoles.checkWebsocket(who, `/nodes/${params.node}`, String(params.vncticket));
      return { port: String(port) };
    },
  },
];
