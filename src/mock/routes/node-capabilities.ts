// What a node's QEMU can do (CPU models, CPU flags, machine types, migration features) and the
// mediated device types of a PCI device.
import { fail } from "../errors.ts";
import { CPU_MODELS } from "../formats/qemu.ts";
import { node, type ParamSpec } from "../params.ts";
import type { Route } from "../router.ts";

const arch: ParamSpec = {
  type: "string",
  optional: true,
  enum: ["x86_64", "aarch64"],
  description: "Virtual processor architecture. Defaults to the host architecture.",
};
const audit = [{ path: "/nodes", privs: ["Sys.Audit"] }];

/** The VM-specific CPU flags qemu-server allows (supported_cpu_flags). */
const CPU_FLAGS: [string, string][] = [
  ["md-clear", "Required to let the guest OS know if MDS is mitigated correctly"],
  ["pcid", "Meltdown fix cost reduction on Westmere, Sandy-, and IvyBridge Intel CPUs"],
  ["spec-ctrl", "Allows improved Spectre mitigation with Intel CPUs"],
  ["ssbd", "Protection for 'Speculative Store Bypass' for Intel models"],
  ["ibpb", "Allows improved Spectre mitigation with AMD CPUs"],
  ["virt-ssbd", "Basis for 'Speculative Store Bypass' protection for AMD models"],
  ["amd-ssbd", "Improves Spectre mitigation performance with AMD CPUs, best used with 'virt-ssbd'"],
  ["amd-no-ssb", "Notifies guest OS that host is not vulnerable for Spectre on AMD CPUs"],
  ["pdpe1gb", "Allow guest OS to use 1GB size pages, if host HW supports it"],
  [
    "hv-tlbflush",
    "Improve performance in overcommitted Windows guests. May lead to guest bluescreens on old CPUs.",
  ],
  ["hv-evmcs", "Improve performance for nested virtualization. Only supported on Intel CPUs."],
  ["aes", "Activate AES instruction set for HW acceleration."],
];

/** QEMU 10.1's machine versions (most recent first) of both types. */
const VERSIONS = ["10.1", "10.0", "9.2", "9.1", "9.0", "8.2", "8.1", "8.0", "7.2", "7.1", "7.0"];

export const nodeCapabilityRoutes: Route[] = [
  {
    method: "GET",
    path: "/nodes/{node}/capabilities/qemu/cpu",
    description: "List all custom and default CPU models.",
    permission: audit,
    proxyto: "node",
    parameters: { node, arch },
    handler: ({ params }) =>
      params.arch === "aarch64"
        ? [{ name: "max", vendor: "default", custom: 0 }]
        : CPU_MODELS.map((m) => ({ name: m.name, vendor: m.vendor, custom: 0 })),
  },
  {
    method: "GET",
    path: "/nodes/{node}/capabilities/qemu/cpu-flags",
    description: "List of available VM-specific CPU flags.",
    permission: audit,
    proxyto: "node",
    parameters: { node, arch },
    handler: () => CPU_FLAGS.map(([name, description]) => ({ name, description })),
  },
  {
    method: "GET",
    path: "/nodes/{node}/capabilities/qemu/machines",
    description: "Get available QEMU/KVM machine types.",
    permission: audit,
    proxyto: "node",
    parameters: { node, arch },
    handler: () =>
      (["q35", "i440fx"] as const).flatMap((type) =>
        VERSIONS.map((version) => ({
          id: `pc-${type}-${version}`,
          type,
          version: `${version}+pve0`,
        })),
      ),
  },
  {
    method: "GET",
    path: "/nodes/{node}/capabilities/qemu/migration",
    description: "Get node-specific QEMU migration capabilities of the node.",
    permission: audit,
    proxyto: "node",
    parameters: { node },
    handler: () => ({ "has-dbus-vmstate": 1 }),
  },
  {
    method: "GET",
    path: "/nodes/{node}/hardware/pci/{pci-id-or-mapping}/mdev",
    description: "List mediated device types for given PCI device.",
    permission: [{ path: "/", privs: ["Sys.Audit"] }],
    proxyto: "node",
    parameters: {
      node,
      "pci-id-or-mapping": {
        type: "string",
        pattern:
          "(?:(?:[a-f0-9]{4,}:)?[a-f0-9]{2}:[a-f0-9]{2}(?:\\.[a-f0-9])?)|[a-zA-Z][a-zA-Z0-9_-]+",
        description: "The PCI ID or mapping to list the mdev types for.",
      },
    },
    handler: ({ mock, params }) => {
      const id = String(params["pci-id-or-mapping"]);
      if (!id.includes(":") && !mock.state.dc.objects.mappings.pci.has(id)) {
        throw fail(`mapping '${id}' not found`);
      }
      // Only an A100 offers mediated devices in the demo: its NVIDIA vGPU profiles.
      if (id !== "0000:41:00.0") return [];
      return ["1-10C", "2-20C", "4-40C"].map((name, i) => ({
        type: `nvidia-${471 + i}`,
        name: `GRID A100-${name}`,
        description: `num_heads=1, frl_config=60, framebuffer=${10 * 2 ** i}G, max_resolution=4096x2160`,
        available: 7 >> i,
      }));
    },
  },
];
