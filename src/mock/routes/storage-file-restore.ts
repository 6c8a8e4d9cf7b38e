// Single-file restore from a Proxmox Backup Server snapshot: browsing the archives of a backup
// and the files inside them (paths base64-encoded, as proxmox-file-restore wants them).
import { parseVolname } from "../disks.ts";
import { fail, paramError } from "../errors.ts";
import { node, storage } from "../params.ts";
import type { Route } from "../router.ts";

const b64 = (path: string) => Buffer.from(path).toString("base64");

/** What a guest's backup holds: its archives, with a small file tree inside each. */
const TREE: Record<string, [string, "d" | "f"][]> = {
  "": [
    ["etc", "d"],
    ["home", "d"],
    ["var", "d"],
  ],
  etc: [
    ["hostname", "f"],
    ["hosts", "f"],
    ["os-release", "f"],
  ],
  home: [],
  var: [["log", "d"]],
  "var/log": [["syslog", "f"]],
};

export const storageFileRestoreRoutes: Route[] = [
  {
    method: "GET",
    path: "/nodes/{node}/storage/{storage}/file-restore/list",
    description: "List files and directories for single file restore under the given path.",
    permission: [
      {
        path: "/storage/{storage}",
        privs: ["Datastore.Audit", "Datastore.AllocateSpace"],
        any: true,
      },
    ],
    proxyto: "node",
    parameters: {
      node,
      storage,
      volume: {
        type: "string",
        description: "Backup volume ID or name. Currently only PBS snapshots are supported.",
      },
      filepath: {
        type: "string",
        description: 'base64-path to the directory or file being listed, or "/".',
      },
    },
    handler: ({ mock, params }) => {
      const raw = String(params.volume);
      const volid = raw.includes(":") ? raw : `${params.storage}:${raw}`;
      const { store, vtype } = parseVolname(mock.state, volid);
      if (vtype !== "backup") {
        throw fail(`unable to use volume ${volid} - content type needs to be 'backup'`);
      }
      if (store.type !== "pbs") {
        throw paramError({ storage: "Only PBS storages supported for file-restore." });
      }
      const vol = mock.state.volumes.find((v) => v.volid === volid);
      if (!vol) throw fail(`backup '${volid}' does not exist`);
      const path =
        params.filepath === "/" ? "/" : Buffer.from(String(params.filepath), "base64").toString();
      const isCt = /\/ct\//.test(volid);
      if (path === "/") {
        const archive = isCt ? "root.pxar.didx" : "drive-scsi0.img.fidx";
        return [{ filepath: b64(`/${archive}`), text: archive, type: "v", leaf: 0 }];
      }
      // Inside the archive: `/drive-scsi0.img.fidx/part/1/etc/...` or `/root.pxar.didx/etc/...`.
      const inner = path.replace(/^\/[^/]+(\/part\/\d+)?\/?/, "");
      if (!isCt && /^\/[^/]+\/?$/.test(path)) {
        return [
          { filepath: b64(`${path.replace(/\/$/, "")}/part`), text: "part", type: "d", leaf: 0 },
        ];
      }
      if (!isCt && /\/part\/?$/.test(path)) {
        return [
          {
            filepath: b64(`${path.replace(/\/$/, "")}/1`),
            text: "1",
            type: "d",
            leaf: 0,
            size: 32 * 2 ** 30,
          },
        ];
      }
      const entries = TREE[inner.replace(/\/$/, "")];
      if (!entries) throw fail(`path '${path}' not found`);
      return entries.map(([name, type]) => ({
        filepath: b64(`${path.replace(/\/$/, "")}/${name}`),
        text: name,
        type,
        leaf: type === "f" ? 1 : 0,
        mtime: vol.ctime ?? 0,
        ...(type === "f" ? { size: 214 } : {}),
      }));
    },
  },
];
