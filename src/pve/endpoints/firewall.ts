// Firewall rules at the three levels PVE keeps them: the cluster, a node, a guest.

import { answer, endpoint, guestEndpoint } from "../endpoint.ts";

export interface RuleEntry {
  pos: number;
  type: string;
  action: string;
  enable?: number;
  macro?: string;
  iface?: string;
  source?: string;
  dest?: string;
  proto?: string;
  dport?: string;
  sport?: string;
  log?: string;
  comment?: string;
  digest?: string;
}

const RULE_PARAMS = [
  "type",
  "action",
  "source",
  "dest",
  "proto",
  "dport",
  "sport",
  "macro",
  "iface",
  "log",
  "comment",
  "enable",
] as const;

const rules = answer<RuleEntry[]>();

export const CLUSTER_RULES = endpoint("GET", "/cluster/firewall/rules", [], rules);
export const CLUSTER_RULE_ADD = endpoint("POST", "/cluster/firewall/rules", RULE_PARAMS);
/** digest: refused when the rules changed since they were read (positions shift). */
export const CLUSTER_RULE_DELETE = endpoint("DELETE", "/cluster/firewall/rules/{pos}", ["digest"]);

export const NODE_RULES = endpoint("GET", "/nodes/{node}/firewall/rules", [], rules);
export const NODE_RULE_ADD = endpoint("POST", "/nodes/{node}/firewall/rules", RULE_PARAMS);
export const NODE_RULE_DELETE = endpoint("DELETE", "/nodes/{node}/firewall/rules/{pos}", [
  "digest",
]);

export const GUEST_RULES = guestEndpoint("GET", "/firewall/rules", [], rules);
export const GUEST_RULE_ADD = guestEndpoint("POST", "/firewall/rules", RULE_PARAMS);
export const GUEST_RULE_DELETE = guestEndpoint("DELETE", "/firewall/rules/{pos}", ["digest"]);
