// POST /nodes/{node}/vzdump: backups of the node's guests to a backup storage.
import { runVzdump } from "../backup.ts";
import { paramError, permissionDenied } from "../errors.ts";
import { node, type ParamSpec, type ParamTable } from "../params.ts";
import { hasPriv } from "../perms.ts";
import type { Route } from "../router.ts";

const bool = (description: string, dflt?: number): ParamSpec => ({
  type: "boolean",
  optional: true,
  description,
  ...(dflt !== undefined ? { default: dflt } : {}),
});
const int = (description: string, minimum?: number, dflt?: number): ParamSpec => ({
  type: "integer",
  optional: true,
  description,
  ...(minimum !== undefined ? { minimum } : {}),
  ...(dflt !== undefined ? { default: dflt } : {}),
});
const str = (description: string, extra: Partial<ParamSpec> = {}): ParamSpec => ({
  type: "string",
  optional: true,
  description,
  ...extra,
});

const VZDUMP_PARAMS: ParamTable = {
  node,
  all: bool("Backup all known guest systems on this host.", 0),
  bwlimit: int("Limit I/O bandwidth (in KiB/s).", 0, 0),
  compress: str("Compress dump file.", { enum: ["0", "1", "gzip", "lzo", "zstd"], default: "0" }),
  dumpdir: str("Store resulting files to specified directory."),
  exclude: str("Exclude specified guest systems (assumes --all)", { format: "pve-vmid-list" }),
  "exclude-path": {
    type: "array",
    optional: true,
    description: "Exclude certain files/directories (shell globs).",
  },
  fleecing: str("Options for backup fleecing (VM only).", { format: "backup-fleecing" }),
  ionice: {
    type: "integer",
    optional: true,
    minimum: 0,
    maximum: 8,
    default: 7,
    description: "Set IO priority when using the BFQ scheduler.",
  },
  "job-id": str("The ID of the backup job.", { maxLength: 50, pattern: "\\S+" }),
  lockwait: int("Maximal time to wait for the global lock (minutes).", 0, 180),
  mailnotification: str("Deprecated: use notification targets/matchers instead.", {
    enum: ["always", "failure"],
    default: "always",
  }),
  mailto: str("Deprecated: use notification targets/matchers instead.", {
    format: "email-or-username-list",
  }),
  maxfiles: int("Deprecated: use 'prune-backups' instead.", 1),
  mode: str("Backup mode.", { enum: ["snapshot", "suspend", "stop"], default: "snapshot" }),
  "notes-template": str("Template string for generating notes for the backup(s).", {
    maxLength: 1024,
  }),
  "notification-mode": str("Determine which notification system to use.", {
    enum: ["auto", "legacy-sendmail", "notification-system"],
    default: "auto",
  }),
  "pbs-change-detection-mode": str("PBS mode used to detect file changes.", {
    enum: ["legacy", "data", "metadata"],
  }),
  performance: str("Other performance-related settings.", { format: "backup-performance" }),
  pigz: int("Use pigz instead of gzip when N>0.", undefined, 0),
  pool: str("Backup all known guest systems included in the specified pool."),
  protected: bool("If true, mark backup(s) as protected."),
  "prune-backups": str(
    "Use these retention options instead of those from the storage configuration.",
    { format: "prune-backups" },
  ),
  quiet: bool("Be quiet.", 0),
  remove: bool("Prune older backups according to 'prune-backups'.", 1),
  script: str("Use specified hook script."),
  stdexcludes: bool("Exclude temporary files and logs.", 1),
  stdout: bool("Write tar to stdout, not to a file."),
  stop: bool("Stop running backup jobs on this host.", 0),
  stopwait: int("Maximal time to wait until a guest system is stopped (minutes).", 0, 10),
  storage: str("Store resulting file to this storage.", { format: "pve-storage-id" }),
  tmpdir: str("Store temporary files to specified directory."),
  vmid: str("The ID of the guest system you want to backup.", { format: "pve-vmid-list" }),
  zstd: int("Zstd threads. N=0 uses half of the available cores.", undefined, 1),
};

const ROOT_ONLY = ["tmpdir", "dumpdir", "script", "job-id"];

export const vzdumpRoutes: Route[] = [
  {
    method: "POST",
    path: "/nodes/{node}/vzdump",
    description: "Create backup.",
    permission: "all",
    proxyto: "node",
    parameters: VZDUMP_PARAMS,
    handler: ({ mock, params, who }) => {
      // verify_vzdump_parameters, in PVE's order.
      if (params.all === true && params.vmid !== undefined)
        throw paramError({ all: "option conflicts with option 'vmid'" });
      if (params.exclude !== undefined && params.vmid !== undefined)
        throw paramError({ exclude: "option conflicts with option 'vmid'" });
      if (params.pool !== undefined && params.vmid !== undefined)
        throw paramError({ pool: "option conflicts with option 'vmid'" });
      if (params.all !== true && params.vmid === undefined && params.pool === undefined)
        throw paramError({ vmid: "property is missing" });
      for (const key of ROOT_ONLY) {
        if (params[key] !== undefined && (who.userid !== "root@pam" || who.tokenid))
          throw paramError({ [key]: "Only root may set this option." });
      }
      const ids =
        typeof params.vmid === "string" ? params.vmid.split(/[,;\s]+/).filter(Boolean) : [];
      for (const id of ids) {
        if (!hasPriv(mock.state, who, `/vms/${id}`, ["VM.Backup"]))
          throw permissionDenied(`/vms/${id}`, ["VM.Backup"]);
      }
      const storage = typeof params.storage === "string" ? params.storage : "local";
      if (!hasPriv(mock.state, who, `/storage/${storage}`, ["Datastore.AllocateSpace"]))
        throw permissionDenied(`/storage/${storage}`, ["Datastore.AllocateSpace"]);
      return runVzdump(mock, params, who);
    },
  },
];
