// The datacenter's configuration objects beyond guests, storage, HA and replication: what
// datacenter.cfg, jobs.cfg, notifications.cfg, status.cfg, the ACME, mapping, SDN and realm
// configs and the firewall's aliases, IP sets and groups hold. Each is a section config: an id
// and its properties as the file stores them (the API answers them as they are).

/** One section of a section config: its properties, strings and numbers as PVE parses them. */
export type Section = Record<string, string | number>;

export interface FirewallObjects {
  /** Aliases per scope ("cluster" or "vm/<vmid>"): name → { cidr, comment }. */
  aliases: Map<string, Map<string, { cidr: string; comment?: string }>>;
  /** IP sets per scope: name → comment and entries. */
  ipsets: Map<
    string,
    Map<
      string,
      { comment?: string; entries: { cidr: string; comment?: string; nomatch?: number }[] }
    >
  >;
  /** Security groups (cluster only): name → comment and rules. */
  groups: Map<string, { comment?: string; rules: Section[] }>;
  /** Options per scope ("cluster", "node/<node>", "vm/<vmid>", "vnet/<vnet>"). */
  options: Map<string, Section>;
  /** Rules of the scopes outside the host and guest files (SDN vnets: "vnet/<vnet>"). */
  rules: Map<string, Section[]>;
}

export interface SdnState {
  zones: Map<string, Section>;
  vnets: Map<string, Section>;
  /** Keyed by the subnet's id (`<zone>-10.10.10.0-24`). */
  subnets: Map<string, Section>;
  ipams: Map<string, Section>;
  controllers: Map<string, Section>;
  dns: Map<string, Section>;
}

export interface DatacenterObjects {
  /** datacenter.cfg. */
  options: Section;
  /** jobs.cfg: vzdump jobs by id. */
  backupJobs: Map<string, Section>;
  /** jobs.cfg: realm-sync jobs by id. */
  realmSyncJobs: Map<string, Section>;
  /** status.cfg: external metric servers. */
  metricServers: Map<string, Section>;
  /** notifications.cfg: endpoints (with `type`: sendmail, gotify, smtp, webhook) and matchers. */
  notificationEndpoints: Map<string, Section>;
  notificationMatchers: Map<string, Section>;
  acmePlugins: Map<string, Section>;
  acmeAccounts: Map<
    string,
    { directory: string; location: string; tos?: string; contact: string[] }
  >;
  /** Resource mappings by kind: pci, usb, dir → id → { description, map: [...] }. */
  mappings: Record<"pci" | "usb" | "dir", Map<string, { description: string; map: string[] }>>;
  /** domains.cfg: authentication realms. */
  realms: Map<string, Section>;
  /** user.cfg groups: id → comment (members are the users that name the group). */
  groups: Map<string, { comment?: string }>;
  /** Second factors per user. */
  tfa: Map<
    string,
    { id: string; type: string; description: string; created: number; enable?: number }[]
  >;
  sdn: SdnState;
  firewall: FirewallObjects;
}

export function emptyObjects(): DatacenterObjects {
  return {
    options: {},
    backupJobs: new Map(),
    realmSyncJobs: new Map(),
    metricServers: new Map(),
    notificationEndpoints: new Map(),
    notificationMatchers: new Map(),
    acmePlugins: new Map(),
    acmeAccounts: new Map(),
    mappings: { pci: new Map(), usb: new Map(), dir: new Map() },
    realms: new Map(),
    groups: new Map(),
    tfa: new Map(),
    sdn: {
      zones: new Map(),
      vnets: new Map(),
      subnets: new Map(),
      ipams: new Map(),
      controllers: new Map(),
      dns: new Map(),
    },
    firewall: {
      aliases: new Map(),
      ipsets: new Map(),
      groups: new Map(),
      options: new Map(),
      rules: new Map(),
    },
  };
}
