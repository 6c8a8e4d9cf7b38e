// /nodes, /nodes/{node}, /nodes/{node}/status, /nodes/{node}/version.
import { node } from "../params.ts";
import { hasPriv } from "../perms.ts";
import type { Route } from "../router.ts";
import { nodeOnline, nodeStats } from "./cluster.ts";

export const nodeRoutes: Route[] = [
  {
    method: "GET",
    path: "/nodes",
    description: "Cluster node index.",
    permission: "all",
    parameters: {},
    handler: ({ mock, who }) =>
      [...mock.state.nodes.values()].map((n) => {
        const base = {
          id: `node/${n.name}`,
          node: n.name,
          type: "node",
          ssl_fingerprint: n.sslFingerprint,
        };
        if (!nodeOnline(mock, n.name)) return { ...base, status: "offline" };
        // Nodes are always listed; stats only with Sys.Audit on the node.
        const stats = hasPriv(mock.state, who, `/nodes/${n.name}`, ["Sys.Audit"])
          ? nodeStats(n)
          : {};
        return { ...base, status: "online", level: "", ...stats };
      }),
  },
  {
    method: "GET",
    path: "/nodes/{node}",
    description: "Node index.",
    permission: "all",
    parameters: { node },
    handler: () =>
      [
        "apt",
        "capabilities",
        "ceph",
        "certificates",
        "config",
        "disks",
        "dns",
        "firewall",
        "hardware",
        "hosts",
        "journal",
        "lxc",
        "netstat",
        "network",
        "qemu",
        "query-url-metadata",
        "replication",
        "report",
        "rrd",
        "rrddata",
        "scan",
        "sdn",
        "services",
        "spiceshell",
        "startall",
        "status",
        "stopall",
        "storage",
        "subscription",
        "syslog",
        "tasks",
        "termproxy",
        "time",
        "version",
        "vncshell",
        "vzdump",
        "wakeonlan",
      ].map((name) => ({ name })),
  },
  {
    method: "GET",
    path: "/nodes/{node}/status",
    description: "Read node status",
    permission: [{ path: "/nodes/{node}", privs: ["Sys.Audit"] }],
    proxyto: "node",
    parameters: { node },
    handler: ({ mock, params }) => {
      const n = mock.state.nodes.get(String(params.node));
      if (!n) return null;
      const [release, ...rest] = n.kversion.replace(/^Linux /, "").split(" ");
      const version = rest.slice(0, -1).join(" ");
      const rootUsed = n.disk;
      return {
        uptime: Math.floor(Date.now() / 1000) - n.bootTime,
        idle: 0,
        cpu: n.cpu,
        wait: 0.0012,
        loadavg: n.loadavg,
        kversion: n.kversion,
        "current-kernel": { sysname: "Linux", release, version, machine: "x86_64" },
        "boot-info": { mode: "efi", secureboot: 0 },
        pveversion: `pve-manager/${mock.state.version.version}/${mock.state.version.repoid}`,
        cpuinfo: {
          model: n.cpuModel,
          sockets: n.sockets,
          cores: n.maxcpu / 2,
          cpus: n.maxcpu,
          mhz: "3000.000",
          hvm: "1",
          flags:
            "fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush mmx fxsr sse sse2 ht syscall nx lm constant_tsc rep_good nopl xtopology cpuid pni ssse3 fma cx16 sse4_1 sse4_2 x2apic movbe popcnt aes xsave avx f16c rdrand hypervisor lahf_lm avx2",
          user_hz: 100,
        },
        memory: {
          total: n.maxmem,
          used: n.mem,
          free: n.maxmem - n.mem,
          available: n.maxmem - n.mem,
        },
        swap: { total: 8 * 2 ** 30, used: 0, free: 8 * 2 ** 30 },
        rootfs: {
          total: n.maxdisk,
          used: rootUsed,
          free: n.maxdisk - rootUsed,
          avail: n.maxdisk - rootUsed,
        },
        ksm: { shared: 0 },
      };
    },
  },
  {
    method: "GET",
    path: "/nodes/{node}/version",
    description: "API version details",
    permission: "all",
    proxyto: "node",
    parameters: { node },
    handler: ({ mock }) => ({ ...mock.state.version }),
  },
];
