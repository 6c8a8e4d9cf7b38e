// vzdump backups and their restore (qmrestore / vzrestore), with the log lines PVE writes.
import { allocateDisk, removeGuestVolumes, volumeOf } from "./disks.ts";
import { fail, TaskFailure } from "./errors.ts";
import { formatBytes, formatHms, parsePropertyString } from "./format.ts";
import {
  isDiskKey,
  lockError,
  markRunning,
  newMac,
  setLock,
  typeWord,
  vmidTaken,
} from "./guests.ts";
import type { Params } from "./params.ts";
import type { Principal } from "./perms.ts";
import type { MockContext } from "./router.ts";
import {
  type ConfigValue,
  type GuestType,
  guestMaxdisk,
  guestName,
  type MockGuest,
  type MockStorage,
  type MockVolume,
  storageOnNode,
  type TaskLogLine,
} from "./state.ts";
import { spread } from "./tasks.ts";

const EXT: Record<string, string> = {
  "0": "",
  "1": ".lzo",
  gzip: ".gz",
  lzo: ".lzo",
  zstd: ".zst",
};

/** vzdump-qemu-100-2026_11_25-15_43_01 in local time, as PVE names archives. */
function stamp(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}_${p(d.getMonth() + 1)}_${p(d.getDate())}-${p(d.getHours())}_${p(d.getMinutes())}_${p(d.getSeconds())}`;
}

function dumpDir(s: MockStorage): string {
  return `${s.path ?? `/mnt/pve/${s.storage}`}/dump`;
}

/** Where vzdump files of a backup volume live on disk. */
export function archivePath(state: MockContext["state"], volid: string): string {
  const [store, rest] = volid.split(":");
  const s = state.storages.get(store ?? "");
  return s ? `${dumpDir(s)}/${(rest ?? "").replace(/^backup\//, "")}` : volid;
}

function renderNotes(template: string, g: MockGuest, cluster: string): string {
  return template
    .replaceAll("{{guestname}}", guestName(g))
    .replaceAll("{{vmid}}", String(g.vmid))
    .replaceAll("{{node}}", g.node)
    .replaceAll("{{cluster}}", cluster)
    .replaceAll("\\n", "\n");
}

interface Job {
  guest: MockGuest;
  file: string;
  volid: string;
  size: number;
  lines: string[];
}

/** The log of one guest's backup and what it produces. */
function guestJob(g: MockGuest, store: MockStorage, params: Params, startMs: number): Job {
  const compress = String(params.compress ?? "0");
  const mode = String(params.mode ?? "snapshot");
  const type = g.type;
  const file = `vzdump-${type}-${g.vmid}-${stamp(startMs)}.${type === "qemu" ? "vma" : "tar"}${EXT[compress] ?? ""}`;
  const total = Math.max(guestMaxdisk(g), 2 ** 30);
  const size = Math.round(total * 0.22);
  const word = type === "qemu" ? "VM" : "CT";
  const lines = [
    `INFO: Starting Backup of VM ${g.vmid} (${type})`,
    `INFO: Backup started at ${new Date(startMs).toISOString().replace("T", " ").slice(0, 19)}`,
    `INFO: status = ${g.status}`,
    `INFO: ${word} Name: ${guestName(g)}`,
  ];
  if (type === "qemu") {
    for (const [key, value] of Object.entries(g.config)) {
      if (!isDiskKey("qemu", key) || typeof value !== "string" || value.includes("media=cdrom"))
        continue;
      const vol = volumeOf(value);
      if (vol)
        lines.push(`INFO: include disk '${key}' '${vol}' ${/size=([^,]+)/.exec(value)?.[1] ?? ""}`);
    }
    lines.push(`INFO: backup mode: ${mode}`);
    if (mode === "stop" && g.status === "running") lines.push("INFO: stopping virtual guest");
    lines.push(
      `INFO: creating vzdump archive '${dumpDir(store)}/${file}'`,
      `INFO: started backup task '${crypto.randomUUID()}'`,
    );
    if (mode === "stop" && g.status === "running") lines.push("INFO: resuming VM again");
    for (const pct of [12, 37, 63, 88, 100]) {
      const done = (total * pct) / 100;
      lines.push(
        `INFO: ${String(pct).padStart(3)}% (${formatBytes(done)} of ${formatBytes(total)}) in ${Math.ceil(pct / 9)}s, read: 1.6 GiB/s, write: 412.3 MiB/s`,
      );
    }
    lines.push(
      `INFO: backup is sparse: ${formatBytes(total * 0.46)} (46%) total zero data`,
      `INFO: transferred ${(total / 2 ** 30).toFixed(2)} GiB in 12 seconds (${formatBytes(total / 12)}/s)`,
    );
  } else {
    lines.push(
      "INFO: including mount point rootfs ('/') in backup",
      `INFO: backup mode: ${mode}`,
      "INFO: ionice priority: 7",
      ...(mode === "snapshot" ? ["INFO: create storage snapshot 'vzdump'"] : []),
      `INFO: creating vzdump archive '${dumpDir(store)}/${file}'`,
      `INFO: Total bytes written: ${size * 3} (${formatBytes(size * 3)}, 187MiB/s)`,
      ...(mode === "snapshot" ? ["INFO: cleanup temporary 'vzdump' snapshot"] : []),
    );
  }
  lines.push(
    `INFO: archive file size: ${Math.round(size / 1e6)}MB`,
    `INFO: Finished Backup of VM ${g.vmid} (${formatHms(12)})`,
  );
  return { guest: g, file, volid: `${store.storage}:backup/${file}`, size, lines };
}

/** POST /nodes/{node}/vzdump: one task backs up the listed guests of this node. */
export function runVzdump(mock: MockContext, params: Params, who: Principal): string {
  const nodeName = String(params.node);
  const ids =
    typeof params.vmid === "string"
      ? params.vmid
          .split(/[,;\s]+/)
          .filter(Boolean)
          .map(Number)
      : [...mock.state.guests.values()].filter((g) => g.node === nodeName).map((g) => g.vmid);
  const local = ids.filter((id) => mock.state.guests.get(id)?.node === nodeName);
  const external = ids.filter((id) => {
    const g = mock.state.guests.get(id);
    return g !== undefined && g.node !== nodeName;
  });
  const missing = ids.filter((id) => !mock.state.guests.has(id));
  const storeId = typeof params.storage === "string" ? params.storage : "local";
  const store = mock.state.storages.get(storeId);
  const startMs = Date.now();
  const options = Object.entries(params)
    .filter(([k, v]) => !["node", "vmid"].includes(k) && v !== undefined)
    .map(([k, v]) => `--${k} ${typeof v === "boolean" ? (v ? 1 : 0) : v}`)
    .join(" ");
  const header =
    `INFO: starting new backup job: vzdump ${typeof params.vmid === "string" ? `${ids.join(" ")} ` : ""}${options}`.trimEnd();
  const base: Parameters<MockContext["tasks"]["start"]>[0] = {
    node: nodeName,
    type: "vzdump",
    id: ids.length === 1 ? String(ids[0]) : "",
    who,
    long: true,
  };
  if (!store || !storageOnNode(store, nodeName) || !store.content.includes("backup")) {
    const why =
      !store || !storageOnNode(store, nodeName)
        ? `storage '${storeId}' does not exist`
        : `can't use storage '${storeId}' for backups - wrong content type`;
    return mock.tasks.start({
      ...base,
      error: `could not get storage information for '${storeId}': ${why}`,
    }).upid;
  }
  const jobs: Job[] = [];
  const failed: string[] = [];
  const lines: string[] = [header];
  if (external.length > 0) lines.push(`INFO: skip external VMs: ${external.join(", ")}`);
  for (const id of missing) {
    failed.push(id.toString());
    lines.push(`ERROR: Backup of VM ${id} failed - unable to find VM '${id}'`);
  }
  for (const id of local) {
    const g = mock.state.guests.get(id) as MockGuest;
    const locked = lockError(g);
    if (locked) {
      failed.push(String(id));
      lines.push(
        `INFO: Starting Backup of VM ${id} (${g.type})`,
        `ERROR: Backup of VM ${id} failed - ${locked}`,
        `INFO: Failed at ${new Date().toISOString().replace("T", " ").slice(0, 19)}`,
      );
      continue;
    }
    setLock(g, "backup");
    const job = guestJob(g, store, params, startMs);
    jobs.push(job);
    lines.push(...job.lines);
  }
  lines.push(
    failed.length
      ? "INFO: Backup job finished with errors"
      : "INFO: Backup job finished successfully",
  );
  const timed: TaskLogLine[] = spread(lines, 0, 0.97);
  return mock.tasks.start({
    ...base,
    lines: timed,
    finish: () => {
      for (const job of jobs) {
        const g = job.guest;
        const volume: MockVolume = {
          storage: store.storage,
          ...(store.shared ? {} : { node: nodeName }),
          volid: job.volid,
          content: "backup",
          format: job.file.replace(/^.*?\.(vma|tar)/, "$1"),
          size: job.size,
          ctime: Math.floor(startMs / 1000),
          vmid: g.vmid,
          notes:
            typeof params["notes-template"] === "string"
              ? renderNotes(params["notes-template"], g, mock.state.clusterName)
              : "",
          ...(params.protected === true ? { protected: true } : {}),
          backupOf: { type: g.type, config: { ...g.config } },
        };
        mock.state.volumes.push(volume);
        prune(mock, store, g.vmid, params);
      }
      if (failed.length > 0) throw new TaskFailure("job errors");
      return undefined;
    },
    cleanup: () => {
      for (const job of jobs) if (job.guest.lock === "backup") setLock(job.guest, undefined);
    },
  }).upid;
}

/** prune-backups keep-last=N (with remove, the default): older unprotected archives go. */
function prune(mock: MockContext, store: MockStorage, vmid: number, params: Params): void {
  if (params.remove === false || typeof params["prune-backups"] !== "string") return;
  const keep = Number(/keep-last=(\d+)/.exec(params["prune-backups"])?.[1] ?? Number.NaN);
  if (!Number.isFinite(keep)) return;
  const mine = mock.state.volumes
    .filter((v) => v.storage === store.storage && v.content === "backup" && v.vmid === vmid)
    .sort((a, b) => (b.ctime ?? 0) - (a.ctime ?? 0));
  const drop = new Set(mine.slice(keep).filter((v) => !v.protected));
  mock.state.volumes = mock.state.volumes.filter((v) => !drop.has(v));
}

/** The backup volume an archive parameter names, or PVE's error. */
function backupVolume(mock: MockContext, archive: string, nodeName: string): MockVolume {
  const vol = mock.state.volumes.find(
    (v) => v.volid === archive && (v.node === undefined || v.node === nodeName),
  );
  if (vol?.content !== "backup") throw fail(`volume '${archive}' does not exist`);
  return vol;
}

/** The configuration an archive holds; seeded archives made before the mock ran get a plausible one. */
function archivedConfig(
  mock: MockContext,
  vol: MockVolume,
  type: GuestType,
): Record<string, ConfigValue> {
  if (vol.backupOf) return { ...vol.backupOf.config };
  const original = vol.vmid !== undefined ? mock.state.guests.get(vol.vmid) : undefined;
  if (original && original.type === type) return { ...original.config };
  const name = vol.notes?.split("\n")[0] || `restored-${vol.vmid ?? "guest"}`;
  return type === "qemu"
    ? {
        name,
        memory: "2048",
        cores: 2,
        sockets: 1,
        ostype: "l26",
        scsihw: "virtio-scsi-single",
        scsi0: `local-lvm:vm-${vol.vmid}-disk-0,iothread=1,size=32G`,
        net0: `virtio=${newMac()},bridge=vmbr0,firewall=1`,
      }
    : {
        hostname: name,
        arch: "amd64",
        ostype: "debian",
        memory: 512,
        swap: 512,
        cores: 1,
        rootfs: `local-lvm:vm-${vol.vmid}-disk-0,size=8G`,
        net0: `name=eth0,bridge=vmbr0,hwaddr=${newMac()},ip=dhcp,type=veth`,
        unprivileged: 1,
      };
}

const DROP = new Set(["lock", "parent", "template", "digest"]);

/**
 * Restores an archive into `vmid` on `nodeName`: PVE's checks happen before the worker starts
 * (an existing guest needs force, must be stopped and unprotected); disks are allocated again.
 */
export function restoreGuest(
  mock: MockContext,
  type: GuestType,
  params: Params,
  archive: string,
  who: Principal,
): string {
  const nodeName = String(params.node);
  const id = Number(params.vmid);
  const word = typeWord(type);
  const force = params.force === true;
  const existing = mock.state.guests.get(id);
  if (type === "qemu") {
    const emsg = `unable to restore VM ${id} -`;
    if (existing && (!force || existing.node !== nodeName))
      throw fail(`${emsg} ${vmidTaken(mock.state, id)}`);
    if (existing) {
      if (Number(existing.config.protection ?? 0) === 1)
        throw fail(`${emsg} - protection mode enabled`);
      if (existing.status === "running") throw fail(`${emsg} vm is running`);
    }
  } else if (existing && (!force || existing.node !== nodeName || existing.type !== type)) {
    throw fail(vmidTaken(mock.state, id) as string);
  } else if (existing) {
    if (existing.status === "running") throw fail("can't overwrite running container");
    if (Number(existing.config.protection ?? 0) === 1)
      throw fail(`unable to restore CT ${id} - protection mode enabled`);
  }
  if (existing && existing.type !== type) throw fail(`${word} ${id} is not a ${word}`);
  const vol = backupVolume(mock, archive, nodeName);
  const storeId = typeof params.storage === "string" ? params.storage : undefined;
  if (storeId) {
    const s = mock.state.storages.get(storeId);
    if (!s || !storageOnNode(s, nodeName)) throw fail(`storage '${storeId}' does not exist`);
  }
  if (typeof params.pool === "string" && !mock.state.pools.has(params.pool)) {
    throw fail(`pool '${params.pool}' does not exist`);
  }
  const source = archivedConfig(mock, vol, type);
  const path = archivePath(mock.state, archive);
  const target: MockGuest = existing ?? {
    vmid: id,
    type,
    node: nodeName,
    status: "stopped",
    ...(type === "qemu" ? { qmpstatus: "stopped" } : {}),
    config: {},
    snapshots: [],
    stats: { cpu: 0, mem: 0, disk: 0, netin: 0, netout: 0, diskread: 0, diskwrite: 0 },
  };
  const locked = existing ? lockError(existing) : undefined;
  if (locked) throw fail(locked);
  setLock(target, "create");
  if (!existing) mock.state.guests.set(id, target);
  const disks = Object.entries(source).filter(
    ([k, v]) => isDiskKey(type, k) && typeof v === "string" && volumeOf(v) !== undefined,
  ) as [string, string][];
  const lines: string[] =
    type === "qemu"
      ? [
          `restore vma archive: zstd -q -d -c ${path} | vma extract -v -r /var/tmp/vzdumptmp${id}.fifo - /var/tmp/vzdumptmp${id}`,
          `CFG: size: ${Object.keys(source).length * 24} name: qemu-server.conf`,
          ...disks.map(
            ([k, v], i) => `DEV: dev_id=${i + 1} size: ${sizeOf(v)} devname: drive-${k}`,
          ),
          `CTIME: ${new Date((vol.ctime ?? 0) * 1000).toUTCString().replace(/,| GMT/g, "")}`,
        ]
      : [`recovering backed-up configuration from '${archive}'`];
  return mock.tasks.start({
    node: nodeName,
    type: type === "qemu" ? "qmrestore" : "vzrestore",
    id: String(id),
    who,
    long: true,
    lines: spread(lines, 0, 0.3),
    finish: () => {
      const out: string[] = [];
      if (existing) out.push(...removeGuestVolumes(mock.state, id));
      const config: Record<string, ConfigValue> = {};
      for (const [k, v] of Object.entries(source))
        if (!DROP.has(k) && !/^unused\d+$/.test(k)) config[k] = v;
      target.config = config;
      target.snapshots = [];
      target.pending = undefined;
      target.pendingDelete = undefined;
      for (const [key, value] of disks) {
        const { pairs } = parsePropertyString(value);
        pairs.delete("size");
        const store = storeId ?? (volumeOf(value) as string).split(":")[0] ?? "local-lvm";
        const gib = Math.max(sizeOf(value) / 2 ** 30, 0.001);
        const rest = [...pairs].map(([k, v]) => `${k}=${v}`).join(",");
        const res = allocateDisk(
          mock.state,
          target,
          key,
          `${store}:${gib}${rest ? `,${rest}` : ""}`,
        );
        config[key] = res.value;
        if (res.log) out.push(res.log);
        const volid = volumeOf(res.value) as string;
        if (type === "qemu") {
          out.push(
            `new volume ID is '${volid}'`,
            `map 'drive-${key}' to '/dev/pve/${volid.split(":")[1]}' (write zeros = 0)`,
            ...[1, 50, 100].map(
              (p) =>
                `progress ${p}% (read ${Math.round((sizeOf(value) * p) / 100)} bytes, duration ${Math.ceil(p / 10)} sec)`,
            ),
          );
        }
      }
      if (type === "qemu") {
        out.push("rescan volumes...");
      } else {
        out.push(
          `restoring '${archive}' now..`,
          `extracting archive '${path}'`,
          `Total bytes read: ${vol.size * 3} (${formatBytes(vol.size * 3)}, 201MiB/s)`,
          "merging backed-up and given configuration..",
        );
      }
      for (const [k, v] of Object.entries(config)) {
        if (/^net\d+$/.test(k) && params.unique === true) {
          config[k] = String(v).replace(/([0-9A-F]{2}:){5}[0-9A-F]{2}/i, newMac());
        }
      }
      if (typeof params.pool === "string") target.pool = params.pool;
      setLock(target, undefined);
      if (params.start === true) markRunning(target);
      return out;
    },
    cleanup: () => {
      if (target.lock === "create") {
        if (existing) setLock(target, undefined);
        else mock.state.guests.delete(id);
      }
    },
  }).upid;
}

function sizeOf(value: string): number {
  const m = /size=(\d+(?:\.\d+)?)([KMGT]?)/.exec(value);
  if (!m) return 2 ** 30;
  const unit = { "": 1, K: 2 ** 10, M: 2 ** 20, G: 2 ** 30, T: 2 ** 40 }[m[2] ?? ""] ?? 1;
  return Math.round(Number(m[1]) * unit);
}
