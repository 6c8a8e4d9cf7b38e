// /cluster/replication: storage replication jobs (ZFS volumes of a guest copied to another node).
import type { MockReplicationJob } from "../datacenter.ts";
import { fail, paramError, permissionDenied } from "../errors.ts";
import { sectionDigest } from "../format.ts";
import { splitList } from "../formats/index.ts";
import { hasPriv, type Principal } from "../perms.ts";
import type { MockContext, Route } from "../router.ts";

const jobId = {
  type: "string",
  format: "pve-replication-job-id",
  pattern: "[1-9][0-9]{2,8}-\\d{1,9}",
  description: "Replication Job ID: '<GUEST>-<JOBNUM>'.",
} as const;

const OPTIONS = {
  comment: { type: "string", optional: true, maxLength: 4096, description: "Description." },
  disable: {
    type: "boolean",
    optional: true,
    description: "Flag to disable/deactivate the entry.",
  },
  rate: {
    type: "number",
    optional: true,
    minimum: 1,
    description: "Rate limit in mbps (megabytes per second).",
  },
  remove_job: { type: "string", optional: true, enum: ["local", "full"] },
  schedule: {
    type: "string",
    optional: true,
    maxLength: 128,
    format: "pve-calendar-event",
    default: "*/15",
    description: "Storage replication schedule.",
  },
  source: {
    type: "string",
    optional: true,
    format: "pve-node",
    description: "For internal use, to detect if the guest was stolen.",
  },
} as const;

/** Only the guest's owner may: VM.Replicate on /vms/<guest>. */
function checkReplicate(mock: MockContext, who: Principal, id: string): number {
  const guest = Number(id.split("-")[0]);
  if (!hasPriv(mock.state, who, `/vms/${guest}`, ["VM.Replicate"])) {
    throw permissionDenied(`/vms/${guest}`, ["VM.Replicate"]);
  }
  return guest;
}

function apply(job: MockReplicationJob, params: Record<string, unknown>): void {
  if (typeof params.comment === "string") job.comment = params.comment;
  if (typeof params.disable === "boolean") job.disable = params.disable;
  if (typeof params.rate === "number") job.rate = params.rate;
  if (typeof params.schedule === "string") job.schedule = params.schedule;
  if (params.remove_job === "local" || params.remove_job === "full")
    job.remove_job = params.remove_job;
}

function row(job: MockReplicationJob): Record<string, unknown> {
  const { disable, ...rest } = job;
  return {
    ...rest,
    type: "local",
    jobnum: Number(job.id.split("-")[1]),
    ...(disable ? { disable: 1 } : {}),
  };
}

const digestOf = (mock: MockContext): string => sectionDigest(mock.state.dc.replication);

export const replicationRoutes: Route[] = [
  {
    method: "GET",
    path: "/cluster/replication/{id}",
    description: "Read replication job configuration.",
    permission: "all",
    parameters: { id: jobId },
    handler: ({ mock, params, who }) => {
      const id = String(params.id);
      const job = mock.state.dc.replication.get(id);
      if (!job) throw fail(`no such replication job '${id}'`);
      if (!hasPriv(mock.state, who, `/vms/${job.guest}`, ["VM.Audit"])) {
        throw permissionDenied(`/vms/${job.guest}`, ["VM.Audit"]);
      }
      return { ...row(job), digest: digestOf(mock) };
    },
  },
  {
    method: "GET",
    path: "/cluster/replication",
    description: "List replication jobs.",
    permission: "all",
    parameters: {},
    handler: ({ mock, who }) =>
      [...mock.state.dc.replication.values()]
        .filter((j) => hasPriv(mock.state, who, `/vms/${j.guest}`, ["VM.Audit"]))
        .sort((a, b) => a.id.localeCompare(b.id))
        .map(row),
  },
  {
    method: "POST",
    path: "/cluster/replication",
    description: "Create a new replication job",
    permission: "all",
    parameters: {
      id: jobId,
      target: { type: "string", format: "pve-node", description: "Target node." },
      type: { type: "string", enum: ["local"], description: "Section type." },
      ...OPTIONS,
    },
    handler: ({ mock, params, who }) => {
      const id = String(params.id);
      const guestId = checkReplicate(mock, who, id);
      const guest = mock.state.guests.get(guestId);
      const target = String(params.target);
      if (!guest) throw fail(`Guest '${guestId}' does not exist.`);
      if (!mock.state.nodes.has(target)) throw fail(`Target '${target}' does not exist.`);
      if (typeof params.source === "string" && params.source !== guest.node) {
        throw fail(
          `Source '${params.source}' does not match current node of guest '${guestId}' (${guest.node})`,
        );
      }
      if (target === guest.node) throw fail("Source and target must not be identical");
      // get_replicatable_volumes: every disk must be on a storage that can replicate (ZFS).
      const disks = mock.state.volumes.filter(
        (v) => v.vmid === guestId && (v.content === "images" || v.content === "rootdir"),
      );
      for (const v of disks) {
        if (mock.state.storages.get(v.storage)?.type !== "zfspool") {
          throw fail(`missing replicate feature on volume '${v.volid}'`);
        }
      }
      if (disks.length === 0) throw fail("No replicatable volumes found");
      if (mock.state.dc.replication.has(id)) throw fail(`replication job '${id}' already exists`);
      const job: MockReplicationJob = { id, guest: guestId, target, source: guest.node };
      apply(job, params);
      mock.state.dc.replication.set(id, job);
      return null;
    },
  },
  {
    method: "PUT",
    path: "/cluster/replication/{id}",
    description: "Update replication job configuration.",
    permission: "all",
    parameters: {
      id: jobId,
      ...OPTIONS,
      delete: { type: "string", optional: true, format: "pve-configid-list", maxLength: 4096 },
      digest: { type: "string", optional: true, maxLength: 64 },
    },
    handler: ({ mock, params, who }) => {
      const id = String(params.id);
      checkReplicate(mock, who, id);
      if (typeof params.digest === "string" && params.digest !== digestOf(mock)) {
        throw fail("detected modified configuration - file changed by other user? Try again.");
      }
      const job = mock.state.dc.replication.get(id);
      if (!job) throw fail(`no such job '${id}'`);
      apply(job, params);
      for (const key of splitList(params.delete)) {
        if (key === "target") throw fail(`unable to delete required option '${key}'`);
        if (!(key in OPTIONS)) throw fail(`no such option '${key}'`);
        delete job[key as keyof typeof OPTIONS];
      }
      return null;
    },
  },
  {
    method: "DELETE",
    path: "/cluster/replication/{id}",
    description: "Mark replication job for removal.",
    permission: "all",
    parameters: {
      id: jobId,
      force: {
        type: "boolean",
        optional: true,
        default: 0,
        description: "Will remove the jobconfig entry, but will not cleanup.",
      },
      keep: {
        type: "boolean",
        optional: true,
        default: 0,
        description: "Keep replicated data at target (do not remove).",
      },
    },
    handler: ({ mock, params, who }) => {
      const id = String(params.id);
      checkReplicate(mock, who, id);
      if (params.force) {
        if (params.keep) throw paramError({ keep: "conflicts with parameter 'force'" });
        mock.state.dc.replication.delete(id);
        return null;
      }
      const job = mock.state.dc.replication.get(id);
      if (!job) throw fail(`no such job '${id}'`);
      // The replication runner removes the snapshots (and with 'full' the target's copy), then
      // the job itself, on its next run.
      job.remove_job = params.keep ? "local" : "full";
      return null;
    },
  },
];
