// A guest's config as the guest view shows it: a few labelled facts, the disks and the NICs,
// read from PVE's property strings (`local-lvm:vm-100-disk-0,iothread=1,size=32G`).

import type { GuestType } from "../pve/index.ts";
import type { GuestViewData } from "./view-schemas.ts";

type Config = Record<string, string | number>;

/** `a=1,b=2` (the first item may be a bare value, e.g. the volume) into its parts. */
export function propertyString(value: string): { first: string; props: Map<string, string> } {
  const props = new Map<string, string>();
  const parts = value.split(",");
  for (const part of parts) {
    const eq = part.indexOf("=");
    if (eq > 0) props.set(part.slice(0, eq), part.slice(eq + 1));
  }
  return { first: parts[0] ?? "", props };
}

const yes = (v: unknown) => v === 1 || v === "1";

export function guestConfigSummary(type: GuestType, c: Config): GuestViewData["config"] {
  const rows: [string, string | undefined][] =
    type === "qemu"
      ? [
          ["OS type", c.ostype as string],
          [
            "CPU",
            `${Number(c.sockets ?? 1) * Number(c.cores ?? 1)} vCPU (${c.sockets ?? 1} socket × ${c.cores ?? 1} cores)${c.cpu ? `, ${propertyString(String(c.cpu)).first}` : ""}`,
          ],
          [
            "Memory",
            `${c.memory ?? 2048} MiB${c.balloon !== undefined ? `, balloon ${c.balloon} MiB` : ""}`,
          ],
          ["BIOS", String(c.bios ?? "seabios")],
          ["Machine", c.machine as string],
          ["SCSI controller", c.scsihw as string],
          ["Boot order", c.boot ? String(c.boot).replace(/^order=/, "") : undefined],
          [
            "Guest agent",
            c.agent === undefined
              ? "off"
              : yes(propertyString(String(c.agent)).first)
                ? "on"
                : "off",
          ],
          ["Start at boot", yes(c.onboot) ? "yes" : "no"],
        ]
      : [
          ["OS type", c.ostype as string],
          ["Hostname", c.hostname as string],
          [
            "CPU",
            c.cores ? `${c.cores} core${Number(c.cores) === 1 ? "" : "s"}` : "all host cores",
          ],
          ["Memory", `${c.memory ?? 512} MiB, swap ${c.swap ?? 512} MiB`],
          ["Architecture", c.arch as string],
          ["Unprivileged", yes(c.unprivileged) ? "yes" : "no"],
          ["Features", c.features as string],
          ["Start at boot", yes(c.onboot) ? "yes" : "no"],
        ];
  return rows
    .filter((r): r is [string, string] => r[1] !== undefined && r[1] !== "")
    .map(([label, value]) => ({ label, value }));
}

const QEMU_DISK = /^(ide|sata|scsi|virtio|efidisk|tpmstate|unused)\d+$/;
const LXC_DISK = /^(rootfs|mp\d+|unused\d+)$/;

export function guestDisks(type: GuestType, c: Config): GuestViewData["disks"] {
  const pattern = type === "qemu" ? QEMU_DISK : LXC_DISK;
  return Object.keys(c)
    .filter((k) => pattern.test(k))
    .sort(byKey)
    .map((key) => {
      const { first, props } = propertyString(String(c[key]));
      return {
        key,
        volume: first,
        size: props.get("size"),
        media: props.get("media") ?? (props.has("mp") ? `at ${props.get("mp")}` : undefined),
      };
    });
}

export function guestNics(type: GuestType, c: Config): GuestViewData["nics"] {
  return Object.keys(c)
    .filter((k) => /^net\d+$/.test(k))
    .sort(byKey)
    .map((key) => {
      const { first, props } = propertyString(String(c[key]));
      const [model, mac] = first.split("=");
      return type === "qemu"
        ? {
            key,
            model,
            mac,
            bridge: props.get("bridge"),
            vlan: props.get("tag"),
            firewall: yes(props.get("firewall")),
          }
        : {
            key,
            model: props.get("name"),
            mac: props.get("hwaddr"),
            bridge: props.get("bridge"),
            vlan: props.get("tag"),
            firewall: yes(props.get("firewall")),
            ip: props.get("ip"),
          };
    });
}

/** scsi2 before scsi10. */
function byKey(a: string, b: string): number {
  return a.localeCompare(b, "en", { numeric: true });
}
