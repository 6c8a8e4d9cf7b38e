// Files on a storage: deleting a volume, pruning backups by retention.
import { fail, paramError, permissionDenied, TaskFailure } from "../errors.ts";
import { node, opt, storage, vmid } from "../params.ts";
import { hasPriv, type Principal } from "../perms.ts";
import type { MockContext, Route } from "../router.ts";
import { type MockStorage, type MockVolume, storageOnNode } from "../state.ts";
import { spread } from "../tasks.ts";

/** storage_check_enabled: the storage must exist, be enabled and be available on the node. */
export function enabledStorage(mock: MockContext, id: string, nodeName: string): MockStorage {
  const s = mock.state.storages.get(id);
  if (!s) throw fail(`storage '${id}' does not exist`);
  if (!s.enabled) throw fail(`storage '${id}' is disabled`);
  if (!storageOnNode(s, nodeName))
    throw fail(`storage '${id}' is not available on node '${nodeName}'`);
  return s;
}

/** The volumes a node sees on a storage (shared ones everywhere, local ones on their node). */
export function volumesOn(mock: MockContext, s: MockStorage, nodeName: string): MockVolume[] {
  return mock.state.volumes.filter(
    (v) => v.storage === s.storage && (s.shared || v.node === nodeName),
  );
}

/** Parses vzdump-<type>-<vmid>-<YYYY_MM_DD-HH_MM_SS>.<ext> (the "standard name"). */
function archiveInfo(volid: string): { type: string; vmid: number; ctime: number } | undefined {
  const m = /vzdump-(qemu|lxc|openvz)-(\d+)-(\d{4})_(\d{2})_(\d{2})-(\d{2})_(\d{2})_(\d{2})\./.exec(
    volid,
  );
  if (!m) return undefined;
  const [y, mo, d, h, mi, sec] = m.slice(3).map(Number) as number[];
  return {
    type: m[1] as string,
    vmid: Number(m[2]),
    ctime: Date.UTC(y ?? 0, (mo ?? 1) - 1, d, h, mi, sec) / 1000,
  };
}

interface PruneEntry {
  volid: string;
  type: string;
  ctime: number;
  vmid?: number;
  mark?: "keep" | "remove" | "protected" | "renamed";
}

const PERIODS: [string, (t: Date) => string][] = [
  ["keep-last", (t) => String(t.getTime())],
  [
    "keep-hourly",
    (t) => `${t.getUTCHours()}/${t.getUTCDate()}/${t.getUTCMonth()}/${t.getUTCFullYear()}`,
  ],
  ["keep-daily", (t) => `${t.getUTCDate()}/${t.getUTCMonth()}/${t.getUTCFullYear()}`],
  ["keep-weekly", (t) => isoWeek(t)],
  ["keep-monthly", (t) => `${t.getUTCMonth()}/${t.getUTCFullYear()}`],
  ["keep-yearly", (t) => `${t.getUTCFullYear()}`],
];

function isoWeek(t: Date): string {
  const d = new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate()));
  const day = d.getUTCDay() || 7;
  d.setUTCDate(d.getUTCDate() + 4 - day);
  const yearStart = Date.UTC(d.getUTCFullYear(), 0, 1);
  return `${Math.ceil(((d.getTime() - yearStart) / 86400000 + 1) / 7)}/${d.getUTCFullYear()}`;
}

/** prune_mark_backup_group: newest first, each keep-* option keeps one backup per period. */
function markGroup(group: PruneEntry[], keep: Record<string, number>): void {
  const positive = Object.entries(keep).filter(([k, v]) => k !== "keep-all" && v > 0);
  if (keep["keep-all"] || positive.length === 0) {
    for (const e of group) if (!e.mark || e.mark === "remove") e.mark = "keep";
    return;
  }
  const list = [...group].sort((a, b) => b.ctime - a.ctime);
  for (const [option, idOf] of PERIODS) {
    const count = keep[option] ?? 0;
    if (!count) continue;
    const already = new Set(
      list.filter((e) => e.mark === "keep").map((e) => idOf(new Date(e.ctime * 1000))),
    );
    const fresh = new Set<string>();
    for (const e of list) {
      const id = idOf(new Date(e.ctime * 1000));
      if (e.mark || already.has(id)) continue;
      if (!fresh.has(id)) {
        if (fresh.size >= count) break;
        fresh.add(id);
        e.mark = "keep";
      } else e.mark = "remove";
    }
  }
  for (const e of list) e.mark ??= "remove";
}

function pruneList(mock: MockContext, params: Record<string, unknown>): PruneEntry[] {
  const nodeName = String(params.node);
  const s = enabledStorage(mock, String(params.storage), nodeName);
  if (!s.content.includes("backup")) throw fail(`storage '${s.storage}' does not support backups`);
  const text =
    typeof params["prune-backups"] === "string"
      ? params["prune-backups"]
      : s.options?.["prune-backups"];
  if (text === undefined) {
    throw fail(`no prune-backups options configured for storage '${s.storage}'`);
  }
  const keep: Record<string, number> = {};
  for (const part of String(text).split(",").filter(Boolean)) {
    const [k, v] = part.split("=");
    if (k) keep[k] = Number(v);
  }
  const groups = new Map<string, PruneEntry[]>();
  const list: PruneEntry[] = [];
  for (const v of volumesOn(mock, s, nodeName)) {
    if (v.content !== "backup") continue;
    if (params.vmid !== undefined && v.vmid !== params.vmid) continue;
    const info = archiveInfo(v.volid);
    const type = info?.type ?? "unknown";
    if (params.type !== undefined && params.type !== type) continue;
    const entry: PruneEntry = {
      volid: v.volid,
      type,
      ctime: info?.ctime ?? v.ctime ?? 0,
      ...(info || v.vmid !== undefined ? { vmid: info?.vmid ?? v.vmid } : {}),
    };
    if (info) {
      const key = `${type}/${info.vmid}`;
      groups.set(key, [...(groups.get(key) ?? []), entry]);
    } else entry.mark = "renamed";
    if (v.protected) entry.mark = "protected";
    list.push(entry);
  }
  for (const group of groups.values()) markGroup(group, keep);
  return list;
}

/** Backup removal needs less than general removal: AllocateSpace plus VM.Backup on the guest. */
function checkRemoval(mock: MockContext, who: Principal, storeid: string, owner?: number): void {
  const need = (path: string, priv: string) => {
    if (!hasPriv(mock.state, who, path, [priv])) {
      throw permissionDenied(path, [priv]);
    }
  };
  if (owner !== undefined) {
    need(`/storage/${storeid}`, "Datastore.AllocateSpace");
    need(`/vms/${owner}`, "VM.Backup");
  } else need(`/storage/${storeid}`, "Datastore.Allocate");
}

const pruneParams = {
  node,
  storage,
  "prune-backups": {
    type: "string",
    optional: true,
    format: "prune-backups",
    description: "Use these retention options instead of those from the storage configuration.",
  },
  type: {
    type: "string",
    optional: true,
    enum: ["qemu", "lxc"],
    description: "Either 'qemu' or 'lxc'. Only consider backups for guests of this type.",
  },
  vmid: opt(vmid, "Only consider backups for this guest."),
} as const;

export const storageFileRoutes: Route[] = [
  {
    method: "DELETE",
    path: "/nodes/{node}/storage/{storage}/content/{volume}",
    description: "Delete volume",
    permission: "all",
    proxyto: "node",
    parameters: {
      node,
      storage: opt(storage),
      volume: { type: "string", description: "Volume identifier" },
      delay: {
        type: "integer",
        optional: true,
        minimum: 1,
        maximum: 30,
        description:
          "Time to wait for the task to finish. We return 'null' if the task finish within that time.",
      },
    },
    handler: ({ mock, params, who }) => {
      const nodeName = String(params.node);
      let storeid = String(params.storage);
      let volid = String(params.volume);
      if (volid.includes(":")) {
        const sid = volid.slice(0, volid.indexOf(":"));
        if (sid !== storeid)
          throw paramError({ volume: `storage ID mismatch (${sid} != ${storeid})\n` });
        storeid = sid;
      } else volid = `${storeid}:${volid}`;
      const s = mock.state.storages.get(storeid);
      if (!s) throw fail(`storage '${storeid}' does not exist`);
      const vol = volumesOn(mock, s, nodeName).find((v) => v.volid === volid);
      const isBackup = vol?.content === "backup" || /:backup\//.test(volid);
      checkRemoval(
        mock,
        who,
        storeid,
        isBackup ? (vol?.vmid ?? archiveInfo(volid)?.vmid) : undefined,
      );
      const volname = volid.slice(storeid.length + 1);
      const owner = vol?.vmid;
      return mock.tasks.start({
        node: nodeName,
        type: "imgdel",
        id: `${owner !== undefined ? `${owner}@` : ""}${storeid}`,
        who,
        finish: () => {
          if (!vol) {
            return [
              `WARN: disk image '${s.path ?? ""}/${volname}' does not exist`,
              `Removed volume '${volid}'`,
            ];
          }
          if (vol.protected)
            throw new TaskFailure(`cannot remove protected volume '${volname}' on '${storeid}'`);
          mock.state.volumes = mock.state.volumes.filter((v) => v !== vol);
          return [`Removed volume '${volid}'`];
        },
      }).upid;
    },
  },
  {
    method: "GET",
    path: "/nodes/{node}/storage/{storage}/prunebackups",
    description: "Get prune information for backups.",
    permission: [
      {
        path: "/storage/{storage}",
        privs: ["Datastore.Audit", "Datastore.AllocateSpace"],
        any: true,
      },
    ],
    proxyto: "node",
    parameters: pruneParams,
    handler: ({ mock, params }) =>
      pruneList(mock, params).map(({ volid, type, ctime, vmid: id, mark }) => ({
        volid,
        type,
        ctime,
        mark,
        ...(id !== undefined ? { vmid: id } : {}),
      })),
  },
  {
    method: "DELETE",
    path: "/nodes/{node}/storage/{storage}/prunebackups",
    description: "Prune backups. Only those using the standard naming scheme are considered.",
    permission: "all",
    proxyto: "node",
    parameters: pruneParams,
    handler: ({ mock, params, who }) => {
      const storeid = String(params.storage);
      const owner = typeof params.vmid === "number" ? params.vmid : undefined;
      checkRemoval(mock, who, storeid, owner);
      const nodeName = String(params.node);
      const doomed = pruneList(mock, params).filter((e) => e.mark === "remove");
      return mock.tasks.start({
        node: nodeName,
        type: "prunebackups",
        id: `${owner !== undefined ? `${owner}@` : ""}${storeid}`,
        who,
        lines: spread(doomed.map((e) => `removing backup '${e.volid}'`)),
        finish: () => {
          const ids = new Set(doomed.map((e) => e.volid));
          const s = enabledStorage(mock, storeid, nodeName);
          const gone = new Set(volumesOn(mock, s, nodeName).filter((v) => ids.has(v.volid)));
          mock.state.volumes = mock.state.volumes.filter((v) => !gone.has(v));
          return undefined;
        },
      }).upid;
    },
  },
];
