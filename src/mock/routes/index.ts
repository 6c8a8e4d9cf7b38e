// Every route of the mock, in one list.
import type { Route } from "../router.ts";
import { accessRoutes } from "./access.ts";
import { accessRoleRoutes } from "./access-roles.ts";
import { accessUserRoutes } from "./access-users.ts";
import { agentRoutes } from "./agent.ts";
import { clusterRoutes } from "./cluster.ts";
import { clusterSetupRoutes } from "./cluster-setup.ts";
import { consoleRoutes } from "./console.ts";
import { firewallRoutes } from "./firewall.ts";
import { guestDiskRoutes } from "./guest-disks.ts";
import { guestLifecycleRoutes } from "./guest-lifecycle.ts";
import { guestReadRoutes } from "./guest-read.ts";
import { guestRrdRoutes } from "./guest-rrd.ts";
import { guestStatusRoutes } from "./guest-status.ts";
import { haRoutes } from "./ha.ts";
import { haStatusRoutes } from "./ha-status.ts";
import { hardwareRoutes } from "./hardware.ts";
import { lxcRoutes } from "./lxc.ts";
import { lxcCloneRoutes } from "./lxc-clone.ts";
import { nodeLogRoutes } from "./node-logs.ts";
import { nodeNetworkRoutes } from "./node-network.ts";
import { nodeSystemRoutes } from "./node-system.ts";
import { nodeRoutes } from "./nodes.ts";
import { pendingRoutes } from "./pending.ts";
import { poolRoutes } from "./pools.ts";
import { qemuRoutes } from "./qemu.ts";
import { replicationRoutes } from "./replication.ts";
import { snapshotRoutes } from "./snapshots.ts";
import { storageRoutes } from "./storage.ts";
import { storageConfigRoutes } from "./storage-config.ts";
import { storageDownloadRoutes } from "./storage-download.ts";
import { storageFileRoutes } from "./storage-files.ts";
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
];
