// The toolsets: one value each, saying what it groups and whether `default` (the built-in
// choice) lists it. The server decides from these alone, before any tool module loads; tools
// name theirs by id. Toolsets that reach further than the rest (a console's shell, any API
// path) are off unless asked for by name.

export interface ToolsetInfo {
  /** What a tool's `toolset`, the settings and enable_toolset call it. */
  readonly id: string;
  readonly description: string;
  /** Listed under the `default` keyword; the others need their name (or `all`). */
  readonly default: boolean;
}

const toolset = <const I extends string>(id: I, description: string, on = true) =>
  ({ id, description, default: on }) as const;

export const TOOLSETS = [
  toolset("discovery", "Lazy mode: list and enable toolsets", false),
  toolset("nodes", "Nodes: status, stats, version"),
  toolset(
    "cluster",
    "Cluster: status, inventory, log; cluster and guest views for clients with MCP Apps",
  ),
  toolset(
    "guests",
    "VMs and containers: list, create, clone, delete, migrate, power, config, disks, NICs, devices, tags, stats",
  ),
  toolset("tasks", "Async tasks (UPIDs): status, logs, waiting"),
  toolset("snapshots", "Guest snapshots: list, take, roll back, delete"),
  toolset("backup", "Backups (vzdump): list, create, restore"),
  toolset("agent", "QEMU guest agent: ping, run commands, read and write files, OS info"),
  toolset(
    "console",
    "Consoles: type into a guest's serial console or a node shell and read the output; console URLs for a browser",
    false,
  ),
  toolset("storage", "Storage: definitions, content, ISOs, templates, downloads, pruning"),
  toolset("network", "Node network interfaces"),
  toolset("firewall", "Firewall rules: cluster, node and guest level"),
  toolset("ha", "High availability and replication: resources, groups/rules, status, jobs"),
  toolset("access", "Users, roles, ACLs and the effective permissions of the credentials"),
  toolset("pools", "Resource pools: members and comments"),
  toolset("system", "Node system: services, apt updates, subscription, cluster setup"),
  toolset("api", "Any API path, checked against the cluster's own API schema (opt-in)", false),
] as const satisfies readonly ToolsetInfo[];

export type Toolset = (typeof TOOLSETS)[number]["id"];

const byId: ReadonlyMap<string, ToolsetInfo> = new Map(TOOLSETS.map((t) => [t.id, t]));

export const toolsetInfo = (id: string): ToolsetInfo | undefined => byId.get(id);
