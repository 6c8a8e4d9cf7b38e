// The guest agent's read-only queries beyond os info and interfaces: file systems, host name,
// memory blocks, time and time zone, logged-in users, vCPUs, and the agent's own info.
import { checkAgent, isWindows } from "../agent.ts";
import { loadGuest } from "../guests.ts";
import { node, type Params, vmid } from "../params.ts";
import type { MockContext, Route } from "../router.ts";
import { guestCpus, guestMaxdisk, guestMaxmem, guestName, type MockGuest } from "../state.ts";

const base = "/nodes/{node}/qemu/{vmid}/agent";
const AUDIT = [
  { path: "/vms/{vmid}", privs: ["VM.GuestAgent.Audit", "VM.GuestAgent.Unrestricted"], any: true },
];

function agentGuest(mock: MockContext, params: Params): MockGuest {
  const g = loadGuest(mock.state, "qemu", String(params.node), Number(params.vmid));
  checkAgent(g);
  return g;
}

/** The QGA commands this agent version supports (guest-info lists them). */
const SUPPORTED = [
  "guest-exec",
  "guest-exec-status",
  "guest-file-close",
  "guest-file-open",
  "guest-file-read",
  "guest-file-write",
  "guest-fsfreeze-freeze",
  "guest-fsfreeze-status",
  "guest-fsfreeze-thaw",
  "guest-fstrim",
  "guest-get-fsinfo",
  "guest-get-host-name",
  "guest-get-memory-block-info",
  "guest-get-memory-blocks",
  "guest-get-osinfo",
  "guest-get-time",
  "guest-get-timezone",
  "guest-get-users",
  "guest-get-vcpus",
  "guest-info",
  "guest-network-get-interfaces",
  "guest-ping",
  "guest-set-user-password",
  "guest-shutdown",
  "guest-suspend-disk",
  "guest-suspend-ram",
];

const COMMANDS: Record<string, (g: MockGuest) => unknown> = {
  "get-fsinfo": (g) => {
    const total = Math.max(guestMaxdisk(g), 2 ** 30);
    const used = Math.round(total * 0.23);
    return isWindows(g)
      ? [
          {
            name: "\\\\?\\Volume{3f2a}\\",
            mountpoint: "C:\\",
            type: "NTFS",
            "total-bytes": total,
            "used-bytes": used,
            disk: [
              {
                "bus-type": "scsi",
                bus: 0,
                target: 0,
                unit: 0,
                "pci-controller": { domain: 0, bus: 1, slot: 1, function: 0 },
                dev: "\\\\.\\PhysicalDrive0",
              },
            ],
          },
        ]
      : [
          {
            name: "sda1",
            mountpoint: "/",
            type: "ext4",
            "total-bytes": total - 2 ** 29,
            "used-bytes": used,
            disk: [
              {
                "bus-type": "scsi",
                bus: 0,
                target: 0,
                unit: 0,
                "pci-controller": { domain: 0, bus: 1, slot: 1, function: 0 },
                dev: "/dev/sda1",
                serial: `drive-scsi0`,
              },
            ],
          },
          {
            name: "sda15",
            mountpoint: "/boot/efi",
            type: "vfat",
            "total-bytes": 129886208,
            "used-bytes": 12280832,
            disk: [
              {
                "bus-type": "scsi",
                bus: 0,
                target: 0,
                unit: 0,
                "pci-controller": { domain: 0, bus: 1, slot: 1, function: 0 },
                dev: "/dev/sda15",
              },
            ],
          },
        ];
  },
  "get-host-name": (g) => ({ "host-name": guestName(g) }),
  "get-memory-block-info": () => ({ size: 128 * 2 ** 20 }),
  "get-memory-blocks": (g) =>
    Array.from({ length: Math.max(1, Math.floor(guestMaxmem(g) / (128 * 2 ** 20))) }, (_, i) => ({
      "phys-index": i,
      online: true,
      "can-offline": i > 0,
    })),
  "get-time": () => Date.now() * 1_000_000,
  "get-timezone": (g) =>
    isWindows(g)
      ? { offset: 3600, zone: "W. Europe Standard Time" }
      : { offset: 3600, zone: "CET" },
  "get-users": (g) => [
    {
      user: isWindows(g) ? "Administrator" : "root",
      "login-time": Math.floor(Date.now() / 1000) - 3600,
    },
  ],
  "get-vcpus": (g) =>
    Array.from({ length: guestCpus(g) }, (_, i) => ({
      "logical-id": i,
      online: true,
      "can-offline": i > 0,
    })),
  info: (g) => ({
    version: isWindows(g) ? "107.0.1" : "9.2.0",
    supported_commands: SUPPORTED.map((name) => ({
      name,
      enabled: true,
      "success-response": name !== "guest-shutdown",
    })),
  }),
};

export const agentInfoRoutes: Route[] = Object.entries(COMMANDS).map(([command, result]) => ({
  method: "GET",
  path: `${base}/${command}`,
  description: `Execute ${command}.`,
  permission: AUDIT,
  proxyto: "node",
  parameters: { node, vmid },
  handler: ({ mock, params }) => ({ result: result(agentGuest(mock, params)) }),
}));
