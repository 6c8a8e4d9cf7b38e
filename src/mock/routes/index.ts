// Every route of the mock, in one list.
import type { Route } from "../router.ts";
import { accessRoutes } from "./access.ts";
import { accessGroupRoutes } from "./access-groups.ts";
import { accessRealmRoutes } from "./access-realms.ts";
import { accessRoleRoutes } from "./access-roles.ts";
import { accessUserDetailRoutes } from "./access-user-detail.ts";
import { accessUserRoutes } from "./access-users.ts";
import { agentRoutes } from "./agent.ts";
import { agentInfoRoutes } from "./agent-info.ts";
import { clusterRoutes } from "./cluster.ts";
import { clusterAcmeRoutes } from "./cluster-acme.ts";
import { clusterJobRoutes } from "./cluster-jobs.ts";
import { clusterMappingRoutes } from "./cluster-mapping.ts";
import { clusterMetricRoutes } from "./cluster-metrics.ts";
import { clusterNotificationRoutes } from "./cluster-notifications.ts";
import { clusterOptionRoutes } from "./cluster-options.ts";
import { clusterSetupRoutes } from "./cluster-setup.ts";
import { consoleRoutes } from "./console.ts";
import { firewallRoutes } from "./firewall.ts";
import { firewallObjectRoutes } from "./firewall-objects.ts";
import { guestDiskRoutes } from "./guest-disks.ts";
import { guestExtraRoutes } from "./guest-extras.ts";
import { guestLifecycleRoutes } from "./guest-lifecycle.ts";
import { guestReadRoutes } from "./guest-read.ts";
import { guestRrdRoutes } from "./guest-rrd.ts";
import { guestStatusRoutes } from "./guest-status.ts";
import { haRoutes } from "./ha.ts";
import { haStatusRoutes } from "./ha-status.ts";
import { hardwareRoutes } from "./hardware.ts";
import { indexRoutes } from "./indexes.ts";
import { lxcRoutes } from "./lxc.ts";
import { lxcCloneRoutes } from "./lxc-clone.ts";
import { nodeCapabilityRoutes } from "./node-capabilities.ts";
import { nodeDiskRoutes } from "./node-disks.ts";
import { nodeInfoRoutes } from "./node-info.ts";
import { nodeLogRoutes } from "./node-logs.ts";
import { nodeNetworkRoutes } from "./node-network.ts";
import { nodeSettingRoutes } from "./node-settings.ts";
import { nodeSystemRoutes } from "./node-system.ts";
import { nodeRoutes } from "./nodes.ts";
import { pendingRoutes } from "./pending.ts";
import { poolByIdRoutes, poolRoutes } from "./pools.ts";
import { qemuRoutes } from "./qemu.ts";
import { replicationRoutes } from "./replication.ts";
import { sdnRoutes } from "./sdn.ts";
import { snapshotRoutes } from "./snapshots.ts";
import { storageRoutes } from "./storage.ts";
import { storageConfigRoutes } from "./storage-config.ts";
import { storageDownloadRoutes } from "./storage-download.ts";
import { storageFileRestoreRoutes } from "./storage-file-restore.ts";
import { storageFileRoutes } from "./storage-files.ts";
import { storageStatusRoutes } from "./storage-status.ts";
import { taskRoutes } from "./tasks.ts";
import { vzdumpRoutes } from "./vzdump.ts";

export const allRoutes: readonly Route[] = [
  ...accessRoutes,
  ...clusterRoutes,
  ...nodeRoutes,
  ...guestReadRoutes("qemu"),
  ...guestStatusRoutes("qemu"),
  ...guestLifecycleRoutes("qemu"),
  ...qemuRoutes,
  ...snapshotRoutes("qemu"),
  ...guestReadRoutes("lxc"),
  ...guestStatusRoutes("lxc"),
  ...guestLifecycleRoutes("lxc"),
  ...lxcRoutes,
  ...snapshotRoutes("lxc"),
  ...taskRoutes,
  ...storageRoutes,
  // VM and container tools (guests, snapshots, backup, agent, console).
  ...consoleRoutes,
  ...pendingRoutes("qemu"),
  ...pendingRoutes("lxc"),
  ...guestDiskRoutes,
  ...lxcCloneRoutes,
  ...vzdumpRoutes,
  ...agentRoutes,
  ...guestRrdRoutes("qemu"),
  ...guestRrdRoutes("lxc"),
  ...hardwareRoutes,
  // Datacenter tools (storage, cluster, access, pools, firewall, HA, system).
  ...storageConfigRoutes,
  ...storageFileRoutes,
  ...storageDownloadRoutes,
  ...nodeLogRoutes,
  ...accessUserRoutes,
  ...accessRoleRoutes,
  ...poolRoutes,
  ...firewallRoutes,
  ...nodeNetworkRoutes,
  ...haRoutes,
  ...haStatusRoutes,
  ...replicationRoutes,
  ...nodeSystemRoutes,
  ...clusterSetupRoutes,
  // Beyond the tools' needs: the rest of the API that peers and other clients read.
  ...indexRoutes,
  ...accessUserDetailRoutes,
  ...accessGroupRoutes,
  ...accessRealmRoutes,
  ...poolByIdRoutes,
  ...clusterOptionRoutes,
  ...nodeSettingRoutes,
  ...clusterJobRoutes,
  ...clusterNotificationRoutes,
  ...clusterMetricRoutes,
  ...clusterAcmeRoutes,
  ...clusterMappingRoutes,
  ...firewallObjectRoutes,
  ...sdnRoutes,
  ...agentInfoRoutes,
  ...guestExtraRoutes,
  ...nodeDiskRoutes,
  ...nodeCapabilityRoutes,
  ...storageStatusRoutes,
  ...nodeInfoRoutes,
  ...storageFileRestoreRoutes,
];
