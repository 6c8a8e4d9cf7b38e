// Guest NICs: add and remove netN on VMs and containers.

import { z } from "zod";
import { CLUSTER_RESOURCES, GUEST_CONFIG } from "../pve/endpoints/index.ts";
import type { GuestType } from "../pve/index.ts";
import { DESTRUCTIVE, defineTool, type ToolDef, WRITE } from "./define.ts";
import { ToolError } from "./errors.ts";
import {
  extraOptions,
  guestArgs,
  guestData,
  guestFields,
  lxcConfigWrite,
  pendingField,
  pendingNote,
  qemuConfigWrite,
  readConfig,
  writeConfig,
} from "./guest-common.ts";
import { describeGuest, onGuest } from "./guest-ref.ts";
import { addInSlot, freeSlot } from "./guest-slots.ts";
import { taskFields } from "./task-result.ts";

const netKey = z.string().regex(/^net([12]?\d|3[01])$/, "net0 … net31");
const QEMU_MODELS = ["virtio", "e1000", "e1000e", "rtl8139", "vmxnet3"] as const;

const netOutput = z.object({
  ...guestFields,
  device: z.string(),
  value: z.string().optional().describe("The NIC's config line after the change"),
  pending: pendingField,
  message: z.string(),
  ...taskFields,
});

const addInput = z.strictObject({
  ...guestArgs,
  device: netKey.optional().describe("Slot, e.g. net1; the next free one when omitted"),
  bridge: z
    .string()
    .regex(/^[a-zA-Z][\w.-]{0,14}$/, "a bridge name such as vmbr0")
    .describe("Bridge, e.g. vmbr0"),
  model: z
    .string()
    .max(16)
    .optional()
    .describe("VMs: virtio (default), e1000, e1000e, rtl8139, vmxnet3"),
  mac: z
    .string()
    .regex(/^([0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}$/, "a MAC address like BC:24:11:00:00:01")
    .optional(),
  vlan: z.number().int().min(1).max(4094).optional().describe("VLAN tag"),
  firewall: z.boolean().optional().describe("Filter this NIC with the Proxmox firewall"),
  ip: z
    .string()
    .regex(/^(dhcp|manual|\d{1,3}(\.\d{1,3}){3}\/\d{1,2})$/, "dhcp, manual or an IPv4 CIDR")
    .optional()
    .describe("Containers: dhcp or an address such as 10.0.0.5/24"),
  gw: z
    .string()
    .regex(/^\d{1,3}(\.\d{1,3}){3}$/, "an IPv4 address")
    .optional()
    .describe("Containers: gateway"),
  extra_options: extraOptions,
});

type NicArgs = z.infer<typeof addInput>;

export const addNetwork = defineTool({
  name: "add_network",
  title: "Add a network interface",
  toolset: "guest_network",
  description:
    "Add a NIC on a bridge to a VM (model virtio by default) or a container (ethN; ip dhcp or CIDR with gw). A MAC from Proxmox's range is generated unless given. Next free netN unless device is given.",
  input: addInput,
  output: netOutput,
  annotations: WRITE,
  endpoints: [
    CLUSTER_RESOURCES,
    GUEST_CONFIG,
    ...qemuConfigWrite("net[n]"),
    ...lxcConfigWrite("net[n]"),
  ],
  async handler(args, ctx) {
    return onGuest(ctx, args, async (guest) => {
      const { key, value, stored, write } = await addInSlot(
        ctx,
        guest,
        {
          key: (config) => args.device ?? freeSlot(config, "net"),
          inUseHint: "Leave device out to get the next free slot, or remove_network first.",
          readBack: true,
        },
        (key) => nicValue(guest.type, key, args),
      );
      const message = `added ${key} on ${args.bridge} to ${describeGuest(guest)}${pendingNote(guest, write.pending)}`;
      return {
        data: { ...guestData(guest), device: key, value: stored ?? value, message, ...write },
      };
    });
  },
});

/** The NIC's config line: a VM's model, MAC and bridge; a container's name, bridge and address. */
function nicValue(type: GuestType, key: string, args: NicArgs): string {
  const extra = args.extra_options ? [args.extra_options] : [];
  const common = [
    ...(args.firewall === undefined ? [] : [`firewall=${args.firewall ? 1 : 0}`]),
    ...(args.vlan ? [`tag=${args.vlan}`] : []),
    ...extra,
  ];
  if (type === "lxc") {
    return [
      `name=eth${key.slice(3)}`,
      `bridge=${args.bridge}`,
      ...(args.mac ? [`hwaddr=${args.mac.toUpperCase()}`] : []),
      ...(args.ip ? [`ip=${args.ip}`] : []),
      ...(args.gw ? [`gw=${args.gw}`] : []),
      ...common,
    ].join(",");
  }
  if (args.ip || args.gw) {
    throw new ToolError(
      "a VM's addresses are set inside the guest, not on its NIC",
      "For cloud-init images use set_vm_cloudinit (ipconfig0 …).",
    );
  }
  const model = args.model ?? "virtio";
  if (!(QEMU_MODELS as readonly string[]).includes(model)) {
    throw new ToolError(`unknown NIC model ${model}`, `Use one of ${QEMU_MODELS.join(", ")}.`);
  }
  return [
    args.mac ? `${model}=${args.mac.toUpperCase()}` : model,
    `bridge=${args.bridge}`,
    ...common,
  ].join(",");
}

export const removeNetwork = defineTool({
  name: "remove_network",
  title: "Remove a network interface",
  toolset: "guest_network",
  description:
    "Remove NIC netN from a VM or container: the guest loses that connection (at once where hotplug allows, else at its next start).",
  input: z.strictObject({ ...guestArgs, device: netKey.describe("NIC to remove, e.g. net1") }),
  output: netOutput,
  annotations: DESTRUCTIVE,
  endpoints: [
    CLUSTER_RESOURCES,
    GUEST_CONFIG,
    ...qemuConfigWrite("delete"),
    ...lxcConfigWrite("delete"),
  ],
  async handler(args, ctx) {
    return onGuest(ctx, args, async (guest) => {
      const config = await readConfig(ctx, guest);
      if (config[args.device] === undefined) {
        const nics = Object.keys(config).filter((k) => /^net\d+$/.test(k));
        throw new ToolError(
          `${describeGuest(guest)} has no ${args.device}`,
          `Its NICs: ${nics.join(", ") || "none"}.`,
        );
      }
      const w = await writeConfig(
        ctx,
        guest,
        { delete: args.device },
        `removing ${args.device} from ${describeGuest(guest)}`,
      );
      const message = w.pending.length
        ? `${args.device} of ${describeGuest(guest)} will be removed at its next start${pendingNote(guest, w.pending)}`
        : `removed ${args.device} (${config[args.device]}) from ${describeGuest(guest)}`;
      return { data: { ...guestData(guest), device: args.device, message, ...w } };
    });
  },
});

export const guestNetworkTools: ToolDef[] = [addNetwork, removeNetwork];
