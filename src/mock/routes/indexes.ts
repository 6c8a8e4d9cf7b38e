// Directory indexes: GET on a path that only has children answers the children's names, under
// the key the API uses there (name, subdir, id, method, cmd). One table, as PVE's index methods
// each list their own children.
import { SERVICES } from "../datacenter-seed.ts";
import { fail } from "../errors.ts";
import { node, type ParamSpec, type Params, vmid } from "../params.ts";
import type { MockContext, Route } from "../router.ts";

interface Index {
  path: string;
  key: string;
  children: readonly string[];
  /** Refuses an object that does not exist, as the index method's own lookup does. */
  check?: (mock: MockContext, params: Params) => void;
  proxyto?: boolean;
}

const name = (description: string): ParamSpec => ({ type: "string", description });

/** The spec of each path parameter the indexes use. */
const PATH_PARAMS: Record<string, ParamSpec> = {
  node,
  vmid,
  service: { type: "string", enum: SERVICES.map(([s]) => s), description: "Service ID" },
  storage: { type: "string", format: "pve-storage-id", description: "The storage identifier." },
  id: { type: "string", format: "pve-replication-job-id", description: "Replication Job ID." },
  vnet: name("The SDN vnet object identifier."),
  zone: name("The SDN zone object identifier."),
  fabric: name("The SDN fabric identifier."),
  "pci-id-or-mapping": {
    type: "string",
    pattern: "(?:(?:[a-f0-9]{4,}:)?[a-f0-9]{2}:[a-f0-9]{2}(?:\\.[a-f0-9])?)|[a-zA-Z][a-zA-Z0-9_-]+",
    description: "The PCI ID or mapping to list the mdev types for.",
  },
};

const storageExists = (mock: MockContext, params: Params) => {
  const id = String(params.storage);
  if (!mock.state.storages.has(id)) throw fail(`storage '${id}' does not exist`);
};
const sdnObject =
  (kind: "vnets" | "zones", word: string) => (mock: MockContext, params: Params) => {
    const id = String(params[word]);
    if (!mock.state.dc.objects.sdn[kind].has(id)) throw fail(`sdn '${id}' does not exist`);
  };

const INDEXES: readonly Index[] = [
  {
    path: "/cluster",
    key: "name",
    children: [
      "log",
      "options",
      "resources",
      "replication",
      "tasks",
      "backup",
      "backup-info",
      "ha",
      "status",
      "nextid",
      "firewall",
      "config",
      "acme",
      "ceph",
      "jobs",
      "mapping",
      "metrics",
      "notifications",
      "sdn",
      "bulk-action",
    ],
  },
  { path: "/cluster/metrics", key: "name", children: ["server", "export"] },
  {
    path: "/cluster/notifications",
    key: "name",
    children: ["endpoints", "matcher-fields", "matcher-field-values", "matchers", "targets"],
  },
  {
    path: "/cluster/notifications/endpoints",
    key: "name",
    children: ["gotify", "sendmail", "smtp", "webhook"],
  },
  {
    path: "/cluster/config",
    key: "name",
    children: ["apiversion", "join", "nodes", "qdevice", "totem"],
  },
  {
    path: "/cluster/firewall",
    key: "name",
    children: ["aliases", "groups", "ipset", "macros", "options", "refs", "rules"],
  },
  { path: "/cluster/backup-info", key: "subdir", children: ["not-backed-up"] },
  { path: "/cluster/ha", key: "id", children: ["resources", "groups", "rules", "status"] },
  {
    path: "/cluster/ha/status",
    key: "name",
    children: ["current", "manager_status", "arm-ha", "disarm-ha"],
  },
  {
    path: "/cluster/acme",
    key: "name",
    children: ["account", "challenge-schema", "directories", "meta", "plugins", "tos"],
  },
  { path: "/cluster/jobs", key: "subdir", children: ["realm-sync", "schedule-analyze"] },
  { path: "/cluster/mapping", key: "name", children: ["dir", "pci", "usb"] },
  { path: "/cluster/bulk-action", key: "name", children: ["guest"] },
  {
    path: "/cluster/bulk-action/guest",
    key: "name",
    children: ["start", "shutdown", "suspend", "migrate"],
  },
  {
    path: "/cluster/sdn",
    key: "id",
    children: ["vnets", "zones", "controllers", "ipams", "dns", "fabrics"],
  },
  {
    path: "/cluster/sdn/vnets/{vnet}/firewall",
    key: "name",
    children: ["rules", "options"],
    check: sdnObject("vnets", "vnet"),
  },
  { path: "/cluster/sdn/fabrics", key: "subdir", children: ["fabric", "node", "all"] },
  ...(["qemu", "lxc"] as const).map((kind) => ({
    path: `/nodes/{node}/${kind}/{vmid}/firewall`,
    key: "name",
    children: ["rules", "aliases", "ipset", "options", "log", "refs"],
  })),
  {
    path: "/nodes/{node}/qemu/{vmid}/agent",
    key: "name",
    children: [
      "exec",
      "exec-status",
      "file-read",
      "file-write",
      "fsfreeze-freeze",
      "fsfreeze-status",
      "fsfreeze-thaw",
      "fstrim",
      "get-fsinfo",
      "get-host-name",
      "get-memory-block-info",
      "get-memory-blocks",
      "get-osinfo",
      "get-time",
      "get-timezone",
      "get-users",
      "get-vcpus",
      "info",
      "network-get-interfaces",
      "ping",
      "set-user-password",
      "shutdown",
      "suspend-disk",
      "suspend-hybrid",
      "suspend-ram",
    ],
    proxyto: true,
  },
  {
    path: "/nodes/{node}/services/{service}",
    key: "subdir",
    children: ["state", "start", "stop", "restart", "reload"],
  },
  {
    path: "/nodes/{node}/scan",
    key: "method",
    children: ["nfs", "cifs", "pbs", "iscsi", "lvm", "lvmthin", "zfs"],
  },
  { path: "/nodes/{node}/hardware/pci/{pci-id-or-mapping}", key: "method", children: ["mdev"] },
  { path: "/nodes/{node}/capabilities", key: "name", children: ["qemu"] },
  {
    path: "/nodes/{node}/capabilities/qemu",
    key: "name",
    children: ["cpu", "cpu-flags", "machines", "migration"],
  },
  {
    path: "/nodes/{node}/storage/{storage}",
    key: "subdir",
    children: [
      "content",
      "download-url",
      "file-restore",
      "import-metadata",
      "prunebackups",
      "rrd",
      "rrddata",
      "status",
      "upload",
    ],
    check: storageExists,
  },
  {
    path: "/nodes/{node}/disks",
    key: "name",
    children: ["directory", "initgpt", "list", "lvm", "lvmthin", "smart", "wipedisk", "zfs"],
  },
  {
    path: "/nodes/{node}/apt",
    key: "id",
    children: ["changelog", "repositories", "update", "versions"],
  },
  { path: "/nodes/{node}/firewall", key: "name", children: ["rules", "options", "log"] },
  {
    path: "/nodes/{node}/replication/{id}",
    key: "name",
    children: ["schedule_now", "log", "status"],
  },
  { path: "/nodes/{node}/certificates", key: "name", children: ["acme", "custom", "info"] },
  { path: "/nodes/{node}/certificates/acme", key: "name", children: ["certificate"] },
  { path: "/nodes/{node}/sdn", key: "name", children: ["zones"] },
  {
    path: "/nodes/{node}/sdn/zones/{zone}",
    key: "subdir",
    children: ["content", "bridges", "ip-vrf"],
    check: sdnObject("zones", "zone"),
  },
  {
    path: "/nodes/{node}/sdn/vnets/{vnet}",
    key: "subdir",
    children: ["mac-vrf"],
    check: sdnObject("vnets", "vnet"),
  },
  {
    path: "/access",
    key: "subdir",
    children: [
      "users",
      "groups",
      "roles",
      "acl",
      "domains",
      "openid",
      "tfa",
      "ticket",
      "password",
      "permissions",
    ],
  },
  { path: "/access/openid", key: "subdir", children: ["auth-url", "login"] },
];

export const indexRoutes: Route[] = INDEXES.map((index) => {
  const placeholders = [...index.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] as string);
  return {
    method: "GET",
    path: index.path,
    description: "Directory index.",
    permission: "all",
    ...(index.proxyto ? { proxyto: "node" as const } : {}),
    parameters: Object.fromEntries(placeholders.map((p) => [p, PATH_PARAMS[p] as ParamSpec])),
    handler: ({ mock, params }) => {
      index.check?.(mock, params);
      return index.children.map((child) => ({ [index.key]: child }));
    },
  };
});
