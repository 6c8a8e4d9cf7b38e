// The demo cluster's datacenter contents: firewall rules, HA under PVE 9 rules, and per node the
// services, packages, subscription, network interfaces and a journal of the last hours.
import type { JournalLine, MockPackage, MockService } from "./datacenter.ts";
import type { ClusterState } from "./state.ts";

export const SERVICES: readonly [string, string][] = [
  ["chrony", "chrony, an NTP client/server"],
  ["corosync", "Corosync Cluster Engine"],
  ["cron", "Regular background program processing daemon"],
  ["ksmtuned", "Kernel Samepage Merging (KSM) Tuning Daemon"],
  ["lxcfs", "FUSE filesystem for LXC"],
  ["postfix", "Postfix Mail Transport Agent (instance -)"],
  ["proxmox-firewall", "Proxmox nftables firewall"],
  ["pve-cluster", "The Proxmox VE cluster filesystem"],
  ["pve-firewall", "Proxmox VE firewall"],
  ["pve-ha-crm", "PVE Cluster HA Resource Manager Daemon"],
  ["pve-ha-lrm", "PVE Local HA Resource Manager Daemon"],
  ["pve-lxc-syscalld", "Proxmox VE LXC Syscall Daemon"],
  ["pvedaemon", "PVE API Daemon"],
  ["pvefw-logger", "Proxmox VE firewall logger"],
  ["pveproxy", "PVE API Proxy Server"],
  ["pvescheduler", "Proxmox VE scheduler"],
  ["pvestatd", "PVE Status Daemon"],
  ["qmeventd", "PVE Qemu Event Daemon"],
  ["spiceproxy", "PVE SPICE Proxy Server"],
  ["sshd", "OpenBSD Secure Shell server"],
  ["syslog", "System Logging Service"],
  ["systemd-journald", "Journal Service"],
  ["systemd-timesyncd", "Network Time Synchronization"],
];

/** Services that are installed but not running on a default PVE 9 host. */
const INACTIVE = new Set(["proxmox-firewall", "systemd-timesyncd", "syslog"]);

function pkg(
  name: string,
  title: string,
  version: string,
  section = "admin",
  origin = "Proxmox",
): MockPackage {
  return {
    Package: name,
    Title: title,
    Version: version,
    Origin: origin,
    Section: section,
    Priority: "optional",
    Arch: name === "proxmox-ve" ? "all" : "amd64",
  };
}

const INSTALLED: readonly MockPackage[] = [
  pkg("proxmox-ve", "Proxmox Virtual Environment", "9.1.0"),
  pkg("pve-manager", "Proxmox Virtual Environment Management Tools", "9.1.3"),
  pkg("proxmox-kernel-6.17", "Latest Proxmox Kernel Image", "6.17.2-1", "kernel"),
  pkg("qemu-server", "Qemu Server Tools", "9.1.2"),
  pkg("pve-container", "Proxmox VE Container management tool", "6.0.18"),
  pkg("pve-qemu-kvm", "Full virtualization on x86 hardware", "10.1.2-4", "misc"),
  pkg("libpve-storage-perl", "Proxmox VE storage management library", "9.1.0", "perl"),
  pkg("pve-ha-manager", "Proxmox VE HA Manager", "5.0.8"),
  pkg("pve-firewall", "Proxmox VE Firewall", "6.0.4"),
  pkg("openssh-server", "secure shell (SSH) server", "1:10.0p1-7", "net", "Debian"),
];

const UPSTREAM: readonly MockPackage[] = [
  pkg("pve-manager", "Proxmox Virtual Environment Management Tools", "9.1.4"),
  pkg("qemu-server", "Qemu Server Tools", "9.1.3"),
  pkg("openssh-server", "secure shell (SSH) server", "1:10.0p1-7+deb13u1", "net", "Debian"),
];

function journalFor(node: string, now: number): JournalLine[] {
  const lines: JournalLine[] = [];
  const at = (ago: number, unit: string, text: string) =>
    lines.push({ time: now - ago, unit, text });
  for (let h = 12; h >= 1; h--) {
    const base = h * 3600;
    at(base, "pveproxy.service", "pveproxy[1618]: worker 41230 finished");
    at(base - 1, "pveproxy.service", "pveproxy[1618]: starting 1 worker(s)");
    at(base - 2, "pveproxy.service", "pveproxy[1618]: worker 41377 started");
    at(
      base - 600,
      "cron.service",
      "CRON[52110]: (root) CMD (command -v debian-sa1 > /dev/null && debian-sa1 1 1)",
    );
    at(
      base - 1200,
      "pvedaemon.service",
      "pvedaemon[1590]: <root@pam> successful auth for user 'root@pam'",
    );
    at(base - 1800, "pve-cluster.service", "pmxcfs[1298]: [status] notice: received log");
  }
  at(
    5400,
    "systemd-journald.service",
    "systemd-journald[412]: Data hash table of /var/log/journal/system.journal has a fill level at 75.0, suggesting rotation.",
  );
  at(
    3000,
    "ssh.service",
    "sshd-session[61200]: Accepted publickey for root from 10.0.0.2 port 51544 ssh2",
  );
  at(1500, "pvestatd.service", `pvestatd[1555]: status update time (5.218 seconds)`);
  at(900, "corosync.service", `corosync[1402]: [KNET  ] link: host: 2 link: 0 is up`);
  at(
    120,
    "pve-ha-lrm.service",
    `pve-ha-lrm[1701]: successfully acquired lock 'ha_agent_${node}_lock'`,
  );
  const out = lines.sort((a, b) => a.time - b.time);
  // The journal shows the host name in each line.
  return out.map((l) => ({ ...l, text: `${node} ${l.text}` }));
}

function networkFor(ip: string): Record<string, string | number | string[]>[] {
  return [
    {
      iface: "nic0",
      type: "eth",
      method: "manual",
      method6: "manual",
      families: ["inet"],
      active: 1,
      exists: 1,
      priority: 3,
    },
    {
      iface: "nic1",
      type: "eth",
      method: "manual",
      method6: "manual",
      families: ["inet"],
      active: 1,
      exists: 1,
      priority: 4,
    },
    {
      iface: "vmbr0",
      type: "bridge",
      method: "static",
      method6: "manual",
      families: ["inet"],
      autostart: 1,
      active: 1,
      address: ip,
      netmask: "24",
      cidr: `${ip}/24`,
      gateway: "10.0.0.1",
      bridge_ports: "nic0",
      bridge_stp: "off",
      bridge_fd: "0",
      "bridge-vlan-aware": 1,
      "bridge-vids": "2-4094",
      priority: 5,
    },
    {
      iface: "vmbr1",
      type: "bridge",
      method: "manual",
      method6: "manual",
      families: ["inet"],
      autostart: 1,
      active: 1,
      bridge_ports: "nic1",
      bridge_stp: "off",
      bridge_fd: "0",
      comments: "storage network\n",
      priority: 6,
    },
  ];
}

/** Fills the datacenter state of a freshly seeded cluster (nodes and guests already exist). */
export function seedDatacenter(state: ClusterState, now: number): void {
  const dc = state.dc;
  const names = [...state.nodes.keys()];
  dc.ha.master = names[0] ?? "";
  dc.firewall = [
    { type: "in", action: "ACCEPT", enable: 1, proto: "tcp", dport: "8006", comment: "web UI" },
    { type: "in", action: "ACCEPT", enable: 1, macro: "SSH", source: "10.0.0.0/24" },
  ];
  dc.guestFirewall.set(100, [
    { type: "in", action: "ACCEPT", enable: 1, proto: "tcp", dport: "443", comment: "https" },
    { type: "in", action: "ACCEPT", enable: 1, proto: "tcp", dport: "80" },
  ]);
  // PVE 9: HA groups were migrated to node-affinity rules.
  for (const g of state.guests.values()) {
    if (!g.hastate) continue;
    const sid = `${g.type === "qemu" ? "vm" : "ct"}:${g.vmid}`;
    dc.ha.resources.set(sid, { sid, type: g.type === "qemu" ? "vm" : "ct", state: g.hastate });
    const others = names.filter((n) => n !== g.node).slice(0, 1);
    dc.ha.rules.set(`ha-group-${g.vmid}`, {
      rule: `ha-group-${g.vmid}`,
      type: "node-affinity",
      resources: sid,
      nodes: [`${g.node}:2`, ...others.map((n) => `${n}:1`)].join(","),
      strict: false,
      comment: "Generated from HA group 'prefer-primary'.",
    });
  }
  let serial = 0;
  for (const [name, node] of state.nodes) {
    serial++;
    const services = new Map<string, MockService>();
    for (const [service, desc] of SERVICES) {
      const inactive = INACTIVE.has(service);
      services.set(service, {
        service,
        desc,
        state: inactive ? "dead" : "running",
        activeState: inactive ? "inactive" : "active",
        unitState: service === "syslog" ? "not-found" : inactive ? "disabled" : "enabled",
      });
    }
    dc.system.set(name, {
      services,
      installed: INSTALLED.map((p) => ({ ...p })),
      upstream: UPSTREAM.map((p) => ({ ...p })),
      aptRefreshed: false,
      subscription: { status: "notfound", message: "There is no subscription key" },
      serverid: `${serial.toString(16).padStart(2, "0").toUpperCase()}9E4A1B7C3D5F2E8A6B0C4D1E9F7A3B5C`,
      network: networkFor(node.ip),
      journal: journalFor(name, now),
      firewall: [],
      dns: { search: "demo.lan", dns1: "10.0.0.1", dns2: "1.1.1.1" },
      hosts: `127.0.0.1 localhost.localdomain localhost\n${node.ip} ${name}.demo.lan ${name}\n\n# The following lines are desirable for IPv6 capable hosts\n::1     ip6-localhost ip6-loopback\nfe00::0 ip6-localnet\nff00::0 ip6-mcastprefix\nff02::1 ip6-allnodes\nff02::2 ip6-allrouters\nff02::3 ip6-allhosts\n`,
      timezone: "Europe/Vienna",
      config: {},
    });
  }
}
