// The guest agent's read-only queries beyond os info and interfaces: file systems, host name,
// memory blocks, time and time zone, logged-in users, vCPUs, and the agent's own info.
import { isWindows } from "../agent.ts";
import type { Route } from "../router.ts";
import { guestCpus, guestMaxdisk, guestMaxmem, guestName, type MockGuest } from "../state.ts";
import { simple } from "./agent.ts";

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

/** One mounted file system on the VM's first SCSI disk, as guest-get-fsinfo reports it. */
const fs = (
  name: string,
  mountpoint: string,
  type: string,
  total: number,
  used: number,
  dev: string,
) => ({
  name,
  mountpoint,
  type,
  "total-bytes": total,
  "used-bytes": used,
  disk: [
    {
      "bus-type": "scsi",
      bus: 0,
      target: 0,
      unit: 0,
      "pci-controller": { domain: 0, bus: 1, slot: 1, function: 0 },
      dev,
    },
  ],
});

const COMMANDS: Record<string, (g: MockGuest) => unknown> = {
  "get-fsinfo": (g) => {
    const total = Math.max(guestMaxdisk(g), 2 ** 30);
    const used = Math.round(total * 0.23);
    return isWindows(g)
      ? [fs("\\\\?\\Volume{3f2a}\\", "C:\\", "NTFS", total, used, "\\\\.\\PhysicalDrive0")]
      : [
          fs("sda1", "/", "ext4", total - 2 ** 29, used, "/dev/sda1"),
          fs("sda15", "/boot/efi", "vfat", 129886208, 12280832, "/dev/sda15"),
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

export const agentInfoRoutes: Route[] = Object.entries(COMMANDS).map(([command, result]) =>
  simple("GET", command, result),
);
