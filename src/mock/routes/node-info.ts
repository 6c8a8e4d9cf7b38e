// A node's remaining reads: one service's state, one interface, package changelogs and APT
// repositories, the node's replication jobs, its certificates, guest network counters, the
// appliance template index and the system report.
import { createHash } from "node:crypto";
import { SERVICES } from "../datacenter-seed.ts";
import { fail, permissionDenied } from "../errors.ts";
import { node } from "../params.ts";
import { hasPriv, type Principal } from "../perms.ts";
import type { MockContext, Route } from "../router.ts";
import { serviceRow } from "./node-system.ts";

const audit = [{ path: "/nodes/{node}", privs: ["Sys.Audit"] }];

function system(mock: MockContext, name: string) {
  const sys = mock.state.dc.system.get(name);
  if (!sys) throw fail(`no such node '${name}'`);
  return sys;
}

const sha = (text: string) => createHash("sha256").update(text).digest("hex");

/** Debian's and Proxmox's APT sources of a fresh PVE 9 node (deb822 .sources files). */
function repositories(): Record<string, unknown> {
  const debian = {
    Types: ["deb"],
    URIs: ["http://deb.debian.org/debian"],
    Suites: ["trixie", "trixie-updates"],
    Components: ["main", "contrib", "non-free-firmware"],
    Options: [{ Key: "Signed-By", Values: ["/usr/share/keyrings/debian-archive-keyring.gpg"] }],
    Comment: "",
    FileType: "sources",
    Enabled: 1,
  };
  const enterprise = {
    Types: ["deb"],
    URIs: ["https://enterprise.proxmox.com/debian/pve"],
    Suites: ["trixie"],
    Components: ["pve-enterprise"],
    Options: [{ Key: "Signed-By", Values: ["/usr/share/keyrings/proxmox-archive-keyring.gpg"] }],
    Comment: "",
    FileType: "sources",
    Enabled: 1,
  };
  const files = [
    {
      path: "/etc/apt/sources.list.d/debian.sources",
      "file-type": "sources",
      repositories: [debian],
    },
    {
      path: "/etc/apt/sources.list.d/pve-enterprise.sources",
      "file-type": "sources",
      repositories: [enterprise],
    },
  ].map((f) => ({ ...f, digest: [...Buffer.from(sha(f.path), "hex")] }));
  return {
    digest: sha(files.map((f) => f.path).join()),
    files,
    errors: [],
    infos: [
      {
        path: "/etc/apt/sources.list.d/pve-enterprise.sources",
        index: "0",
        kind: "origin",
        message: "Proxmox",
      },
      {
        path: "/etc/apt/sources.list.d/debian.sources",
        index: "0",
        kind: "origin",
        message: "Debian",
      },
    ],
    "standard-repos": [
      { handle: "enterprise", name: "Enterprise", status: 1 },
      { handle: "no-subscription", name: "No-Subscription" },
      { handle: "test", name: "Test" },
    ],
  };
}

/** The appliance templates `pveam available` knows (aplinfo.dat), a few of each section. */
const APPLIANCES: [string, string, string, string][] = [
  ["system", "debian-13-standard", "13.1-2", "Debian 13 (standard)"],
  ["system", "ubuntu-24.04-standard", "24.04-2", "Ubuntu 24.04 (standard)"],
  ["system", "alpine-3.22-default", "20250617", "Alpine Linux 3.22"],
  ["system", "rockylinux-9-default", "20240912", "Rocky Linux 9"],
  ["turnkeylinux", "debian-12-turnkey-nextcloud", "18.1-1", "TurnKey Nextcloud"],
];

export const nodeInfoRoutes: Route[] = [
  {
    method: "GET",
    path: "/nodes/{node}/services/{service}/state",
    description: "Read service properties",
    permission: audit,
    proxyto: "node",
    parameters: {
      node,
      service: { type: "string", enum: SERVICES.map(([s]) => s), description: "Service ID" },
    },
    handler: ({ mock, params }) => {
      const s = system(mock, String(params.node)).services.get(String(params.service));
      if (!s) throw fail(`no such service '${params.service}'`);
      return serviceRow(s);
    },
  },
  {
    method: "GET",
    path: "/nodes/{node}/network/{iface}",
    description: "Read network device configuration",
    permission: audit,
    proxyto: "node",
    parameters: {
      node,
      iface: { type: "string", format: "pve-iface", description: "Network interface name." },
    },
    handler: ({ mock, params }) => {
      const iface = system(mock, String(params.node)).network.find((i) => i.iface === params.iface);
      if (!iface) throw fail(`network interface '${params.iface}' does not exist`);
      return { ...iface };
    },
  },
  {
    method: "GET",
    path: "/nodes/{node}/apt/changelog",
    description: "Get package changelogs.",
    permission: audit,
    proxyto: "node",
    parameters: {
      node,
      name: { type: "string", description: "Package name." },
      version: { type: "string", optional: true, description: "Package version." },
    },
    handler: ({ mock, params }) => {
      const sys = system(mock, String(params.node));
      const pkg = [...sys.upstream, ...sys.installed].find((p) => p.Package === params.name);
      if (!pkg) throw fail(`changelog for '${params.name}' not available`);
      const version = typeof params.version === "string" ? params.version : pkg.Version;
      return `${pkg.Package} (${version}) trixie; urgency=medium\n\n  * ${pkg.Title}: bug fixes and improvements.\n\n -- Proxmox Support Team <support@proxmox.com>  Tue, 02 Dec 2025 10:00:00 +0100\n`;
    },
  },
  {
    method: "GET",
    path: "/nodes/{node}/apt/repositories",
    description: "Get APT repository information.",
    permission: audit,
    proxyto: "node",
    parameters: { node },
    handler: () => repositories(),
  },
  {
    method: "GET",
    path: "/nodes/{node}/replication",
    description: "List status of all replication jobs on this node.",
    permission: "all",
    proxyto: "node",
    parameters: {
      node,
      guest: {
        type: "integer",
        optional: true,
        minimum: 100,
        maximum: 999999999,
        format: "pve-vmid",
        description: "Only list replication jobs for this guest.",
      },
    },
    handler: ({ mock, params, who }) =>
      [...mock.state.dc.replication.values()]
        .filter(
          (j) =>
            j.source === params.node && (params.guest === undefined || j.guest === params.guest),
        )
        .filter((j) => hasPriv(mock.state, who, `/vms/${j.guest}`, ["VM.Audit"]))
        .map((j) => jobState(mock, j.id, who)),
  },
  {
    method: "GET",
    path: "/nodes/{node}/replication/{id}/status",
    description: "Get replication job status.",
    permission: "all",
    proxyto: "node",
    parameters: {
      node,
      id: { type: "string", format: "pve-replication-job-id", description: "Replication Job ID." },
    },
    handler: ({ mock, params, who }) => jobState(mock, String(params.id), who),
  },
  {
    method: "GET",
    path: "/nodes/{node}/replication/{id}/log",
    description: "Read replication job log.",
    permission: "all",
    proxyto: "node",
    parameters: {
      node,
      id: { type: "string", format: "pve-replication-job-id", description: "Replication Job ID." },
      limit: { type: "integer", optional: true, minimum: 0 },
      start: { type: "integer", optional: true, minimum: 0 },
    },
    handler: ({ mock, params, who }) => {
      const job = jobState(mock, String(params.id), who);
      return [
        `${new Date().toISOString().slice(0, 19).replace("T", " ")} ${job.id}: start replication job`,
        `${new Date().toISOString().slice(0, 19).replace("T", " ")} ${job.id}: guest => VM ${job.guest}, running => 0`,
        `${new Date().toISOString().slice(0, 19).replace("T", " ")} ${job.id}: end replication job`,
      ].map((t, i) => ({ n: i + 1, t }));
    },
  },
  {
    method: "GET",
    path: "/nodes/{node}/certificates/info",
    description: "Get information about node's certificates.",
    permission: "all",
    proxyto: "node",
    parameters: { node },
    handler: ({ mock, params }) => {
      const n = mock.state.nodes.get(String(params.node));
      if (!n) throw fail(`no such node '${params.node}'`);
      const issued = n.bootTime - 86400 * 200;
      const ca = {
        filename: "pve-root-ca.pem",
        subject: `/CN=Proxmox Virtual Environment/OU=${sha(mock.state.clusterName).slice(0, 32)}/O=PVE Cluster Manager CA`,
        issuer: `/CN=Proxmox Virtual Environment/OU=${sha(mock.state.clusterName).slice(0, 32)}/O=PVE Cluster Manager CA`,
        notbefore: issued,
        notafter: issued + 86400 * 3650,
        "public-key-type": "rsaEncryption",
        "public-key-bits": 4096,
        fingerprint: sha(`ca-${mock.state.clusterName}`).toUpperCase().match(/../g)?.join(":"),
        san: [],
      };
      return [
        ca,
        {
          filename: "pve-ssl.pem",
          subject: `/OU=PVE Cluster Node/O=Proxmox Virtual Environment/CN=${n.name}.demo.lan`,
          issuer: ca.subject,
          notbefore: issued,
          notafter: issued + 86400 * 730,
          "public-key-type": "rsaEncryption",
          "public-key-bits": 2048,
          fingerprint: n.sslFingerprint,
          san: [
            "127.0.0.1",
            "0000:0000:0000:0000:0000:0000:0000:0001",
            "localhost",
            n.ip,
            n.name,
            `${n.name}.demo.lan`,
          ],
        },
      ];
    },
  },
  {
    method: "GET",
    path: "/nodes/{node}/netstat",
    description: "Read tap/vm network device interface counters",
    permission: audit,
    proxyto: "node",
    parameters: { node },
    handler: ({ mock, params }) =>
      [...mock.state.guests.values()]
        .filter((g) => g.node === params.node && g.status === "running")
        .flatMap((g) =>
          Object.keys(g.config)
            .filter((k) => /^net\d+$/.test(k))
            .map((k) => ({
              dev: g.type === "qemu" ? `tap${g.vmid}i${k.slice(3)}` : `veth${g.vmid}i${k.slice(3)}`,
              vmid: String(g.vmid),
              in: String(g.stats.netin),
              out: String(g.stats.netout),
            })),
        ),
  },
  {
    method: "GET",
    path: "/nodes/{node}/aplinfo",
    description: "Get list of appliances.",
    permission: "all",
    proxyto: "node",
    parameters: { node },
    handler: () =>
      APPLIANCES.map(([section, pkg, version, headline]) => ({
        section,
        package: pkg,
        version,
        headline,
        type: "lxc",
        os: pkg.split("-")[0],
        template: `${pkg}_${version}_amd64.tar.${section === "system" && pkg.startsWith("alpine") ? "xz" : "zst"}`,
        location: `http://download.proxmox.com/images/${section}/${pkg}_${version}_amd64.tar.zst`,
        source: "http://download.proxmox.com/images",
        sha512sum: createHash("sha512").update(pkg).digest("hex"),
        maintainer: "Proxmox Support Team <support@proxmox.com>",
        infopage: "https://pve.proxmox.com/wiki/Linux_Container#pct_supported_distributions",
        description: headline,
      })),
  },
  {
    method: "GET",
    path: "/nodes/{node}/report",
    description: "Gather various systems information about a node",
    permission: [{ path: "/nodes/{node}", privs: ["Sys.Audit"] }],
    proxyto: "node",
    parameters: { node },
    handler: ({ mock, params }) => {
      const n = mock.state.nodes.get(String(params.node));
      if (!n) throw fail(`no such node '${params.node}'`);
      const { version, repoid } = mock.state.version;
      const guests = [...mock.state.guests.values()].filter((g) => g.node === n.name);
      return [
        "==== general system info ====",
        "",
        "# hostname",
        n.name,
        "",
        "# pveversion --verbose",
        `proxmox-ve: 9.1.0 (running kernel: ${n.kversion.split(" ")[1]})`,
        `pve-manager: ${version} (running version: ${version}/${repoid})`,
        "",
        "==== info about virtual guests ====",
        "",
        "# qm list",
        "      VMID NAME                 STATUS     MEM(MB)    BOOTDISK(GB) PID",
        ...guests
          .filter((g) => g.type === "qemu")
          .map(
            (g) =>
              `       ${g.vmid} ${String(g.config.name ?? "").padEnd(20)} ${g.status.padEnd(10)} ${String(g.config.memory).padEnd(10)}`,
          ),
        "",
        "# pct list",
        "VMID       Status     Lock         Name",
        ...guests
          .filter((g) => g.type === "lxc")
          .map((g) => `${g.vmid}        ${g.status.padEnd(10)}              ${g.config.hostname}`),
        "",
      ].join("\n");
    },
  },
];

/** pvesr's view of one job on its source node (VM.Audit on the guest to see it). */
function jobState(mock: MockContext, id: string, who: Principal): Record<string, unknown> {
  const job = mock.state.dc.replication.get(id);
  if (!job) throw fail(`no such replication job '${id}'`);
  if (!hasPriv(mock.state, who, `/vms/${job.guest}`, ["VM.Audit"])) {
    throw permissionDenied(`/vms/${job.guest}`, ["VM.Audit"]);
  }
  const now = Math.floor(Date.now() / 1000);
  return {
    id: job.id,
    guest: job.guest,
    jobnum: Number(job.id.split("-")[1]),
    target: job.target,
    source: job.source,
    schedule: job.schedule ?? "*/15",
    type: "local",
    vmtype: mock.state.guests.get(job.guest)?.type ?? "qemu",
    last_sync: now - 600,
    last_try: now - 600,
    next_sync: now + 300,
    duration: 2.4,
    fail_count: 0,
  };
}
