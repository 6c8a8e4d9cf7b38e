// Every tool of the server, in one flat list made of the areas' lists. A new tool goes into its
// area file's list; only a new area file adds a line here (tests/tools/registry.test.ts fails
// when a module's tools are not reachable from this list). tools/list, filters, docs and the
// tests' coverage check all read it.

import { accessUserTools } from "./access.ts";
import { accessRoleTools } from "./access-roles.ts";
import { agentTools } from "./agent.ts";
import { apiTools } from "./api.ts";
import { aptTools } from "./apt.ts";
import { backupTools } from "./backup.ts";
import { clusterStatusTools } from "./cluster.ts";
import { clusterInfoTools } from "./cluster-info.ts";
import { clusterSetupTools } from "./cluster-setup.ts";
import { clusterViewTools } from "./cluster-view.ts";
import { consoleUrlTools } from "./console.ts";
import { consoleSessionTools } from "./console-open.ts";
import type { ToolDef } from "./define.ts";
import { discoveryTools } from "./discovery.ts";
import { firewallTools } from "./firewall.ts";
import { guestConfigTools } from "./guest-config.ts";
import { guestCreateTools } from "./guest-create.ts";
import { guestDeviceTools } from "./guest-devices.ts";
import { guestDiskTools } from "./guest-disks.ts";
import { guestInfoTools } from "./guest-info.ts";
import { lifecycleTools } from "./guest-lifecycle.ts";
import { guestNetworkTools } from "./guest-network.ts";
import { tagTools } from "./guest-tags.ts";
import { guestViewTools } from "./guest-view.ts";
import { guestListTools } from "./guests.ts";
import { haTools } from "./ha.ts";
import { haStatusTools } from "./ha-status.ts";
import { networkTools } from "./network.ts";
import { nodeStatsTools } from "./node-stats.ts";
import { nodeTools } from "./nodes.ts";
import { poolTools } from "./pools.ts";
import { powerTools } from "./power.ts";
import { replicationTools } from "./replication.ts";
import { serviceTools } from "./services.ts";
import { snapshotTools } from "./snapshots.ts";
import { storageListTools } from "./storage.ts";
import { storageConfigTools } from "./storage-config.ts";
import { storageFileTools } from "./storage-files.ts";
import { pruneTools } from "./storage-prune.ts";
import { subscriptionTools } from "./subscription.ts";
import { taskTools } from "./tasks.ts";
import { viewTrendTools } from "./view-trends.ts";

export const ALL_TOOLS: readonly ToolDef[] = [
  ...discoveryTools,
  ...nodeTools,
  ...nodeStatsTools,
  ...clusterStatusTools,
  ...clusterInfoTools,
  // MCP Apps: the cluster and guest views, and the tools only those views call.
  ...clusterViewTools,
  ...guestViewTools,
  ...viewTrendTools,
  ...guestListTools,
  ...powerTools,
  ...guestCreateTools,
  ...lifecycleTools,
  ...guestConfigTools,
  ...guestDiskTools,
  ...guestNetworkTools,
  ...tagTools,
  ...guestDeviceTools,
  ...guestInfoTools,
  ...snapshotTools,
  ...backupTools,
  ...agentTools,
  ...consoleUrlTools,
  ...consoleSessionTools,
  ...taskTools,
  // Datacenter: storage, access, pools, firewall, network, HA, replication, system.
  ...storageListTools,
  ...storageConfigTools,
  ...storageFileTools,
  ...pruneTools,
  ...accessUserTools,
  ...accessRoleTools,
  ...poolTools,
  ...firewallTools,
  ...networkTools,
  ...haTools,
  ...haStatusTools,
  ...replicationTools,
  ...serviceTools,
  ...aptTools,
  ...subscriptionTools,
  ...clusterSetupTools,
  // Any API path, checked against the cluster's own schema (opt-in toolset).
  ...apiTools,
];

export const toolByName: ReadonlyMap<string, ToolDef> = new Map(ALL_TOOLS.map((t) => [t.name, t]));
