// The other property strings of a VM's config (qemu-server): NICs, cloud-init IPs, host devices,
// agent, boot order, display, memory, machine, CPU and the smaller devices.
import {
  bool,
  int,
  type KeySpec,
  num,
  oneOf,
  type PropertyFormat,
  required,
  str,
  type Verifier,
} from "./types.ts";

export const NIC_MODELS = [
  "e1000",
  "e1000-82540em",
  "e1000-82544gc",
  "e1000-82545em",
  "e1000e",
  "i82551",
  "i82557b",
  "i82559er",
  "ne2k_isa",
  "ne2k_pci",
  "pcnet",
  "rtl8139",
  "virtio",
  "vmxnet3",
];

const X86_CPUS =
  "486 pentium pentium2 pentium3 coreduo core2duo Conroe Penryn Nehalem Nehalem-IBRS Westmere Westmere-IBRS SandyBridge SandyBridge-IBRS IvyBridge IvyBridge-IBRS Haswell Haswell-IBRS Haswell-noTSX Haswell-noTSX-IBRS Broadwell Broadwell-IBRS Broadwell-noTSX Broadwell-noTSX-IBRS Skylake-Client Skylake-Client-IBRS Skylake-Client-noTSX-IBRS Skylake-Client-v4 Skylake-Server Skylake-Server-IBRS Skylake-Server-noTSX-IBRS Skylake-Server-v4 Skylake-Server-v5 Cascadelake-Server Cascadelake-Server-v2 Cascadelake-Server-noTSX Cascadelake-Server-v4 Cascadelake-Server-v5 Cooperlake Cooperlake-v2 KnightsMill Icelake-Client Icelake-Client-noTSX Icelake-Server Icelake-Server-noTSX Icelake-Server-v3 Icelake-Server-v4 Icelake-Server-v5 Icelake-Server-v6 SapphireRapids SapphireRapids-v2 GraniteRapids athlon phenom Opteron_G1 Opteron_G2 Opteron_G3 Opteron_G4 Opteron_G5 EPYC EPYC-IBPB EPYC-v3 EPYC-v4 EPYC-Rome EPYC-Rome-v2 EPYC-Rome-v3 EPYC-Rome-v4 EPYC-Milan EPYC-Milan-v2 EPYC-Genoa kvm32 kvm64 qemu32 qemu64 max host".split(
    " ",
  );
/** The x86-64 ABI levels PVE adds as built-in models. */
const BUILTIN_CPUS = ["x86-64-v2", "x86-64-v2-AES", "x86-64-v3", "x86-64-v4"];

/** Every CPU model a VM may name, with its vendor (GET …/capabilities/qemu/cpu lists them). */
export const CPU_MODELS: readonly { name: string; vendor: string }[] = [
  ...X86_CPUS.map((name) => ({
    name,
    vendor: /^(athlon|phenom|Opteron|EPYC)/.test(name)
      ? "AuthenticAMD"
      : /^(kvm|qemu|max|host)/.test(name)
        ? "default"
        : "GenuineIntel",
  })),
  ...BUILTIN_CPUS.map((name) => ({ name, vendor: "default" })),
];

const PCI_ID = "(?:[a-f0-9]{4,}:)?[a-f0-9]{2}:[a-f0-9]{2}(?:\\.[a-f0-9])?";
const HEX_ID = str({ pattern: "0x[0-9a-fA-F]{4}" });
const USB_HOST =
  "(?:(0x)?([0-9A-Fa-f]{4}):(0x)?([0-9A-Fa-f]{4}))|(?:(\\d+)-(\\d+(\\.\\d+)*))|[Ss][Pp][Ii][Cc][Ee]";
const CPU_FLAG = "[+-][a-zA-Z0-9\\-_.]+";
const ID_RANGES = "\\d+(?:-\\d+)?(?:;\\d+(?:-\\d+)?)*";

const netKeys: Record<string, KeySpec> = {
  model: required(oneOf(NIC_MODELS, { defaultKey: true })),
  macaddr: str({ format: "mac-addr" }),
  ...Object.fromEntries(NIC_MODELS.map((m) => [m, { alias: "macaddr", keyAlias: "model" }])),
  bridge: str({ format: "pve-bridge-id" }),
  queues: int(0, 64),
  rate: num(0),
  tag: int(1, 4094),
  trunks: str({ pattern: ID_RANGES }),
  firewall: bool(),
  link_down: bool(),
  mtu: int(1, 65520),
  "host-tunnel": bool(),
};

export const QEMU_FORMATS: Record<string, PropertyFormat> = {
  "pve-qm-net": { keys: netKeys },
  "pve-qm-ipconfig": {
    keys: {
      ip: str({ format: "pve-ipv4-config" }),
      gw: str({ format: "ipv4", requires: "ip" }),
      ip6: str({ format: "pve-ipv6-config" }),
      gw6: str({ format: "ipv6", requires: "ip6" }),
    },
  },
  "pve-qm-hostpci": {
    keys: {
      host: str({ defaultKey: true, pattern: `${PCI_ID}(;${PCI_ID})*` }),
      mapping: str({ format: "pve-configid" }),
      rombar: bool(),
      romfile: str({ pattern: "[^,;]+" }),
      pcie: bool(),
      "x-vga": bool(),
      "legacy-igd": bool(),
      mdev: str({ pattern: "[^/.:]+" }),
      "vendor-id": HEX_ID,
      "device-id": HEX_ID,
      "sub-vendor-id": HEX_ID,
      "sub-device-id": HEX_ID,
      driver: oneOf(["vfio", "keep"]),
    },
  },
  "pve-qm-usb": {
    keys: {
      host: str({ defaultKey: true, pattern: USB_HOST }),
      mapping: str({ format: "pve-configid" }),
      usb3: bool(),
    },
  },
  "pve-qm-agent": {
    keys: {
      enabled: required(bool({ defaultKey: true })),
      "freeze-fs": bool(),
      "freeze-fs-on-backup": { alias: "freeze-fs" },
      "guest-fsfreeze": { alias: "freeze-fs" },
      fstrim_cloned_disks: bool(),
      type: oneOf(["virtio", "isa"]),
    },
  },
  "pve-qm-boot": {
    keys: {
      legacy: str({ defaultKey: true, pattern: "[acdn]{1,4}" }),
      order: str({ format: "pve-qm-bootdev-list" }),
    },
  },
  "pve-qm-vga": {
    keys: {
      type: oneOf(
        [
          "cirrus",
          "qxl",
          "qxl2",
          "qxl3",
          "qxl4",
          "none",
          "serial0",
          "serial1",
          "serial2",
          "serial3",
          "std",
          "virtio",
          "virtio-gl",
          "vmware",
        ],
        { defaultKey: true },
      ),
      memory: int(4, 512),
      clipboard: oneOf(["vnc"]),
    },
  },
  "pve-qm-memory": { keys: { current: required(int(16, undefined, { defaultKey: true })) } },
  "pve-qm-machine": {
    keys: {
      type: str({
        defaultKey: true,
        maxLength: 40,
        pattern:
          "(pc|pc(-i440fx)?-\\d+(\\.\\d+)+(\\+pve\\d+)?(\\.pxe)?|q35|pc-q35-\\d+(\\.\\d+)+(\\+pve\\d+)?(\\.pxe)?|virt(?:-\\d+(\\.\\d+)+)?(\\+pve\\d+)?)",
      }),
      viommu: oneOf(["intel", "virtio"]),
      "enable-s3": bool(),
      "enable-s4": bool(),
      "aw-bits": num(32, 64),
    },
  },
  "pve-qm-audio": {
    keys: {
      device: required(oneOf(["ich9-intel-hda", "intel-hda", "AC97"])),
      driver: oneOf(["spice", "none"]),
    },
  },
  "pve-qm-rng": {
    keys: {
      source: required(oneOf(["/dev/urandom", "/dev/random", "/dev/hwrng"], { defaultKey: true })),
      max_bytes: int(),
      period: int(),
    },
  },
  "pve-qm-watchdog": {
    keys: {
      model: oneOf(["i6300esb", "ib700"], { defaultKey: true }),
      action: oneOf(["reset", "shutdown", "poweroff", "pause", "debug", "none"]),
    },
  },
  "pve-qm-smbios1": {
    keys: {
      uuid: str({ pattern: "[a-fA-F0-9]{8}(?:-[a-fA-F0-9]{4}){3}-[a-fA-F0-9]{12}" }),
      ...Object.fromEntries(
        ["version", "serial", "manufacturer", "product", "sku", "family"].map((k) => [
          k,
          str({ pattern: "[A-Za-z0-9+/]+={0,2}" }),
        ]),
      ),
      base64: bool(),
    },
  },
  "pve-vm-cpu-conf": {
    keys: {
      cputype: str({ defaultKey: true }),
      "reported-model": oneOf(X86_CPUS),
      hidden: bool(),
      "hv-vendor-id": str({ pattern: "[a-zA-Z0-9]{1,12}" }),
      flags: str({ pattern: `${CPU_FLAG}(;${CPU_FLAG})*` }),
      "guest-phys-bits": int(32, 64),
      "phys-bits": str({ format: "pve-phys-bits" }),
      level: int(0, 4294967295),
    },
    validate: (cpu) => {
      const type = cpu.cputype;
      if (!type) return "CPU is missing cputype\n";
      if (!type.startsWith("custom-") && !CPU_MODELS.some((m) => m.name === type)) {
        return `Built-in cputype '${type}' is not defined (missing 'custom-' prefix?)\n`;
      }
      if (cpu["reported-model"] !== undefined) {
        return "Property 'reported-model' not allowed in VM-specific CPU config.\n";
      }
      return undefined;
    },
  },
  "pve-qm-spice-enhancements": {
    keys: { foldersharing: bool(), videostreaming: oneOf(["off", "all", "filter"]) },
  },
  "pve-qm-numanode": {
    keys: {
      cpus: required(str({ pattern: ID_RANGES })),
      hostnodes: str({ pattern: ID_RANGES }),
      memory: num(),
      policy: oneOf(["preferred", "bind", "interleave"]),
    },
  },
  "pve-qm-ivshmem": {
    keys: { size: required(int(1)), name: str({ pattern: "[a-zA-Z0-9\\-]+" }) },
  },
  "pve-qm-virtiofs": {
    keys: {
      dirid: required(str({ defaultKey: true, format: "pve-configid" })),
      cache: oneOf(["auto", "always", "metadata", "never"]),
      "direct-io": bool(),
      "expose-acl": bool(),
      "expose-xattr": bool(),
    },
  },
  "pve-qm-cicustom": {
    keys: Object.fromEntries(
      ["meta", "network", "user", "vendor"].map((k) => [k, str({ format: "pve-volume-id" })]),
    ),
  },
  "pve-qemu-sev-fmt": {
    keys: {
      type: required(oneOf(["std", "es", "snp"], { defaultKey: true, maxLength: 3 })),
      "no-debug": bool(),
      "no-key-sharing": bool(),
      "allow-smt": bool(),
      "kernel-hashes": bool(),
    },
  },
  "pve-qemu-tdx-fmt": {
    keys: {
      type: required(oneOf(["tdx"], { defaultKey: true })),
      attestation: required(bool()),
      "vsock-cid": int(2),
      "vsock-port": int(0),
    },
  },
};

export const QEMU_SCALAR_FORMATS: Record<string, Verifier> = {
  // A boot device: a disk (not efidisk/tpmstate), a NIC, a USB or PCI device.
  "pve-qm-bootdev": (v) =>
    /^(ide[0-3]|sata[0-5]|scsi([0-9]|[12][0-9]|30)|virtio([0-9]|1[0-5])|net([0-9]|[12][0-9]|3[01])|usb([0-9]|1[0-4])|hostpci([0-9]|1[0-5]))$/.test(
      v,
    )
      ? undefined
      : `invalid boot device '${v}'\n`,
  "pve-phys-bits": (v) => {
    const ok = /^(host|\d{1,2})$/.test(v) && (v === "host" || (Number(v) >= 8 && Number(v) <= 64));
    return ok ? undefined : "value must be an integer between 8 and 64 or 'host'\n";
  },
};
