// POST /nodes/{node}/lxc/{vmid}/clone: a copy of a container (full) or of a template (linked).
import { volumeOf } from "../disks.ts";
import { fail } from "../errors.ts";
import { parsePropertyString, printPropertyString } from "../format.ts";
import { loadGuest, lockError, newMac, setLock, vmidTaken } from "../guests.ts";
import { node, opt, type Params, vmid } from "../params.ts";
import type { Principal } from "../perms.ts";
import type { MockContext, Route } from "../router.ts";
import {
  type ConfigValue,
  isTemplate,
  type MockGuest,
  parseSize,
  storageOnNode,
} from "../state.ts";
import { spread } from "../tasks.ts";

const VOLUME_KEY = /^(rootfs|mp\d+)$/;

function cloneCt(mock: MockContext, params: Params, who: Principal): string {
  const nodeName = String(params.node);
  const id = Number(params.vmid);
  const newid = Number(params.newid);
  const source = loadGuest(mock.state, "lxc", nodeName, id);
  const existing = mock.state.guests.get(newid);
  if (existing?.node === nodeName) {
    throw fail(`unable to create CT ${newid}: config file already exists`);
  }
  if (existing) throw fail(`unable to create CT ${newid} - ${vmidTaken(mock.state, newid)}`);
  const target = typeof params.target === "string" ? params.target : nodeName;
  if (!mock.state.nodes.has(target)) throw fail(`no such cluster node '${target}'`);
  const template = isTemplate(source);
  const full = typeof params.full === "boolean" ? params.full : !template;
  if (!full && !template) throw fail("linked clone only possible from a template");
  if (!full && typeof params.storage === "string") {
    throw fail("parameter 'storage' not allowed for linked clones");
  }
  const storeid = typeof params.storage === "string" ? params.storage : undefined;
  if (storeid) {
    const s = mock.state.storages.get(storeid);
    if (!s || !storageOnNode(s, target)) throw fail(`storage '${storeid}' does not exist`);
  }
  const snap =
    typeof params.snapname === "string"
      ? source.snapshots.find((s) => s.name === params.snapname)
      : undefined;
  if (typeof params.snapname === "string" && !snap) {
    throw fail(`snapshot '${params.snapname}' does not exist`);
  }
  if (typeof params.pool === "string" && !mock.state.pools.has(params.pool)) {
    throw fail(`pool '${params.pool}' does not exist`);
  }
  const locked = lockError(source);
  if (locked) throw fail(locked);

  const from = snap?.config ?? source.config;
  const config: Record<string, ConfigValue> = {};
  for (const [k, v] of Object.entries(from)) {
    if (["template", "protection", "parent"].includes(k) || /^unused\d+$/.test(k)) continue;
    if (VOLUME_KEY.test(k) && typeof v === "string" && volumeOf(v)) continue;
    config[k] = /^net\d+$/.test(k)
      ? String(v).replace(/hwaddr=[0-9A-F:]{17}/i, `hwaddr=${newMac()}`)
      : v;
  }
  if (typeof params.hostname === "string") config.hostname = params.hostname;
  if (typeof params.description === "string") config.description = params.description;
  const clone: MockGuest = {
    vmid: newid,
    type: "lxc",
    node: target,
    status: "stopped",
    config,
    lock: "create",
    snapshots: [],
    stats: { cpu: 0, mem: 0, disk: 0, netin: 0, netout: 0, diskread: 0, diskwrite: 0 },
    ...(typeof params.pool === "string" ? { pool: params.pool } : {}),
  };
  mock.state.guests.set(newid, clone);
  if (!template) setLock(source, "disk");
  const volumes = Object.entries(from).filter(
    ([k, v]) => VOLUME_KEY.test(k) && typeof v === "string" && volumeOf(v) !== undefined,
  ) as [string, string][];
  const lines: string[] = [];
  volumes.forEach(([key, value], i) => {
    const volid = volumeOf(value) as string;
    const name = `vm-${newid}-disk-${i}`;
    const size = parseSize(/size=([^,]+)/.exec(value)?.[1] ?? "8G");
    if (!full) {
      lines.push(`create linked clone of mount point ${key} (${volid})`);
      return;
    }
    lines.push(
      `create full clone of mountpoint ${key} (${volid})`,
      `  Logical volume "${name}" created.`,
      `Creating filesystem with ${size / 4096} 4k blocks and ${size / 16384} inodes`,
      "Number of files: 32,911 (reg: 26,193, dir: 2,430, link: 4,257, special: 31)",
      `Total file size: ${Math.round(size * 0.14).toLocaleString("en-US")} bytes`,
    );
  });
  return mock.tasks.start({
    node: nodeName,
    type: "vzclone",
    id: String(id),
    who,
    long: true,
    lines: spread(lines, 0.05, 0.9),
    finish: () => {
      volumes.forEach(([key, value], i) => {
        const volid = volumeOf(value) as string;
        const store = storeid ?? volid.split(":")[0] ?? "local-lvm";
        const name = `vm-${newid}-disk-${i}`;
        const base = full ? "" : `${volid.split(":")[1]}/`;
        clone.config[key] = printPropertyString(
          `${store}:${base}${name}`,
          parsePropertyString(value).pairs,
        );
        const src = mock.state.volumes.find((v) => v.volid === volid);
        mock.state.volumes.push({
          storage: store,
          node: target,
          volid: `${store}:${name}`,
          content: "rootdir",
          format: "raw",
          size: src?.size ?? 8 * 2 ** 30,
          vmid: newid,
        });
      });
      setLock(clone, undefined);
      return undefined;
    },
    cleanup: () => {
      if (source.lock === "disk") setLock(source, undefined);
      if (clone.lock === "create") mock.state.guests.delete(newid);
    },
  }).upid;
}

export const lxcCloneRoutes: Route[] = [
  {
    method: "POST",
    path: "/nodes/{node}/lxc/{vmid}/clone",
    description: "Create a container clone/copy",
    permission: [
      { path: "/vms/{vmid}", privs: ["VM.Clone"] },
      { path: "/vms/{newid}", privs: ["VM.Allocate"] },
    ],
    proxyto: "node",
    parameters: {
      node,
      vmid,
      newid: { ...vmid, description: "VMID for the clone." },
      bwlimit: {
        type: "number",
        optional: true,
        minimum: 0,
        description: "Override I/O bandwidth limit (in KiB/s).",
      },
      description: { type: "string", optional: true, description: "Description for the new CT." },
      full: {
        type: "boolean",
        optional: true,
        description:
          "Create a full copy of all disks. This is always done when you clone a normal CT. For CT templates, we try to create a linked clone by default.",
      },
      hostname: {
        type: "string",
        optional: true,
        format: "dns-name",
        description: "Set a hostname for the new CT.",
      },
      pool: {
        type: "string",
        optional: true,
        format: "pve-poolid",
        description: "Add the new CT to the specified pool.",
      },
      snapname: {
        type: "string",
        optional: true,
        format: "pve-configid",
        maxLength: 40,
        description: "The name of the snapshot.",
      },
      storage: opt({ type: "string", format: "pve-storage-id" }, "Target storage for full clone."),
      target: opt(node, "Target node. Only allowed if the original VM is on shared storage."),
    },
    handler: ({ mock, params, who }) => cloneCt(mock, params, who),
  },
];
