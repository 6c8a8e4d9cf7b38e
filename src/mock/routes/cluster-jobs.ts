// Scheduled jobs of jobs.cfg (backup and realm sync) as the API reads them, the guests no backup
// job covers, when a schedule next runs, and the node's vzdump defaults and archive configs.

import type { Section } from "../datacenter-objects.ts";
import { fail } from "../errors.ts";
import { parseProperty, splitList } from "../formats/index.ts";
import { node, storage } from "../params.ts";
import type { MockContext, Route } from "../router.ts";
import { guestName, isTemplate } from "../state.ts";
import { nextRuns } from "./calendar.ts";

const jobId = { type: "string", maxLength: 50, description: "The job ID." } as const;

/** A backup job as the API answers it: options typed, property strings parsed. */
function backupJob(id: string, job: Section): Record<string, unknown> {
  const out: Record<string, unknown> = { id, type: job.type ?? "vzdump" };
  for (const [key, value] of Object.entries(job)) {
    if (key === "type") continue;
    if (key === "prune-backups") out[key] = parseProperty("prune-backups", String(value));
    else if (key === "fleecing") out[key] = parseProperty("backup-fleecing", String(value));
    else if (key === "performance") out[key] = parseProperty("backup-performance", String(value));
    else out[key] = value;
  }
  if (job.enabled !== 0 && typeof job.schedule === "string") {
    const [next] = nextRuns(job.schedule, Math.floor(Date.now() / 1000), 1);
    if (next !== undefined) out["next-run"] = next;
  }
  return out;
}

function findJob(mock: MockContext, id: string): Section {
  const job = mock.state.dc.objects.backupJobs.get(id);
  if (!job) throw fail(`job '${id}' does not exist`);
  return job;
}

/** The guests a backup job selects (all, a pool, or listed vmids; minus excluded ones). */
function selected(mock: MockContext, job: Section) {
  const exclude = new Set(splitList(job.exclude).map(Number));
  const listed = new Set(splitList(job.vmid).map(Number));
  return [...mock.state.guests.values()].filter((g) => {
    if (exclude.has(g.vmid) || isTemplate(g)) return false;
    if (typeof job.node === "string" && g.node !== job.node) return false;
    if (job.all === 1) return true;
    if (typeof job.pool === "string") return g.pool === job.pool;
    return listed.has(g.vmid);
  });
}

export const clusterJobRoutes: Route[] = [
  {
    method: "GET",
    path: "/cluster/backup",
    description: "List vzdump backup schedule.",
    permission: [{ path: "/", privs: ["Sys.Audit"] }],
    parameters: {},
    handler: ({ mock }) =>
      [...mock.state.dc.objects.backupJobs.entries()].map(([id, job]) => backupJob(id, job)),
  },
  {
    method: "GET",
    path: "/cluster/backup/{id}",
    description: "Read vzdump backup job definition.",
    permission: [{ path: "/", privs: ["Sys.Audit"] }],
    parameters: { id: jobId },
    handler: ({ mock, params }) => backupJob(String(params.id), findJob(mock, String(params.id))),
  },
  {
    method: "GET",
    path: "/cluster/backup/{id}/included_volumes",
    description: "Returns included guests and the backup status of their disks.",
    permission: [{ path: "/", privs: ["Sys.Audit"] }],
    parameters: { id: jobId },
    handler: ({ mock, params }) => {
      const job = findJob(mock, String(params.id));
      return {
        children: selected(mock, job).map((g) => ({
          id: g.vmid,
          name: guestName(g),
          type: g.type,
          children: Object.entries(g.config)
            .filter(
              ([k, v]) =>
                /^(scsi|virtio|sata|ide|efidisk|tpmstate)\d+$|^rootfs$|^mp\d+$/.test(k) &&
                !String(v).includes("media=cdrom"),
            )
            .map(([k, v]) => ({
              id: k,
              name: String(v).split(",")[0],
              included: /(^|,)backup=0(,|$)/.test(String(v)) ? 0 : 1,
              reason: /(^|,)backup=0(,|$)/.test(String(v)) ? "disabled" : "enabled",
            })),
        })),
      };
    },
  },
  {
    method: "GET",
    path: "/cluster/backup-info/not-backed-up",
    description: "Shows all guests which are not covered by any backup job.",
    permission: [{ path: "/", privs: ["Sys.Audit"] }],
    parameters: {},
    handler: ({ mock }) => {
      const covered = new Set<number>();
      for (const job of mock.state.dc.objects.backupJobs.values()) {
        for (const g of selected(mock, job)) covered.add(g.vmid);
      }
      return [...mock.state.guests.values()]
        .filter((g) => !covered.has(g.vmid) && !isTemplate(g))
        .map((g) => ({ vmid: g.vmid, type: g.type, name: guestName(g) }));
    },
  },
  {
    method: "GET",
    path: "/cluster/jobs/realm-sync",
    description: "List configured realm-sync-jobs.",
    permission: "all",
    parameters: {},
    handler: ({ mock }) =>
      [...mock.state.dc.objects.realmSyncJobs.entries()].map(([id, job]) => {
        const { type: _type, ...rest } = job;
        const [next] = nextRuns(String(job.schedule), Math.floor(Date.now() / 1000), 1);
        return { id, ...rest, ...(next !== undefined ? { "next-run": next } : {}) };
      }),
  },
  {
    method: "GET",
    path: "/cluster/jobs/realm-sync/{id}",
    description: "Read realm-sync job definition.",
    permission: [{ path: "/", privs: ["Sys.Audit"] }],
    parameters: { id: { ...jobId, pattern: "[A-Za-z][A-Za-z0-9\\-_]+" } },
    handler: ({ mock, params }) => {
      const job = mock.state.dc.objects.realmSyncJobs.get(String(params.id));
      if (!job) throw fail(`job '${params.id}' does not exist`);
      return { id: params.id, ...job };
    },
  },
  {
    method: "GET",
    path: "/cluster/jobs/schedule-analyze",
    description: "Returns a list of future schedule runtimes.",
    permission: "all",
    parameters: {
      schedule: {
        type: "string",
        format: "pve-calendar-event",
        maxLength: 128,
        description: "Job schedule. The format is a subset of `systemd` calendar events.",
      },
      iterations: {
        type: "integer",
        optional: true,
        minimum: 1,
        maximum: 100,
        default: 10,
        description: "Number of event-iteration to simulate and return.",
      },
      starttime: {
        type: "integer",
        optional: true,
        description: "UNIX timestamp to start the calculation from.",
      },
    },
    handler: ({ params }) => {
      const start =
        typeof params.starttime === "number" ? params.starttime : Math.floor(Date.now() / 1000);
      const count = typeof params.iterations === "number" ? params.iterations : 10;
      return nextRuns(String(params.schedule), start, count).map((t) => ({
        timestamp: t,
        utc: new Date(t * 1000).toISOString().replace("T", " ").slice(0, 19),
      }));
    },
  },
  {
    method: "GET",
    path: "/nodes/{node}/vzdump/defaults",
    description: "Get the currently configured vzdump defaults.",
    permission: "all",
    proxyto: "node",
    parameters: { node, storage: { ...storage, optional: true } },
    handler: ({ mock, params }) => {
      const store =
        typeof params.storage === "string" ? mock.state.storages.get(params.storage) : undefined;
      if (typeof params.storage === "string" && !store) {
        throw fail(`storage '${params.storage}' does not exist`);
      }
      // vzdump.conf of a fresh node is all comments: the built-in defaults answer.
      return {
        mode: "snapshot",
        compress: "zstd",
        ionice: 7,
        lockwait: 180,
        stopwait: 10,
        storage: store?.storage ?? "local",
        ...(store?.options?.["prune-backups"]
          ? { "prune-backups": String(store.options["prune-backups"]) }
          : {}),
      };
    },
  },
  {
    method: "GET",
    path: "/nodes/{node}/vzdump/extractconfig",
    description: "Extract configuration from vzdump backup archive.",
    permission: "all",
    proxyto: "node",
    parameters: {
      node,
      volume: { type: "string", description: "Volume identifier" },
    },
    handler: ({ mock, params }) => {
      const vol = mock.state.volumes.find(
        (v) => v.volid === params.volume && v.content === "backup",
      );
      if (!vol) throw fail(`volume '${params.volume}' does not exist`);
      const config = vol.backupOf?.config ?? {};
      return `${Object.entries(config)
        .map(([k, v]) => `${k}: ${v}`)
        .join("\n")}\n`;
    },
  },
];
