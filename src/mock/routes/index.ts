// Every route of the mock, in one list.
import type { Route } from "../router.ts";
import { accessRoutes } from "./access.ts";
import { clusterRoutes } from "./cluster.ts";
import { guestLifecycleRoutes } from "./guest-lifecycle.ts";
import { guestReadRoutes } from "./guest-read.ts";
import { guestStatusRoutes } from "./guest-status.ts";
import { lxcRoutes } from "./lxc.ts";
import { nodeRoutes } from "./nodes.ts";
import { qemuRoutes } from "./qemu.ts";
import { snapshotRoutes } from "./snapshots.ts";
import { storageRoutes } from "./storage.ts";
import { taskRoutes } from "./tasks.ts";

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
];
