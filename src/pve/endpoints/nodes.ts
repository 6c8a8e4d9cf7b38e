// One node: status, statistics, logs, services, network, packages, subscription, hardware.

import { answer, endpoint } from "../endpoint.ts";
import type { VersionInfo } from "./cluster.ts";

export interface NodeEntry {
  node: string;
  status: string;
  cpu?: number;
  maxcpu?: number;
  mem?: number;
  maxmem?: number;
  disk?: number;
  maxdisk?: number;
  uptime?: number;
  level?: string;
  [key: string]: unknown;
}

export type NodeRrdRow = Record<string, number | undefined> & { time: number };

export interface ServiceEntry {
  service: string;
  name?: string;
  desc?: string;
  state?: string;
  "active-state"?: string;
  "unit-state"?: string;
}

export type NetworkInterface = Record<string, string | number | undefined> & {
  iface: string;
  type: string;
};

export interface PackageEntry {
  Package: string;
  Title?: string;
  Version: string;
  OldVersion?: string;
  Origin?: string;
  CurrentState?: string;
  RunningKernel?: string;
  ManagerVersion?: string;
}

export interface SubscriptionEntry {
  status: string;
  message?: string;
  level?: string;
  productname?: string;
  regdate?: string;
  nextduedate?: string;
  checktime?: number;
  key?: string;
  sockets?: number;
}

export interface PciRow {
  id: string;
  class: string;
  vendor: string;
  device: string;
  vendor_name?: string;
  device_name?: string;
  iommugroup: number;
  mdev?: number | boolean;
  subsystem_vendor_name?: string;
  subsystem_device_name?: string;
}

export interface UsbRow {
  busnum: number;
  devnum: number;
  port: number;
  level: number;
  class: number;
  vendid: string;
  prodid: string;
  speed: string;
  manufacturer?: string;
  product?: string;
  serial?: string;
  usbpath?: string;
}

export const NODES = endpoint("GET", "/nodes", [], answer<NodeEntry[]>());
export const NODE_STATUS = endpoint(
  "GET",
  "/nodes/{node}/status",
  [],
  answer<Record<string, unknown>>(),
);
export const NODE_VERSION = endpoint("GET", "/nodes/{node}/version", [], answer<VersionInfo>());
export const NODE_RRD = endpoint(
  "GET",
  "/nodes/{node}/rrddata",
  ["timeframe", "cf"],
  answer<NodeRrdRow[]>(),
);
export const NODE_SYSLOG = endpoint(
  "GET",
  "/nodes/{node}/syslog",
  ["service", "since", "until", "start", "limit"],
  answer<{ n: number; t: string }[]>(),
);
/** Its first and last entries are the journal's cursors. */
export const NODE_JOURNAL = endpoint(
  "GET",
  "/nodes/{node}/journal",
  ["lastentries"],
  answer<string[]>(),
);

export const NODE_SERVICES = endpoint(
  "GET",
  "/nodes/{node}/services",
  [],
  answer<ServiceEntry[]>(),
);
/** Start, stop, restart or reload one service: a task each. */
export const SERVICE_ACTIONS = {
  start: endpoint("POST", "/nodes/{node}/services/{service}/start"),
  stop: endpoint("POST", "/nodes/{node}/services/{service}/stop"),
  restart: endpoint("POST", "/nodes/{node}/services/{service}/restart"),
  reload: endpoint("POST", "/nodes/{node}/services/{service}/reload"),
} as const;

export const NODE_NETWORK = endpoint(
  "GET",
  "/nodes/{node}/network",
  ["type"],
  answer<NetworkInterface[]>(),
);

export const APT_UPDATES = endpoint(
  "GET",
  "/nodes/{node}/apt/update",
  [],
  answer<PackageEntry[]>(),
);
/** apt-get update, as a task. */
export const APT_REFRESH = endpoint("POST", "/nodes/{node}/apt/update");
export const APT_VERSIONS = endpoint(
  "GET",
  "/nodes/{node}/apt/versions",
  [],
  answer<PackageEntry[]>(),
);

export const SUBSCRIPTION = endpoint(
  "GET",
  "/nodes/{node}/subscription",
  [],
  answer<SubscriptionEntry>(),
);
export const SUBSCRIPTION_SET = endpoint("PUT", "/nodes/{node}/subscription", ["key"]);
export const SUBSCRIPTION_CHECK = endpoint("POST", "/nodes/{node}/subscription", ["force"]);

export const HARDWARE_PCI = endpoint("GET", "/nodes/{node}/hardware/pci", [], answer<PciRow[]>());
export const HARDWARE_USB = endpoint("GET", "/nodes/{node}/hardware/usb", [], answer<UsbRow[]>());
