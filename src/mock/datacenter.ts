// Datacenter configuration of the simulated cluster beyond guests and storage: firewall rules,
// HA, replication, custom roles, corosync membership and each node's system state (services,
// packages, subscription, network, journal). The demo's contents are in datacenter-seed.ts.
import { type DatacenterObjects, emptyObjects, type Section } from "./datacenter-objects.ts";

/** One firewall rule as the .fw files hold it (type, action, and optional match fields). */
export interface FirewallRule {
  type: string;
  action: string;
  enable?: number;
  [key: string]: string | number | undefined;
}

export interface MockHaResource {
  sid: string;
  type: "vm" | "ct";
  state?: string;
  group?: string;
  max_restart?: number;
  max_relocate?: number;
  failback?: boolean;
  comment?: string;
}

export interface MockHaGroup {
  group: string;
  /** e.g. "pve1:2,pve2:1" */
  nodes: string;
  restricted?: boolean;
  nofailback?: boolean;
  comment?: string;
}

export interface MockHaRule {
  rule: string;
  type: "node-affinity" | "resource-affinity";
  resources: string;
  nodes?: string;
  affinity?: "positive" | "negative";
  strict?: boolean;
  disable?: boolean;
  comment?: string;
}

export interface MockReplicationJob {
  id: string;
  guest: number;
  target: string;
  source: string;
  schedule?: string;
  rate?: number;
  comment?: string;
  disable?: boolean;
  remove_job?: "local" | "full";
}

export interface MockService {
  service: string;
  desc: string;
  /** systemd SubState, ActiveState, UnitFileState */
  state: string;
  activeState: string;
  unitState: string;
}

export interface MockPackage {
  Package: string;
  Title: string;
  Version: string;
  OldVersion?: string;
  Origin: string;
  Section: string;
  Priority: string;
  Arch: string;
}

export interface MockSubscription {
  status: "new" | "notfound" | "active" | "invalid" | "expired" | "suspended";
  key?: string;
  level?: string;
  productname?: string;
  regdate?: string;
  nextduedate?: string;
  checktime?: number;
  message?: string;
}

export interface JournalLine {
  /** Unix seconds. */
  time: number;
  /** systemd unit, e.g. pveproxy.service */
  unit: string;
  text: string;
}

export interface NodeSystem {
  services: Map<string, MockService>;
  /** Installed versions of the packages `apt/versions` reports. */
  installed: MockPackage[];
  /** What the package index knows is newer; appears in `apt/update` after a refresh. */
  upstream: MockPackage[];
  /** Whether `apt-get update` ran, so the update list is filled. */
  aptRefreshed: boolean;
  subscription: MockSubscription;
  serverid: string;
  network: Record<string, string | number | string[]>[];
  journal: JournalLine[];
  firewall: FirewallRule[];
  /** /etc/resolv.conf: search, dns1..dns3. */
  dns: Section;
  /** /etc/hosts as text. */
  hosts: string;
  timezone: string;
  /** /etc/pve/nodes/<node>/config: description, wakeonlan, acme, … */
  config: Section;
}

export interface DatacenterState {
  /** False for a standalone node (no corosync config). */
  clustered: boolean;
  firewall: FirewallRule[];
  guestFirewall: Map<number, FirewallRule[]>;
  ha: {
    resources: Map<string, MockHaResource>;
    /** Empty: groups have been migrated to rules (PVE 9). */
    groups: Map<string, MockHaGroup>;
    rules: Map<string, MockHaRule>;
    master: string;
  };
  replication: Map<string, MockReplicationJob>;
  /** Custom roles (the built-in ones live in perms.ts). */
  roles: Map<string, string[]>;
  system: Map<string, NodeSystem>;
  /** Jobs, notifications, metrics, ACME, mappings, realms, groups, SDN, firewall objects. */
  objects: DatacenterObjects;
}

export function emptyDatacenter(): DatacenterState {
  return {
    clustered: true,
    firewall: [],
    guestFirewall: new Map(),
    ha: { resources: new Map(), groups: new Map(), rules: new Map(), master: "" },
    replication: new Map(),
    roles: new Map(),
    system: new Map(),
    objects: emptyObjects(),
  };
}
