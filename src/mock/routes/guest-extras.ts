// A guest's remaining reads: RRD graphs, the cloud-init config (pending and rendered), whether a
// storage feature is available, the migration preconditions, and a snapshot's config.

import { guestNics } from "../agent.ts";
import { volumeOf } from "../disks.ts";
import { fail } from "../errors.ts";
import { parsePropertyString } from "../format.ts";
import { loadGuest } from "../guests.ts";
import { node, opt, snapname, vmid } from "../params.ts";
import type { Route } from "../router.ts";
import { RRD_DS, rrdParams } from "../rrd.ts";
import {
  type ClusterState,
  type GuestType,
  guestName,
  isTemplate,
  type MockGuest,
  type MockStorage,
  storageOnNode,
} from "../state.ts";

const audit = [{ path: "/vms/{vmid}", privs: ["VM.Audit"] }];

/** PVE renders the graph to a PNG on the node and answers its file name. */
const rrdImage = (what: string, params: Record<string, unknown>) => ({
  filename: `/var/tmp/pve-rrd-${what}-${String(params.ds).replace(/[^a-z0-9]/gi, "_")}-${params.timeframe}.png`,
});

export function rrdImageRoutes(): Route[] {
  const guests = (["qemu", "lxc"] as const).map(
    (kind): Route => ({
      method: "GET",
      path: `/nodes/{node}/${kind}/{vmid}/rrd`,
      description: "Read VM RRD statistics (returns PNG)",
      permission: audit,
      proxyto: "node",
      parameters: { node, vmid, ds: RRD_DS, ...rrdParams() },
      handler: ({ mock, params }) => {
        loadGuest(mock.state, kind, String(params.node), Number(params.vmid));
        return rrdImage(String(params.vmid), params);
      },
    }),
  );
  return [
    ...guests,
    {
      method: "GET",
      path: "/nodes/{node}/rrd",
      description: "Read node RRD statistics (returns PNG)",
      permission: [{ path: "/nodes/{node}", privs: ["Sys.Audit"] }],
      proxyto: "node",
      parameters: { node, ds: RRD_DS, ...rrdParams() },
      handler: ({ params }) => rrdImage(String(params.node), params),
    },
  ];
}

/** Storage features by plugin, as volume_has_feature reads them (snapshot of the current state,
 * linked clone of a base volume, full copy of either). */
function storageHas(store: MockStorage, format: string, feature: string, base: boolean): boolean {
  switch (store.type) {
    case "lvmthin":
    case "zfspool":
    case "rbd":
      return feature === "copy" || (feature === "clone" ? base : !base);
    case "lvm":
      return feature === "copy";
    default:
      if (format !== "qcow2") return feature === "copy";
      return feature === "copy" || (feature === "clone" ? base : !base);
  }
}

function hasFeature(
  state: ClusterState,
  g: MockGuest,
  feature: string,
): { ok: boolean; nodes: string[] } {
  const stores: MockStorage[] = [];
  let ok = true;
  for (const value of Object.values(g.config)) {
    const volid = typeof value === "string" ? volumeOf(value) : undefined;
    if (!volid || String(value).includes("media=cdrom")) continue;
    const store = state.storages.get(volid.split(":")[0] ?? "");
    const vol = state.volumes.find((v) => v.volid === volid);
    if (!store) continue;
    stores.push(store);
    if (!storageHas(store, vol?.format ?? "raw", feature, isTemplate(g))) ok = false;
  }
  const nodes = [...state.nodes.keys()].filter(
    (n) => n === g.node || stores.every((s) => s.shared && storageOnNode(s, n)),
  );
  return { ok, nodes };
}

function featureRoute(kind: GuestType): Route {
  return {
    method: "GET",
    path: `/nodes/{node}/${kind}/{vmid}/feature`,
    description: "Check if feature for virtual machine is available.",
    permission: audit,
    proxyto: "node",
    parameters: {
      node,
      vmid,
      feature: {
        type: "string",
        enum: ["snapshot", "clone", "copy"],
        description: "Feature to check.",
      },
      snapname: opt(snapname),
    },
    handler: ({ mock, params }) => {
      const g = loadGuest(mock.state, kind, String(params.node), Number(params.vmid));
      if (
        typeof params.snapname === "string" &&
        !g.snapshots.some((s) => s.name === params.snapname)
      ) {
        throw fail(`snapshot '${params.snapname}' does not exist`);
      }
      const { ok, nodes } = hasFeature(mock.state, g, String(params.feature));
      return kind === "qemu" ? { hasFeature: ok ? 1 : 0, nodes } : { hasFeature: ok ? 1 : 0 };
    },
  };
}

/** Disks on storages only this node has, as migrate_vm_precondition lists them. */
function localDisks(state: ClusterState, g: MockGuest) {
  const out: Record<string, unknown>[] = [];
  for (const [key, value] of Object.entries(g.config)) {
    const volid = typeof value === "string" ? volumeOf(value) : undefined;
    if (!volid) continue;
    const store = state.storages.get(volid.split(":")[0] ?? "");
    if (store?.shared) continue;
    out.push({
      volid,
      size: state.volumes.find((v) => v.volid === volid)?.size ?? 0,
      cdrom: String(value).includes("media=cdrom") ? 1 : 0,
      is_unused: /^unused/.test(key) ? 1 : 0,
      drivename: key,
    });
  }
  return out;
}

function migrateRoute(kind: GuestType): Route {
  return {
    method: "GET",
    path: `/nodes/{node}/${kind}/{vmid}/migrate`,
    description: "Get preconditions for migration.",
    permission: [{ path: "/vms/{vmid}", privs: ["VM.Migrate"] }],
    proxyto: "node",
    parameters: { node, vmid, target: opt(node, "Target node.") },
    handler: ({ mock, params }) => {
      const g = loadGuest(mock.state, kind, String(params.node), Number(params.vmid));
      const others = [...mock.state.nodes.keys()].filter((n) => n !== g.node);
      const running = g.status === "running" ? 1 : 0;
      if (kind === "lxc") return { running, "allowed-nodes": others };
      // Storages of the disks that a target node lacks make it a not-allowed node.
      const missing = (n: string) =>
        [
          ...new Set(localDisks(mock.state, g).map((d) => String(d.volid).split(":")[0] ?? "")),
        ].filter((sid) => !storageOnNode(mock.state.storages.get(sid) as MockStorage, n));
      const notAllowed = Object.fromEntries(
        others
          .filter((n) => missing(n).length > 0)
          .map((n) => [n, { unavailable_storages: missing(n) }]),
      );
      const hostDevices = Object.keys(g.config).filter((k) => /^(hostpci|usb)\d+$/.test(k));
      return {
        running,
        allowed_nodes: others.filter((n) => !(n in notAllowed)),
        not_allowed_nodes: notAllowed,
        local_disks: localDisks(mock.state, g),
        local_resources: hostDevices,
        "mapped-resources": [],
        "mapped-resource-info": {},
        "has-dbus-vmstate": 0,
      };
    },
  };
}

/** The cloud-init values a change of which waits for the next start (or a regenerate). */
const CLOUDINIT_KEYS = [
  "ciuser",
  "cipassword",
  "citype",
  "ciupgrade",
  "cicustom",
  "nameserver",
  "searchdomain",
  "sshkeys",
];

function cloudinitUser(g: MockGuest): string {
  const user = String(g.config.ciuser ?? "root");
  return `#cloud-config\nhostname: ${guestName(g)}\nmanage_etc_hosts: true\nfqdn: ${guestName(g)}\nuser: ${user}\n${g.config.sshkeys ? `ssh_authorized_keys:\n  - ${decodeURIComponent(String(g.config.sshkeys))}\n` : ""}chpasswd:\n  expire: False\nusers:\n  - default\npackage_upgrade: ${Number(g.config.ciupgrade ?? 1) === 1 ? "true" : "false"}\n`;
}

function cloudinitNetwork(g: MockGuest): string {
  const lines = ["version: 1", "config:"];
  guestNics(g).forEach((nic, i) => {
    const ip =
      parsePropertyString(String(g.config[`ipconfig${i}`] ?? "ip=dhcp")).pairs.get("ip") ?? "dhcp";
    lines.push(
      `    - type: physical`,
      `      name: eth${i}`,
      `      mac_address: '${nic.mac}'`,
      "      subnets:",
    );
    lines.push(
      ip === "dhcp" ? "      - type: dhcp4" : `      - type: static\n        address: '${ip}'`,
    );
  });
  return `${lines.join("\n")}\n`;
}

export const guestExtraRoutes: Route[] = [
  ...rrdImageRoutes(),
  featureRoute("qemu"),
  featureRoute("lxc"),
  migrateRoute("qemu"),
  migrateRoute("lxc"),
  {
    method: "GET",
    path: "/nodes/{node}/qemu/{vmid}/cloudinit",
    description: "Get the cloudinit configuration with both current and pending values.",
    permission: audit,
    proxyto: "node",
    parameters: { node, vmid },
    handler: ({ mock, params }) => {
      const g = loadGuest(mock.state, "qemu", String(params.node), Number(params.vmid));
      const keys = [
        ...CLOUDINIT_KEYS,
        ...Object.keys({ ...g.config, ...g.pending }).filter((k) => /^ipconfig\d+$/.test(k)),
      ];
      return [...new Set(keys)]
        .filter((k) => g.config[k] !== undefined || g.pending?.[k] !== undefined)
        .map((key) => ({
          key,
          ...(g.config[key] !== undefined
            ? { value: String(key === "cipassword" ? "**********" : g.config[key]) }
            : {}),
          ...(g.pending?.[key] !== undefined ? { pending: String(g.pending[key]) } : {}),
          ...(g.pendingDelete?.includes(key) ? { delete: 1 } : {}),
        }));
    },
  },
  {
    method: "GET",
    path: "/nodes/{node}/qemu/{vmid}/cloudinit/dump",
    description: "Get automatically generated cloudinit config.",
    permission: audit,
    proxyto: "node",
    parameters: {
      node,
      vmid,
      type: { type: "string", enum: ["user", "network", "meta"], description: "Config type." },
    },
    handler: ({ mock, params }) => {
      const g = loadGuest(mock.state, "qemu", String(params.node), Number(params.vmid));
      if (params.type === "user") return cloudinitUser(g);
      if (params.type === "network") return cloudinitNetwork(g);
      return `instance-id: ${String(g.config.vmgenid ?? g.vmid)
        .replace(/-/g, "")
        .slice(0, 40)}\n`;
    },
  },
  ...(["qemu", "lxc"] as const).map(
    (kind): Route => ({
      method: "GET",
      path: `/nodes/{node}/${kind}/{vmid}/snapshot/{snapname}/config`,
      description: "Get snapshot configuration",
      permission: [
        {
          path: "/vms/{vmid}",
          privs: ["VM.Snapshot", "VM.Snapshot.Rollback", "VM.Audit"],
          any: true,
        },
      ],
      proxyto: "node",
      parameters: { node, vmid, snapname },
      handler: ({ mock, params }) => {
        const g = loadGuest(mock.state, kind, String(params.node), Number(params.vmid));
        const snap = g.snapshots.find((s) => s.name === params.snapname);
        if (!snap) throw fail(`snapshot '${params.snapname}' does not exist`);
        return {
          ...snap.config,
          ...(snap.parent ? { parent: snap.parent } : {}),
          snaptime: snap.snaptime,
          ...(snap.description ? { description: snap.description } : {}),
          ...(snap.vmstate ? { vmstate: 1 } : {}),
        };
      },
    }),
  ),
];
