// The toolsets: one value each, saying what it groups and whether `default` (the built-in
// choice) lists it. The server decides from these alone, before any tool module loads; tools
// name theirs by id. The default toolsets together are the curated surface every conversation
// pays for (at most 40 tools and 50 KB of tools/list: tests/server/surface.test.ts holds it),
// chosen for what administrators ask most; the discovery tools bring in any other toolset.
// Toolsets that reach further than the rest (a console's shell, any API path) are opt-in: only
// the settings can enable them, never the model.

export interface ToolsetInfo {
  /** What a tool's `toolset`, the settings and enable_toolset call it. */
  readonly id: string;
  readonly description: string;
  /** Listed under the `default` keyword; the others need their name (or `all`). */
  readonly default: boolean;
  /** Only the settings may enable it (enable_toolset refuses it). */
  readonly optIn?: boolean;
}

const on = <const I extends string>(id: I, description: string) =>
  ({ id, description, default: true }) as const;
const off = <const I extends string>(id: I, description: string) =>
  ({ id, description, default: false }) as const;
const optIn = <const I extends string>(id: I, description: string) =>
  ({ id, description, default: false, optIn: true }) as const;

export const TOOLSETS = [
  off("discovery", "List and enable toolsets (always listed, except in the seed preset)"),
  on("cluster", "Cluster overview: quorum, nodes, the inventory with usage; the cluster view"),
  on("guests", "VMs and containers: list, status, configuration; the guest view"),
  on("power", "Start, shut down, stop and reboot VMs and containers"),
  on("create", "Create VMs and containers, clone guests and templates"),
  on("config", "Change cores, memory, swap and CPU limits of VMs and containers"),
  on("snapshots", "Guest snapshots: list, take, roll back, delete"),
  on("backup", "Backups (vzdump): list, create, restore"),
  on("storage", "Storage usage per node, and what is stored (ISOs, templates, disks, backups)"),
  on("tasks", "Proxmox tasks (UPIDs): list, status, logs, waiting, stopping"),
  off(
    "power_extra",
    "Reset, suspend, resume; the seed's *_container power names (start_vm and the others take containers too)",
  ),
  off("lifecycle", "Delete, migrate, convert to template; the next free vmid"),
  off("disks", "Guest disks and container mount points: add, remove, resize, move"),
  off("guest_network", "Guest NICs: add, remove; a guest's IP addresses"),
  off("devices", "PCI and USB passthrough and other VM devices"),
  off(
    "guest_settings",
    "Guest tags, a VM's cloud-init settings, and config changes pending until the next start",
  ),
  off("stats", "Usage over time (RRD) of a node or a guest: averages, peaks, series"),
  off("logs", "A node's system journal and the cluster log"),
  off("agent", "QEMU guest agent: ping, run commands, read and write files, OS info"),
  off(
    "storage_admin",
    "Storage definitions, ISO and template lists, downloads, deleting volumes, pruning backups",
  ),
  off("network", "Node network interfaces and bridges"),
  off("firewall", "Firewall rules: cluster, node and guest level"),
  off("ha", "High availability and replication: resources, groups/rules, status, jobs"),
  off("access", "Users, roles, ACLs and the effective permissions of the credentials"),
  off("pools", "Resource pools: members and comments"),
  off("system", "Node system: versions, services, apt updates, subscription, cluster setup"),
  optIn(
    "console",
    "Consoles: type into a guest's serial console or a node shell and read the output; console URLs for a browser",
  ),
  optIn("api", "Any API path, checked against the cluster's own API schema"),
] as const satisfies readonly ToolsetInfo[];

export type Toolset = (typeof TOOLSETS)[number]["id"];

/** Keywords the toolsets setting takes besides toolset ids. */
export const TOOLSET_KEYWORDS = ["default", "all", "seed"] as const;

const byId: ReadonlyMap<string, ToolsetInfo> = new Map(TOOLSETS.map((t) => [t.id, t]));

export const toolsetInfo = (id: string): ToolsetInfo | undefined => byId.get(id);
