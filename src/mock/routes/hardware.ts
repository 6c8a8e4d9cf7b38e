// /nodes/{node}/hardware: the host's PCI and USB devices (for passthrough).
import { node } from "../params.ts";
import type { Route } from "../router.ts";

interface Pci {
  id: string;
  class: string;
  vendor: string;
  device: string;
  vendor_name: string;
  device_name: string;
  iommugroup: number;
  subsystem_vendor?: string;
  subsystem_device?: string;
  subsystem_vendor_name?: string;
  subsystem_device_name?: string;
  mdev?: number;
}

// Every node has the same board; pve1 also has a GPU, pve2 a vGPU-capable card.
const COMMON: Pci[] = [
  {
    id: "0000:00:00.0",
    class: "0x060000",
    vendor: "0x1022",
    device: "0x1480",
    vendor_name: "Advanced Micro Devices, Inc. [AMD]",
    device_name: "Starship/Matisse Root Complex",
    iommugroup: -1,
  },
  {
    id: "0000:00:14.0",
    class: "0x0c0330",
    vendor: "0x1022",
    device: "0x149c",
    vendor_name: "Advanced Micro Devices, Inc. [AMD]",
    device_name: "Matisse USB 3.0 Host Controller",
    iommugroup: 9,
  },
  {
    id: "0000:02:00.0",
    class: "0x010802",
    vendor: "0x144d",
    device: "0xa80a",
    vendor_name: "Samsung Electronics Co Ltd",
    device_name: "NVMe SSD Controller PM9A1/PM9A3/980PRO",
    iommugroup: 11,
    subsystem_vendor: "0x144d",
    subsystem_device: "0xa801",
  },
  {
    id: "0000:03:00.0",
    class: "0x020000",
    vendor: "0x8086",
    device: "0x1533",
    vendor_name: "Intel Corporation",
    device_name: "I210 Gigabit Network Connection",
    iommugroup: 12,
    subsystem_vendor: "0x15d9",
    subsystem_device: "0x1533",
  },
  {
    id: "0000:03:00.1",
    class: "0x020000",
    vendor: "0x8086",
    device: "0x1533",
    vendor_name: "Intel Corporation",
    device_name: "I210 Gigabit Network Connection",
    iommugroup: 13,
  },
];
const EXTRA: Record<string, Pci[]> = {
  pve1: [
    {
      id: "0000:01:00.0",
      class: "0x030000",
      vendor: "0x10de",
      device: "0x2204",
      vendor_name: "NVIDIA Corporation",
      device_name: "GA102 [GeForce RTX 3090]",
      iommugroup: 14,
      subsystem_vendor: "0x10de",
      subsystem_device: "0x1454",
      subsystem_vendor_name: "NVIDIA Corporation",
      subsystem_device_name: "GA102 [GeForce RTX 3090]",
    },
    {
      id: "0000:01:00.1",
      class: "0x040300",
      vendor: "0x10de",
      device: "0x1aef",
      vendor_name: "NVIDIA Corporation",
      device_name: "GA102 High Definition Audio Controller",
      iommugroup: 14,
    },
  ],
  pve2: [
    {
      id: "0000:41:00.0",
      class: "0x030200",
      vendor: "0x10de",
      device: "0x20b5",
      vendor_name: "NVIDIA Corporation",
      device_name: "GA100 [A100 PCIe 80GB]",
      iommugroup: 32,
      mdev: 1,
    },
  ],
};

const USB: Record<string, unknown>[] = [
  {
    busnum: 1,
    devnum: 1,
    level: 0,
    port: 0,
    class: 9,
    vendid: "1d6b",
    prodid: "0002",
    speed: "480",
    manufacturer: "Linux 6.17.2-1-pve xhci-hcd",
    product: "xHCI Host Controller",
    usbpath: "1",
  },
  {
    busnum: 1,
    devnum: 3,
    level: 1,
    port: 2,
    class: 0,
    vendid: "0781",
    prodid: "5583",
    speed: "480",
    manufacturer: "SanDisk",
    product: "Ultra Fit",
    serial: "4C530001230915117365",
    usbpath: "1-3",
  },
  {
    busnum: 1,
    devnum: 4,
    level: 1,
    port: 3,
    class: 3,
    vendid: "051d",
    prodid: "0002",
    speed: "12",
    manufacturer: "American Power Conversion",
    product: "Back-UPS ES 700G FW:871.O4 .I USB FW:O4",
    serial: "4B1624P48213",
    usbpath: "1-4",
  },
  {
    busnum: 2,
    devnum: 1,
    level: 0,
    port: 0,
    class: 9,
    vendid: "1d6b",
    prodid: "0003",
    speed: "5000",
    manufacturer: "Linux 6.17.2-1-pve xhci-hcd",
    product: "xHCI Host Controller",
    usbpath: "2",
  },
];

export const hardwareRoutes: Route[] = [
  {
    method: "GET",
    path: "/nodes/{node}/hardware",
    description: "Index of hardware types",
    permission: [{ path: "/", privs: ["Sys.Audit", "Sys.Modify"], any: true }],
    proxyto: "node",
    parameters: { node },
    handler: () => [{ type: "pci" }, { type: "usb" }],
  },
  {
    method: "GET",
    path: "/nodes/{node}/hardware/pci",
    description: "List local PCI devices.",
    permission: [{ path: "/", privs: ["Sys.Audit", "Sys.Modify"], any: true }],
    proxyto: "node",
    parameters: {
      node,
      "pci-class-blacklist": {
        type: "string",
        optional: true,
        format: "string-list",
        default: "05;06;0b",
        description: "A list of blacklisted PCI classes, which will not be returned.",
      },
      verbose: {
        type: "boolean",
        optional: true,
        default: 1,
        description:
          "If disabled, does only print the PCI IDs. Otherwise, additional information like vendor and device will be returned.",
      },
    },
    handler: ({ params }) => {
      const blocked = String(params["pci-class-blacklist"] ?? "05;06;0b")
        .split(/[;,\s]+/)
        .filter(Boolean);
      return [...COMMON, ...(EXTRA[String(params.node)] ?? [])]
        .filter((d) => !blocked.some((c) => d.class.slice(2).startsWith(c)))
        .sort((a, b) => a.id.localeCompare(b.id))
        .map((d) =>
          params.verbose === false
            ? {
                id: d.id,
                class: d.class,
                vendor: d.vendor,
                device: d.device,
                iommugroup: d.iommugroup,
              }
            : d,
        );
    },
  },
  {
    method: "GET",
    path: "/nodes/{node}/hardware/usb",
    description: "List local USB devices.",
    permission: [{ path: "/", privs: ["Sys.Modify"] }],
    proxyto: "node",
    parameters: { node },
    handler: () => USB.map((d) => ({ ...d })),
  },
];
