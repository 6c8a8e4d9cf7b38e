// Host devices for VMs: list a node's PCI and USB devices, pass one through, remove a device.

import { z } from "zod";
import {
  CLUSTER_RESOURCES,
  GUEST_CONFIG,
  HARDWARE_PCI,
  HARDWARE_USB,
} from "../pve/endpoints/index.ts";
import { nodeOptional, nodeRequired, vmid } from "./args.ts";
import { DESTRUCTIVE, defineTool, READ, type ToolDef } from "./define.ts";
import { ToolError } from "./errors.ts";
import {
  extraOptions,
  guestData,
  guestFields,
  pendingField,
  pendingNote,
  qemuConfigWrite,
  readConfig,
  writeConfig,
} from "./guest-common.ts";
import { describeGuest, expectType, onGuest } from "./guest-ref.ts";
import { addInSlot, freeSlot } from "./guest-slots.ts";
import { taskFields } from "./task-result.ts";

const PCI_CLASSES: Record<string, string> = {
  "01": "storage",
  "02": "network",
  "03": "display",
  "04": "multimedia",
  "0c": "serial bus (USB, …)",
};

export const listPciDevices = defineTool({
  name: "list_pci_devices",
  title: "List host PCI devices",
  toolset: "devices",
  description:
    "PCI devices of a node that can be passed through to a VM (bridges, memory controllers and CPUs left out): id (for add_pci_device), vendor and device names, IOMMU group, mediated-device support.",
  input: z.strictObject({ node: nodeRequired }),
  output: z.object({
    node: z.string(),
    devices: z.array(
      z.object({
        id: z.string().describe("PCI address, the host value for add_pci_device"),
        class: z.string(),
        kind: z.string().optional(),
        vendor: z.string(),
        device: z.string(),
        vendor_name: z.string().optional(),
        device_name: z.string().optional(),
        iommugroup: z.number().describe("-1: no IOMMU group (IOMMU off)"),
        mdev: z.boolean().describe("Can create mediated devices (vGPU)"),
      }),
    ),
  }),
  annotations: READ,
  endpoints: [HARDWARE_PCI],
  async handler(args, ctx) {
    const rows = await ctx.pve.call(HARDWARE_PCI, { node: args.node }, { signal: ctx.signal });
    const devices = rows.map((r) => ({
      id: r.id,
      class: r.class,
      kind: PCI_CLASSES[r.class.replace(/^0x/, "").slice(0, 2)],
      vendor: r.vendor,
      device: r.device,
      vendor_name: r.vendor_name,
      device_name: r.device_name,
      iommugroup: r.iommugroup,
      mdev: Boolean(r.mdev),
    }));
    return {
      data: { node: args.node, devices },
    };
  },
});

export const listUsbDevices = defineTool({
  name: "list_usb_devices",
  title: "List host USB devices",
  toolset: "devices",
  description:
    "USB devices plugged into a node (hubs left out): vendor:product id and bus-port path, either of which add_usb_device takes as host.",
  input: z.strictObject({ node: nodeRequired }),
  output: z.object({
    node: z.string(),
    devices: z.array(
      z.object({
        id: z.string().describe("vendor:product, e.g. 0781:5583"),
        path: z
          .string()
          .optional()
          .describe("bus-port, e.g. 1-3 (passes whatever is plugged there)"),
        manufacturer: z.string().optional(),
        product: z.string().optional(),
        serial: z.string().optional(),
        speed_mbps: z.number().optional(),
      }),
    ),
  }),
  annotations: READ,
  endpoints: [HARDWARE_USB],
  async handler(args, ctx) {
    const rows = await ctx.pve.call(HARDWARE_USB, { node: args.node }, { signal: ctx.signal });
    const devices = rows
      .filter((r) => r.class !== 9) // hubs
      .map((r) => ({
        id: `${r.vendid}:${r.prodid}`,
        path: r.usbpath,
        manufacturer: r.manufacturer,
        product: r.product,
        serial: r.serial,
        speed_mbps: Number(r.speed) || undefined,
      }));
    return {
      data: { node: args.node, devices },
    };
  },
});

const deviceOutput = z.object({
  ...guestFields,
  device: z.string(),
  value: z.string().optional(),
  pending: pendingField,
  warning: z.string().optional(),
  message: z.string(),
  ...taskFields,
});

const PCI_HOST =
  /^(mapping=[\w.-]+|([0-9a-fA-F]{4}:)?[0-9a-fA-F]{2}:[0-9a-fA-F]{2}(\.[0-7])?(;([0-9a-fA-F]{4}:)?[0-9a-fA-F]{2}:[0-9a-fA-F]{2}(\.[0-7])?)*)$/;

/** The first free key among prefix0 … prefix(max-1). */
export const addPciDevice = defineTool({
  name: "add_pci_device",
  title: "Pass a PCI device to a VM",
  toolset: "devices",
  description:
    "Pass a host PCI device (an id from list_pci_devices, or mapping=<name>) through to a VM as hostpciN; pcie needs the q35 machine type. Takes effect at the VM's next start; raw devices need root@pam (not an API token), mappings need Mapping.Use.",
  input: z.strictObject({
    node: nodeOptional,
    vmid,
    device_id: z
      .string()
      .regex(/^hostpci([0-9]|1[0-5])$/, "hostpci0 … hostpci15")
      .optional()
      .describe("Slot, e.g. hostpci0; the next free one when omitted"),
    host: z
      .string()
      .regex(PCI_HOST, "a PCI address such as 0000:01:00.0 (or 01:00) or mapping=<name>"),
    pcie: z.boolean().optional().describe("Attach as PCI Express (q35 machine only)"),
    mdev: z.string().max(64).optional().describe("Mediated device type (vGPU profile)"),
    extra_options: extraOptions,
  }),
  output: deviceOutput,
  annotations: DESTRUCTIVE, // hands host hardware to the guest
  endpoints: [CLUSTER_RESOURCES, GUEST_CONFIG.only("qemu"), ...qemuConfigWrite("hostpci[n]")],
  async handler(args, ctx) {
    return onGuest(ctx, { ...args, type: "qemu" }, async (guest) => {
      expectType(guest, "qemu", "add_pci_device");
      const { key, value, config, write } = await addInSlot(
        ctx,
        guest,
        { key: (config) => args.device_id ?? freeSlot(config, "hostpci") },
        () =>
          [
            args.host,
            ...(args.mdev ? [`mdev=${args.mdev}`] : []),
            ...(args.pcie ? ["pcie=1"] : []),
            ...(args.extra_options ? [args.extra_options] : []),
          ].join(","),
      );
      const warning =
        args.pcie && !/q35/.test(String(config.machine ?? ""))
          ? "pcie=1 needs the q35 machine type: the VM will not start until machine is set to q35"
          : undefined;
      const message = `${key}: ${value} added to ${describeGuest(guest)}${pendingNote(guest, write.pending)}${warning ? `; ${warning}` : ""}`;
      return { data: { ...guestData(guest), device: key, value, warning, message, ...write } };
    });
  },
});

export const addUsbDevice = defineTool({
  name: "add_usb_device",
  title: "Pass a USB device to a VM",
  toolset: "devices",
  description:
    "Pass a USB device to a VM as usbN: by vendor:product (0781:5583), by port (1-3), spice (redirected from the SPICE client) or mapping=<name>. Hotplugged into a running VM. Raw devices need root@pam (not an API token).",
  input: z.strictObject({
    node: nodeOptional,
    vmid,
    device_id: z
      .string()
      .regex(/^usb([0-9]|1[0-4])$/, "usb0 … usb14")
      .optional()
      .describe("Slot, e.g. usb0; the next free one when omitted"),
    host: z
      .string()
      .regex(
        /^(host=)?([0-9a-fA-F]{4}:[0-9a-fA-F]{4}|\d+-[\d.]+|spice)$|^mapping=[\w.-]+$/,
        "vendor:product (0781:5583), bus-port (1-3), spice or mapping=<name>",
      )
      .describe("0781:5583, 1-3, spice or mapping=<name>"),
    usb3: z.boolean().optional().describe("Attach to a USB 3 controller"),
    extra_options: extraOptions,
  }),
  output: deviceOutput,
  annotations: DESTRUCTIVE, // hands host hardware to the guest
  endpoints: [CLUSTER_RESOURCES, GUEST_CONFIG.only("qemu"), ...qemuConfigWrite("usb[n]")],
  async handler(args, ctx) {
    return onGuest(ctx, { ...args, type: "qemu" }, async (guest) => {
      expectType(guest, "qemu", "add_usb_device");
      const host = /^(host=|mapping=|spice$)/.test(args.host) ? args.host : `host=${args.host}`;
      const { key, value, write } = await addInSlot(
        ctx,
        guest,
        { key: (config) => args.device_id ?? freeSlot(config, "usb") },
        () =>
          [
            host,
            ...(args.usb3 ? ["usb3=1"] : []),
            ...(args.extra_options ? [args.extra_options] : []),
          ].join(","),
      );
      const message = `${key}: ${value} added to ${describeGuest(guest)}${pendingNote(guest, write.pending)}`;
      return { data: { ...guestData(guest), device: key, value, message, ...write } };
    });
  },
});

const DEVICE_KEY =
  /^(hostpci\d+|usb\d+|serial[0-3]|parallel[0-2]|audio0|rng0|watchdog|virtiofs\d+)$/;

export const removeVmDevice = defineTool({
  name: "remove_vm_device",
  title: "Remove a device from a VM",
  toolset: "devices",
  description:
    "Remove a passed-through or virtual device from a VM: hostpciN, usbN, serialN, parallelN, audio0, rng0, watchdog, virtiofsN (disks: remove_disk; NICs: remove_network). USB leaves a running VM at once; the others at its next start.",
  input: z.strictObject({
    node: nodeOptional,
    vmid,
    device_id: z
      .string()
      .regex(/^[a-z]+\d*$/, "a device key such as hostpci0 or usb1")
      .describe("e.g. hostpci0, usb1, serial0"),
  }),
  output: deviceOutput,
  annotations: DESTRUCTIVE,
  endpoints: [CLUSTER_RESOURCES, GUEST_CONFIG.only("qemu"), ...qemuConfigWrite("delete")],
  async handler(args, ctx) {
    const key = args.device_id;
    if (/^(scsi|virtio|sata|ide|efidisk|tpmstate|unused)\d+$/.test(key)) {
      throw new ToolError(
        `${key} is a disk`,
        "Use remove_disk (it can keep or destroy the volume).",
      );
    }
    if (/^net\d+$/.test(key)) throw new ToolError(`${key} is a NIC`, "Use remove_network.");
    if (!DEVICE_KEY.test(key)) {
      throw new ToolError(
        `${key} is not a device key`,
        "Devices: hostpciN, usbN, serialN, parallelN, audio0, rng0, watchdog, virtiofsN.",
      );
    }
    return onGuest(ctx, { ...args, type: "qemu" }, async (guest) => {
      expectType(guest, "qemu", "remove_vm_device");
      const config = await readConfig(ctx, guest);
      if (config[key] === undefined) {
        const present = Object.keys(config).filter((k) => DEVICE_KEY.test(k));
        throw new ToolError(
          `${describeGuest(guest)} has no ${key}`,
          `Its devices: ${present.join(", ") || "none"}.`,
        );
      }
      const w = await writeConfig(
        ctx,
        guest,
        { delete: key },
        `removing ${key} from ${describeGuest(guest)}`,
      );
      const message = w.pending.length
        ? `${key} of ${describeGuest(guest)} will be removed at its next start${pendingNote(guest, w.pending)}`
        : `removed ${key} (${config[key]}) from ${describeGuest(guest)}`;
      return {
        data: { ...guestData(guest), device: key, value: String(config[key]), message, ...w },
      };
    });
  },
});

export const guestDeviceTools: ToolDef[] = [
  listPciDevices,
  listUsbDevices,
  addPciDevice,
  addUsbDevice,
  removeVmDevice,
];
