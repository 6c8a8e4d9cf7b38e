// High availability (resources, groups or rules, live status) and storage replication jobs.

import { answer, endpoint } from "../endpoint.ts";

export interface HaResourceEntry {
  sid: string;
  type: string;
  state?: string;
  group?: string;
  max_restart?: number;
  max_relocate?: number;
  failback?: number;
  comment?: string;
}

export interface HaGroupEntry {
  group: string;
  nodes?: string;
  restricted?: number;
  nofailback?: number;
  comment?: string;
}

export interface HaRuleEntry {
  rule: string;
  type: string;
  resources?: string;
  nodes?: string;
  strict?: number;
  affinity?: string;
  disable?: number;
  comment?: string;
}

export interface HaStatusEntry {
  id: string;
  type: string;
  node?: string;
  status?: string;
  quorate?: number;
  sid?: string;
  state?: string;
  crm_state?: string;
  request_state?: string;
  "armed-state"?: string;
}

export interface ReplicationJob {
  id: string;
  guest: number;
  target: string;
  source?: string;
  schedule?: string;
  rate?: number;
  comment?: string;
  disable?: number;
  remove_job?: string;
}

const HA_OPTIONS = [
  "comment",
  "group",
  "max_relocate",
  "max_restart",
  "state",
  "failback",
] as const;

export const HA_RESOURCES = endpoint(
  "GET",
  "/cluster/ha/resources",
  ["type"],
  answer<HaResourceEntry[]>(),
);
export const HA_RESOURCE_ADD = endpoint("POST", "/cluster/ha/resources", ["sid", ...HA_OPTIONS]);
export const HA_RESOURCE_UPDATE = endpoint("PUT", "/cluster/ha/resources/{sid}", HA_OPTIONS);
export const HA_RESOURCE_DELETE = endpoint("DELETE", "/cluster/ha/resources/{sid}");
/** Before PVE 9; PVE 9 answers that groups were migrated to rules. */
export const HA_GROUPS = endpoint("GET", "/cluster/ha/groups", [], answer<HaGroupEntry[]>());
export const HA_RULES = endpoint("GET", "/cluster/ha/rules", [], answer<HaRuleEntry[]>());
export const HA_STATUS = endpoint(
  "GET",
  "/cluster/ha/status/current",
  [],
  answer<HaStatusEntry[]>(),
);

export const REPLICATION_JOBS = endpoint(
  "GET",
  "/cluster/replication",
  [],
  answer<ReplicationJob[]>(),
);
export const REPLICATION_CREATE = endpoint("POST", "/cluster/replication", [
  "id",
  "target",
  "type",
  "schedule",
  "rate",
  "comment",
  "disable",
]);
export const REPLICATION_UPDATE = endpoint("PUT", "/cluster/replication/{id}", [
  "schedule",
  "rate",
  "comment",
  "disable",
]);
export const REPLICATION_DELETE = endpoint("DELETE", "/cluster/replication/{id}", [
  "keep",
  "force",
]);
