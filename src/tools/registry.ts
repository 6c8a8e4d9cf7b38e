// Every tool of the server, in one flat list. Adding a tool: define it in its area's file and
// list it here; tools/list, filters, docs and the tests' coverage check all read this list.

import { accessUserTools } from "./access.ts";
import { accessRoleTools } from "./access-roles.ts";
import { agentTools } from "./agent.ts";
import { apiTools } from "./api.ts";
import { aptTools } from "./apt.ts";
import { backupTools } from "./backup.ts";
import { getClusterStatus } from "./cluster.ts";
import { clusterInfoTools } from "./cluster-info.ts";
import { clusterSetupTools } from "./cluster-setup.ts";
import { showCluster, viewCluster } from "./cluster-view.ts";
import { getConsoleUrl } from "./console.ts";
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
import { showGuest, viewGuest, viewTaskLog } from "./guest-view.ts";
import { getVmConfig, listContainers, listVms } from "./guests.ts";
import { haTools } from "./ha.ts";
import { haStatusTools } from "./ha-status.ts";
import { listNetworks } from "./network.ts";
import { nodeStatsTools } from "./node-stats.ts";
import { getNodeStatus, listNodes } from "./nodes.ts";
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
import {
  getTaskStatusTool,
  listTasks,
  readTaskLogTool,
  stopTaskTool,
  waitForTaskTool,
} from "./tasks.ts";
import { viewTrends } from "./view-trends.ts";

export const ALL_TOOLS: readonly ToolDef[] = [
  ...discoveryTools,
  listNodes,
  getNodeStatus,
  ...nodeStatsTools,
  getClusterStatus,
  ...clusterInfoTools,
  // MCP Apps: the cluster and guest views, and the tools only those views call.
  showCluster,
  showGuest,
  viewCluster,
  viewTrends,
  viewGuest,
  viewTaskLog,
  listVms,
  listContainers,
  getVmConfig,
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
  getConsoleUrl,
  ...consoleSessionTools,
  getTaskStatusTool,
  readTaskLogTool,
  waitForTaskTool,
  stopTaskTool,
  listTasks,
  // Datacenter: storage, access, pools, firewall, network, HA, replication, system.
  ...storageListTools,
  ...storageConfigTools,
  ...storageFileTools,
  ...pruneTools,
  ...accessUserTools,
  ...accessRoleTools,
  ...poolTools,
  ...firewallTools,
  listNetworks,
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
