// The cluster as a whole: inventory, membership, log, the next free id, versions, and forming
// a cluster.

import { answer, endpoint } from "../endpoint.ts";
import type { Resource } from "../resources.ts";

export interface ClusterStatusEntry {
  type: "cluster" | "node";
  id: string;
  name: string;
  nodes?: number;
  quorate?: number;
  version?: number;
  nodeid?: number;
  ip?: string;
  online?: number;
  local?: number;
  level?: string;
}

export interface ClusterLogEntry {
  uid?: number;
  time: number;
  pri?: number;
  tag?: string;
  pid?: number;
  node?: string;
  user?: string;
  msg: string;
}

export interface VersionInfo {
  version: string;
  release: string;
  repoid: string;
  console?: string;
}

export interface JoinInfo {
  nodelist: {
    name: string;
    nodeid?: string | number;
    pve_addr?: string;
    pve_fp?: string;
    ring0_addr?: string;
  }[];
  preferred_node: string;
  totem?: { cluster_name?: string };
  config_digest?: string;
}

/** The one-call inventory: guests with node and type, nodes, storages, pools. */
export const CLUSTER_RESOURCES = endpoint(
  "GET",
  "/cluster/resources",
  ["type"],
  answer<Resource[]>(),
);
/** A string on the wire; with vmid, a 400 when that id is taken. */
export const CLUSTER_NEXTID = endpoint("GET", "/cluster/nextid", ["vmid"], answer<string>());
export const CLUSTER_STATUS = endpoint(
  "GET",
  "/cluster/status",
  [],
  answer<ClusterStatusEntry[]>(),
);
export const CLUSTER_LOG = endpoint("GET", "/cluster/log", ["max"], answer<ClusterLogEntry[]>());
export const VERSION = endpoint("GET", "/version", [], answer<VersionInfo>());

export const CLUSTER_CREATE = endpoint("POST", "/cluster/config", ["clustername", "link0"]);
export const CLUSTER_JOIN_INFO = endpoint(
  "GET",
  "/cluster/config/join",
  ["node"],
  answer<JoinInfo>(),
);
export const CLUSTER_JOIN = endpoint("POST", "/cluster/config/join", [
  "hostname",
  "password",
  "fingerprint",
  "link0",
]);
