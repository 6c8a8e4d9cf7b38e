// Which privileges one key of a guest's config needs. For the config endpoints the schema says
// only "any of VM.Config.*": the key decides, as qemu-server (check_vm_modify_config_perm and the
// device checks beside it) and pve-container (check_ct_modify_config_perm) check it. Keys are
// written as the tools declare them (`net[n]`). Undefined: the key alone does not tell.

import type { GrantText } from "./readings.ts";

const SPACE = "Datastore.AllocateSpace@/storage/{storage}";
const BRIDGE = "SDN.Use@/sdn/zones/{zone}/{bridge}";
const vm = (priv: string): GrantText => `VM.Config.${priv}@/vms/{vmid}`;

const QEMU: [RegExp, GrantText[][]][] = [
  [/^(cores|cpu|cpulimit|cpuunits|numa|sockets|vcpus|affinity)$/, [[vm("CPU")]]],
  [/^(memory|balloon|shares)$/, [[vm("Memory")]]],
  [/^(scsi|virtio|sata|ide|efidisk|tpmstate|unused)(\[n\]|\d+)$/, [[vm("Disk"), SPACE]]],
  [/^(boot|bootdisk|vmstatestorage)$/, [[vm("Disk")]]],
  [/^net(\[n\]|\d+)$/, [[vm("Network"), BRIDGE]]],
  // Cloud-init keys pass with either privilege (check_vm_perm with `any`).
  [
    /^(ipconfig(\[n\]|\d+)|ciuser|cipassword|sshkeys|nameserver|searchdomain|citype|cicustom|ciupgrade)$/,
    [[vm("Cloudinit")], [vm("Network")]],
  ],
  // Mapped devices only: a raw host device is root@pam's alone.
  [/^hostpci(\[n\]|\d+)$/, [[vm("HWType"), "Mapping.Use@/mapping/pci/{mapping}"]]],
  [/^usb(\[n\]|\d+)$/, [[vm("HWType"), "Mapping.Use@/mapping/usb/{mapping}"]]],
  [
    /^(serial(\[n\]|\d+)|scsihw|acpi|hotplug|kvm|machine|smbios1|tablet|vga|watchdog|audio0|rng0)$/,
    [[vm("HWType")]],
  ],
  [/^startup$/, [[vm("Options"), "Sys.Modify@/"]]],
  [
    /^(tags|name|description|onboot|ostype|protection|agent|bios|keyboard|localtime|template|reboot|tdf)$/,
    [[vm("Options")]],
  ],
  [/^(force|digest|skiplock)$/, [[]]],
];

const LXC: [RegExp, GrantText[][]][] = [
  [/^(cores|cpuunits|cpulimit)$/, [[vm("CPU")]]],
  [/^(memory|swap)$/, [[vm("Memory")]]],
  [/^(rootfs|mp(\[n\]|\d+))$/, [[vm("Disk"), SPACE]]],
  [/^net(\[n\]|\d+)$/, [[vm("Network"), BRIDGE]]],
  [/^(nameserver|searchdomain|hostname)$/, [[vm("Network")]]],
  [/^(digest)$/, [[]]],
  [
    /^(tags|description|onboot|ostype|protection|startup|arch|cmode|console|tty|timezone)$/,
    [[vm("Options")]],
  ],
];

export function configKeyNeeds(kind: "qemu" | "lxc", key: string): GrantText[][] | undefined {
  for (const [pattern, needs] of kind === "qemu" ? QEMU : LXC) {
    if (pattern.test(key)) return needs;
  }
  return undefined;
}
