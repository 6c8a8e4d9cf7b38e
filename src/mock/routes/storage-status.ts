// One storage on one node: its status, one volume's attributes, and its RRD statistics.
import { fail } from "../errors.ts";
import { node, storage } from "../params.ts";
import type { MockContext, Route } from "../router.ts";
import { RRD_DS, RRD_ROWS, RRD_STEPS, rrdParams, wave } from "../rrd.ts";
import { type MockStorage, storageOnNode, storageUsed } from "../state.ts";

const audit = [
  { path: "/storage/{storage}", privs: ["Datastore.Audit", "Datastore.AllocateSpace"], any: true },
];

function storageOf(mock: MockContext, id: string, nodeName: string): MockStorage {
  const s = mock.state.storages.get(id);
  if (!s) throw fail(`storage '${id}' does not exist`);
  if (!storageOnNode(s, nodeName))
    throw fail(`storage '${id}' is not available on node '${nodeName}'`);
  return s;
}

/** Where a volume lives on the node's file system (or its device node). */
function volumePath(s: MockStorage, volname: string): string {
  const base = s.path ?? `/mnt/pve/${s.storage}`;
  if (s.type === "lvmthin" || s.type === "lvm")
    return `/dev/${s.options?.vgname ?? "pve"}/${volname}`;
  if (/^(vm|base)-\d+-/.test(volname) || /^\d+\//.test(volname)) return `${base}/images/${volname}`;
  return `${base}/${volname
    .replace(/^iso\//, "template/iso/")
    .replace(/^vztmpl\//, "template/cache/")
    .replace(/^backup\//, "dump/")}`;
}

export const storageStatusRoutes: Route[] = [
  {
    method: "GET",
    path: "/nodes/{node}/storage/{storage}/status",
    description: "Read storage status.",
    permission: audit,
    proxyto: "node",
    parameters: { node, storage },
    handler: ({ mock, params }) => {
      const s = storageOf(mock, String(params.storage), String(params.node));
      const used = storageUsed(mock.state, s, String(params.node));
      return {
        type: s.type,
        content: [...s.content].sort().join(","),
        enabled: s.enabled ? 1 : 0,
        active: s.enabled ? 1 : 0,
        shared: s.shared ? 1 : 0,
        total: s.total,
        used,
        avail: s.total - used,
      };
    },
  },
  {
    method: "GET",
    path: "/nodes/{node}/storage/{storage}/content/{volume}",
    description: "Get volume attributes",
    permission: "all",
    proxyto: "node",
    parameters: {
      node,
      storage: { ...storage, optional: true },
      volume: { type: "string", description: "Volume identifier" },
    },
    handler: ({ mock, params }) => {
      const raw = String(params.volume);
      const volid = raw.includes(":") ? raw : `${params.storage}:${raw}`;
      const vol = mock.state.volumes.find(
        (v) => v.volid === volid && (v.node === undefined || v.node === params.node),
      );
      if (!vol) throw fail(`volume '${volid}' does not exist`);
      const s = storageOf(mock, vol.storage, String(params.node));
      return {
        path: volumePath(s, volid.slice(volid.indexOf(":") + 1)),
        size: vol.size,
        used:
          vol.content === "images" || vol.content === "rootdir"
            ? Math.round(vol.size * 0.42)
            : vol.size,
        format: vol.format,
        ...(vol.notes ? { notes: vol.notes } : {}),
        ...(vol.content === "backup" ? { protected: vol.protected ? 1 : 0 } : {}),
      };
    },
  },
  {
    method: "GET",
    path: "/nodes/{node}/storage/{storage}/rrd",
    description: "Read storage RRD statistics (returns PNG).",
    permission: audit,
    proxyto: "node",
    parameters: { node, storage, ds: RRD_DS, ...rrdParams() },
    handler: ({ mock, params }) => {
      storageOf(mock, String(params.storage), String(params.node));
      return { filename: `/var/tmp/pve-rrd-${params.storage}-${params.timeframe}.png` };
    },
  },
  {
    method: "GET",
    path: "/nodes/{node}/storage/{storage}/rrddata",
    description: "Read storage RRD statistics.",
    permission: audit,
    proxyto: "node",
    parameters: { node, storage, ...rrdParams() },
    handler: ({ mock, params }) => {
      const s = storageOf(mock, String(params.storage), String(params.node));
      const used = storageUsed(mock.state, s, String(params.node));
      const step = RRD_STEPS[String(params.timeframe)] ?? 60;
      const end = Math.floor(Date.now() / 1000 / step) * step;
      return Array.from({ length: RRD_ROWS }, (_, i) => {
        const time = end - (RRD_ROWS - 1 - i) * step;
        // Usage creeps up over time and wobbles a little.
        return {
          time,
          total: s.total,
          used: Math.round(used * (0.97 + 0.02 * wave(time, s.storage.length))),
        };
      });
    },
  },
];
