// Every tool of the server, in one flat list. Adding a tool: define it in its area's file and
// list it here; tools/list, filters, docs and the tests' coverage check all read this list.

import { getClusterStatus } from "./cluster.ts";
import type { ToolDef } from "./define.ts";
import { discoveryTools } from "./discovery.ts";
import { getVmConfig, listContainers, listVms } from "./guests.ts";
import { getNodeStatus, listNodes } from "./nodes.ts";
import { powerTools } from "./power.ts";
import {
  getTaskStatusTool,
  listTasks,
  readTaskLogTool,
  stopTaskTool,
  waitForTaskTool,
} from "./tasks.ts";

export const ALL_TOOLS: readonly ToolDef[] = [
  ...discoveryTools,
  listNodes,
  getNodeStatus,
  getClusterStatus,
  listVms,
  listContainers,
  getVmConfig,
  ...powerTools,
  getTaskStatusTool,
  readTaskLogTool,
  waitForTaskTool,
  stopTaskTool,
  listTasks,
];

export const toolByName: ReadonlyMap<string, ToolDef> = new Map(ALL_TOOLS.map((t) => [t.name, t]));
