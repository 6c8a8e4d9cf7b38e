// The VM config options the mock accepts (a hand-written subset of PVE's qemu schema).
import type { ParamTable } from "../params.ts";

const bool = (description: string, dflt?: number) =>
  ({
    type: "boolean",
    optional: true,
    description,
    ...(dflt !== undefined ? { default: dflt } : {}),
  }) as const;
const str = (description: string, format?: string) =>
  ({ type: "string", optional: true, description, ...(format ? { format } : {}) }) as const;
const drive = (bus: string) =>
  str(`Use volume as ${bus} hard disk or CD-ROM (n is 0 to 30).`, `pve-qm-${bus}`);

export const QEMU_OPTIONS: ParamTable = {
  acpi: bool("Enable/disable ACPI.", 1),
  agent: str(
    "Enable/disable communication with the QEMU Guest Agent and its properties.",
    "pve-qm-agent",
  ),
  balloon: {
    type: "integer",
    optional: true,
    minimum: 0,
    description: "Amount of target RAM for the VM in MiB. Using zero disables the ballon driver.",
  },
  bios: {
    type: "string",
    optional: true,
    enum: ["seabios", "ovmf"],
    default: "seabios",
    description: "Select BIOS implementation.",
  },
  boot: str("Specify guest boot order.", "pve-qm-boot"),
  cdrom: str("This is an alias for option -ide2", "pve-qm-ide"),
  cicustom: str(
    "cloud-init: Specify custom files to replace the automatically generated ones at start.",
  ),
  cipassword: str("cloud-init: Password to assign the user."),
  citype: {
    type: "string",
    optional: true,
    enum: ["configdrive2", "nocloud", "opennebula"],
    description: "Specifies the cloud-init configuration format.",
  },
  ciuser: str(
    "cloud-init: User name to change ssh keys and password for instead of the image's configured default user.",
  ),
  cores: {
    type: "integer",
    optional: true,
    minimum: 1,
    default: 1,
    description: "The number of cores per socket.",
  },
  cpu: str("Emulated CPU type.", "pve-vm-cpu-conf"),
  cpulimit: {
    type: "number",
    optional: true,
    minimum: 0,
    maximum: 128,
    default: 0,
    description: "Limit of CPU usage.",
  },
  cpuunits: {
    type: "integer",
    optional: true,
    minimum: 1,
    maximum: 262144,
    description: "CPU weight for a VM.",
  },
  description: {
    type: "string",
    optional: true,
    maxLength: 8192,
    description: "Description for the VM. Shown in the web-interface VM's summary.",
  },
  "efidisk[n]": str("Configure a disk for storing EFI vars.", "pve-qm-efidisk"),
  "hostpci[n]": str("Map host PCI devices into guest.", "pve-qm-hostpci"),
  hotplug: str("Selectively enable hotplug features.", "pve-hotplug-features"),
  "ide[n]": drive("ide"),
  "ipconfig[n]": str(
    "cloud-init: Specify IP addresses and gateways for the corresponding interface.",
    "pve-qm-ipconfig",
  ),
  kvm: bool("Enable/disable KVM hardware virtualization.", 1),
  localtime: bool("Set the real time clock (RTC) to local time."),
  machine: str("Specify the QEMU machine."),
  memory: str("Memory properties.", "pve-qm-memory"),
  name: str("Set a name for the VM. Only used on the configuration web interface.", "dns-name"),
  nameserver: str("cloud-init: Sets DNS server IP address for a container."),
  "net[n]": str("Specify network devices.", "pve-qm-net"),
  numa: bool("Enable/disable NUMA.", 0),
  onboot: bool("Specifies whether a VM will be started during system bootup.", 0),
  ostype: {
    type: "string",
    optional: true,
    enum: [
      "other",
      "wxp",
      "w2k",
      "w2k3",
      "w2k8",
      "wvista",
      "win7",
      "win8",
      "win10",
      "win11",
      "l24",
      "l26",
      "solaris",
    ],
    description: "Specify guest operating system.",
  },
  protection: bool(
    "Sets the protection flag of the VM. This will disable the remove VM and remove disk operations.",
    0,
  ),
  "sata[n]": drive("sata"),
  "scsi[n]": drive("scsi"),
  scsihw: {
    type: "string",
    optional: true,
    enum: ["lsi", "lsi53c810", "virtio-scsi-pci", "virtio-scsi-single", "megasas", "pvscsi"],
    default: "lsi",
    description: "SCSI controller model",
  },
  searchdomain: str("cloud-init: Sets DNS search domains for a container."),
  "serial[n]": str("Create a serial device inside the VM (n is 0 to 3)"),
  shares: {
    type: "integer",
    optional: true,
    minimum: 0,
    maximum: 50000,
    description: "Amount of memory shares for auto-ballooning.",
  },
  smbios1: str("Specify SMBIOS type 1 fields.", "pve-qm-smbios1"),
  sockets: {
    type: "integer",
    optional: true,
    minimum: 1,
    default: 1,
    description: "The number of CPU sockets.",
  },
  sshkeys: str(
    "cloud-init: Setup public SSH keys (one key per line, OpenSSH format).",
    "urlencoded",
  ),
  startup: str("Startup and shutdown behavior.", "pve-startup-order"),
  tablet: bool("Enable/disable the USB tablet device.", 1),
  tags: str("Tags of the VM. This is only meta information.", "pve-tag-list"),
  "tpmstate[n]": str("Configure a Disk for storing TPM state.", "pve-qm-tpmstate"),
  vcpus: {
    type: "integer",
    optional: true,
    minimum: 1,
    description: "Number of hotplugged vcpus.",
  },
  vga: str("Configure the VGA hardware.", "pve-qm-vga"),
  "usb[n]": str(
    "Configure an USB device (n is 0 to 4, for machine version >= 7.1 and ostype l26 or windows > 7, n can be up to 14).",
  ),
  "virtio[n]": drive("virtio"),
  vmgenid: str("Set VM Generation ID."),
};
