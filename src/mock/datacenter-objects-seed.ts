// The demo datacenter's configuration objects: a nightly backup job, realms and a realm sync,
// notification targets, a metric server, ACME, resource mappings, a simple SDN zone and the
// firewall's aliases, IP sets and a security group.
import type { ClusterState } from "./state.ts";

export function seedObjects(state: ClusterState, now: number): void {
  const o = state.dc.objects;
  const nodes = [...state.nodes.keys()];
  o.options = {
    keyboard: "en-us",
    mac_prefix: "BC:24:11",
    migration: "type=secure,network=10.0.1.0/24",
    "tag-style": "ordering=config,shape=circle",
    console: "xtermjs",
  };
  o.backupJobs.set("backup-nightly", {
    type: "vzdump",
    schedule: "01:00",
    enabled: 1,
    all: 1,
    storage: "backups",
    mode: "snapshot",
    compress: "zstd",
    "prune-backups": "keep-daily=7,keep-weekly=4",
    "notes-template": "{{guestname}}",
    "notification-mode": "notification-system",
    comment: "Every guest, every night",
  });
  o.backupJobs.set("backup-prod-hourly", {
    type: "vzdump",
    schedule: "hourly",
    enabled: 0,
    pool: "prod",
    storage: "backups",
    mode: "snapshot",
    compress: "zstd",
  });
  o.realms.set("pam", { type: "pam", comment: "Linux PAM standard authentication" });
  o.realms.set("pve", { type: "pve", comment: "Proxmox VE authentication server", default: 1 });
  o.realms.set("corp", {
    type: "ldap",
    comment: "Company directory",
    server1: "ldap.demo.lan",
    base_dn: "dc=demo,dc=lan",
    user_attr: "uid",
  });
  o.realmSyncJobs.set("ldap-sync", {
    type: "realm-sync",
    realm: "corp",
    schedule: "sun 03:00",
    enabled: 1,
    scope: "both",
    "remove-vanished": "acl;entry",
    comment: "Weekly directory sync",
  });
  o.groups.set("admins", { comment: "Cluster administrators" });
  o.tfa.set("auditor@pve", [
    { id: "totp-1", type: "totp", description: "Phone", created: now - 86400 * 30, enable: 1 },
  ]);
  o.metricServers.set("influx", {
    type: "influxdb",
    server: "10.0.0.40",
    port: 8089,
    influxdbproto: "udp",
    disable: 0,
  });
  o.notificationEndpoints.set("mail-to-root", {
    type: "sendmail",
    mailto: "root@pam",
    "mailto-user": "root@pam",
    comment: "Send mails to root@pam's email address",
    origin: "builtin",
  });
  o.notificationEndpoints.set("gotify-ops", {
    type: "gotify",
    server: "https://gotify.demo.lan",
    comment: "Ops channel",
    origin: "user-created",
  });
  o.notificationEndpoints.set("smtp-ops", {
    type: "smtp",
    server: "mail.demo.lan",
    port: 587,
    mode: "starttls",
    username: "pve",
    "from-address": "pve@demo.lan",
    mailto: "ops@demo.lan",
    origin: "user-created",
  });
  o.notificationEndpoints.set("webhook-chat", {
    type: "webhook",
    url: "https://chat.demo.lan/hooks/pve",
    method: "post",
    body: "e3sgdGl0bGUgfX0=",
    origin: "user-created",
  });
  o.notificationMatchers.set("default-matcher", {
    target: "mail-to-root",
    comment: "Route all notifications to mail-to-root",
    origin: "builtin",
  });
  o.acmePlugins.set("standalone", { type: "standalone" });
  o.acmeAccounts.set("default", {
    directory: "https://acme-v02.api.letsencrypt.org/directory",
    location: "https://acme-v02.api.letsencrypt.org/acme/acct/123456789",
    tos: "https://letsencrypt.org/documents/LE-SA-v1.5-February-24-2025.pdf",
    contact: ["mailto:admin@demo.lan"],
  });
  o.mappings.pci.set("gpu", {
    description: "The passthrough GPU",
    map: nodes.map((n) => `node=${n},path=0000:01:00.0,id=10de:2204,subsystem-id=1458:403b`),
  });
  o.mappings.usb.set("token-key", {
    description: "Hardware security key",
    map: [`node=${nodes[0]},id=1050:0407`],
  });
  o.mappings.dir.set("shared-data", {
    description: "Datasets shared with VMs",
    map: nodes.map((n) => `node=${n},path=/srv/shared`),
  });
  const sdn = o.sdn;
  sdn.ipams.set("pve", { type: "pve" });
  sdn.zones.set("zone1", { type: "simple", ipam: "pve", dhcp: "dnsmasq" });
  sdn.vnets.set("vnet1", { type: "vnet", zone: "zone1", alias: "Lab network" });
  sdn.subnets.set("zone1-10.10.10.0-24", {
    type: "subnet",
    vnet: "vnet1",
    gateway: "10.10.10.1",
    snat: 1,
  });
  sdn.controllers.set("evpn1", { type: "evpn", asn: 65000, peers: "10.0.0.11,10.0.0.12" });
  sdn.dns.set("powerdns", {
    type: "powerdns",
    url: "https://dns.demo.lan:8081/api/v1/servers/localhost",
    ttl: 3600,
  });
  const fw = o.firewall;
  fw.options.set("cluster", { enable: 1, policy_in: "DROP", policy_out: "ACCEPT" });
  fw.aliases.set("cluster", new Map([["office", { cidr: "10.1.0.0/16", comment: "Office LAN" }]]));
  fw.ipsets.set(
    "cluster",
    new Map([
      [
        "admins",
        { comment: "Admin workstations", entries: [{ cidr: "10.0.0.0/24" }, { cidr: "10.1.5.7" }] },
      ],
    ]),
  );
  for (const vmid of [100, 200]) {
    fw.aliases.set(
      `vm/${vmid}`,
      new Map([["backend", { cidr: "10.0.2.0/24", comment: "Application tier" }]]),
    );
    fw.ipsets.set(`vm/${vmid}`, new Map([["trusted", { entries: [{ cidr: "10.0.2.10" }] }]]));
  }
  fw.rules.set("vnet/vnet1", [
    { type: "forward", action: "ACCEPT", source: "10.10.10.0/24", enable: 1 },
  ]);
  fw.groups.set("webserver", {
    comment: "HTTP and HTTPS in",
    rules: [
      { type: "in", action: "ACCEPT", macro: "HTTP", enable: 1 },
      { type: "in", action: "ACCEPT", macro: "HTTPS", enable: 1 },
    ],
  });
}
