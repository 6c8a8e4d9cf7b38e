// Tasks (UPIDs): status, log, stop, and the task lists of a node and of the cluster.

import { answer, endpoint } from "../endpoint.ts";

export interface TaskStatus {
  upid: string;
  node: string;
  type: string;
  id: string;
  user: string;
  status: "running" | "stopped";
  exitstatus?: string;
  starttime: number;
  pid: number;
}

export interface LogLine {
  n: number;
  t: string;
}

export interface TaskListEntry {
  upid: string;
  node: string;
  type: string;
  id?: string;
  user: string;
  starttime: number;
  endtime?: number;
  status?: string;
}

export const TASK_STATUS = endpoint(
  "GET",
  "/nodes/{node}/tasks/{upid}/status",
  [],
  answer<TaskStatus>(),
);
export const TASK_LOG = endpoint(
  "GET",
  "/nodes/{node}/tasks/{upid}/log",
  ["start", "limit"],
  answer<LogLine[]>(),
);
/** PVE ends the task with "interrupted by signal". */
export const TASK_STOP = endpoint("DELETE", "/nodes/{node}/tasks/{upid}");

export const NODE_TASKS = endpoint(
  "GET",
  "/nodes/{node}/tasks",
  ["limit", "source", "errors", "typefilter", "vmid", "since"],
  answer<TaskListEntry[]>(),
);
export const CLUSTER_TASKS = endpoint("GET", "/cluster/tasks", [], answer<TaskListEntry[]>());
