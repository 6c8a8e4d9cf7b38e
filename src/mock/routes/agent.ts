// QEMU guest agent calls (/nodes/{node}/qemu/{vmid}/agent/…) and container interfaces.
import {
  checkAgent,
  guestNics,
  networkInterfaces,
  osInfo,
  processStatus,
  readFile,
  startProcess,
  writeFile,
} from "../agent.ts";
import { fail } from "../errors.ts";
import { loadGuest } from "../guests.ts";
import { node, type Params, type ParamTable, vmid } from "../params.ts";
import type { MockContext, PermCheck, Route } from "../router.ts";
import type { MockGuest } from "../state.ts";

const base = "/nodes/{node}/qemu/{vmid}/agent";
const perm = (...privs: string[]): PermCheck[] => [
  { path: "/vms/{vmid}", privs, ...(privs.length > 1 ? { any: true } : {}) },
];
const AUDIT = perm("VM.GuestAgent.Audit", "VM.GuestAgent.Unrestricted");
const UNRESTRICTED = perm("VM.GuestAgent.Unrestricted");

/** Loads the VM and passes the agent gates. */
function agentGuest(mock: MockContext, params: Params): MockGuest {
  const g = loadGuest(mock.state, "qemu", String(params.node), Number(params.vmid));
  checkAgent(g);
  return g;
}

/** A QGA command answered as `{ result }` from what the agent sees in the VM. */
export function simple(
  method: "GET" | "POST",
  command: string,
  result: (g: MockGuest) => unknown,
): Route {
  return {
    method,
    path: `${base}/${command}`,
    description: `Execute ${command}.`,
    permission: AUDIT,
    proxyto: "node",
    parameters: { node, vmid },
    handler: ({ mock, params }) => ({ result: result(agentGuest(mock, params)) }),
  };
}

const fileParams: ParamTable = {
  node,
  vmid,
  file: { type: "string", description: "The path to the file" },
};

export const agentRoutes: Route[] = [
  simple("POST", "ping", () => ({})),
  simple("GET", "get-osinfo", osInfo),
  simple("GET", "network-get-interfaces", networkInterfaces),
  {
    method: "POST",
    path: `${base}/exec`,
    description:
      "Executes the given command in the vm via the guest-agent and returns an object with the pid.",
    permission: UNRESTRICTED,
    proxyto: "node",
    parameters: {
      node,
      vmid,
      command: {
        type: "array",
        description: "The command as a list of program + arguments.",
      },
      "input-data": {
        type: "string",
        optional: true,
        maxLength: 65536,
        description:
          "Data to pass as 'input-data' to the guest. Usually treated as STDIN to 'command'.",
      },
    },
    handler: ({ mock, params }) => {
      const g = agentGuest(mock, params);
      const argv = (params.command as string[]).filter((a) => a !== "");
      if (argv.length === 0) throw fail("no command specified");
      return { pid: startProcess(g, argv, String(params["input-data"] ?? "")) };
    },
  },
  {
    method: "GET",
    path: `${base}/exec-status`,
    description: "Gets the status of the given pid started by the guest-agent",
    permission: UNRESTRICTED,
    proxyto: "node",
    parameters: { node, vmid, pid: { type: "integer", description: "The PID to query" } },
    handler: ({ mock, params }) => processStatus(agentGuest(mock, params), Number(params.pid)),
  },
  {
    method: "GET",
    path: `${base}/file-read`,
    description: "Reads the given file via guest agent. Is limited to 16777216 bytes.",
    permission: perm("VM.GuestAgent.FileRead", "VM.GuestAgent.Unrestricted"),
    proxyto: "node",
    parameters: {
      ...fileParams,
      count: {
        type: "integer",
        optional: true,
        minimum: 1,
        maximum: 16777216,
        default: 16777216,
        description: "Number of bytes to read.",
      },
      decode: {
        type: "boolean",
        optional: true,
        default: 1,
        description:
          "Data received from the QEMU Guest-Agent is base64 encoded. If this is set to true, the data is decoded. Otherwise the content is forwarded with base64 encoding.",
      },
      offset: {
        type: "integer",
        optional: true,
        minimum: 0,
        default: 0,
        description: "Offset to start reading at.",
      },
    },
    handler: ({ mock, params }) => {
      const g = agentGuest(mock, params);
      const offset = Number(params.offset ?? 0);
      const count = Number(params.count ?? 16777216);
      const data = readFile(g, String(params.file), offset, count);
      const whole = readFile(g, String(params.file));
      const truncated = offset + data.length < whole.length;
      return {
        content: params.decode === false ? data.toString("base64") : data.toString("utf8"),
        ...(truncated ? { truncated: 1 } : {}),
      };
    },
  },
  {
    method: "POST",
    path: `${base}/file-write`,
    description: "Writes the given file via guest agent.",
    permission: perm("VM.GuestAgent.FileWrite", "VM.GuestAgent.Unrestricted"),
    proxyto: "node",
    parameters: {
      ...fileParams,
      content: {
        type: "string",
        maxLength: 61440,
        description: "The content to write into the file.",
      },
      encode: {
        type: "boolean",
        optional: true,
        default: 1,
        description:
          "If set, the content will be encoded as base64 (required by QEMU).Otherwise the content needs to be encoded beforehand - defaults to true.",
      },
    },
    handler: ({ mock, params }) => {
      const g = agentGuest(mock, params);
      const content = String(params.content);
      if (params.encode === false && !/^[A-Za-z0-9+/]*={0,2}$/.test(content)) {
        throw fail("Agent error: Guest agent command failed, error was 'Base64 data is invalid'");
      }
      writeFile(
        g,
        String(params.file),
        params.encode === false ? Buffer.from(content, "base64") : Buffer.from(content, "utf8"),
      );
      return null;
    },
  },
  {
    method: "GET",
    path: "/nodes/{node}/lxc/{vmid}/interfaces",
    description: "Get IP addresses of the specified container interface.",
    permission: [{ path: "/vms/{vmid}", privs: ["VM.Audit"] }],
    proxyto: "node",
    parameters: { node, vmid },
    handler: ({ mock, params }) => {
      const g = loadGuest(mock.state, "lxc", String(params.node), Number(params.vmid));
      if (g.status !== "running") return null;
      const row = (name: string, mac: string, inet?: string, inet6?: string) => ({
        name,
        hwaddr: mac,
        "hardware-address": mac,
        ...(inet ? { inet } : {}),
        ...(inet6 ? { inet6 } : {}),
        "ip-addresses": [
          ...(inet
            ? [
                {
                  "ip-address": inet.split("/")[0],
                  "ip-address-type": "inet",
                  prefix: Number(inet.split("/")[1]),
                },
              ]
            : []),
          ...(inet6
            ? [
                {
                  "ip-address": inet6.split("/")[0],
                  "ip-address-type": "inet6",
                  prefix: Number(inet6.split("/")[1]),
                },
              ]
            : []),
        ],
      });
      return [
        row("lo", "00:00:00:00:00:00", "127.0.0.1/8", "::1/128"),
        ...guestNics(g).map((n) =>
          row(n.name, n.mac, n.ipv4 ? `${n.ipv4}/24` : undefined, `${n.ipv6}/64`),
        ),
      ];
    },
  },
];
