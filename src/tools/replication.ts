// Storage replication: a guest's ZFS volumes copied to another node on a schedule, so HA can
// recover it there with little data loss.

import { z } from "zod";
import {
  REPLICATION_CREATE,
  REPLICATION_DELETE,
  REPLICATION_JOBS,
  REPLICATION_UPDATE,
} from "../pve/endpoints/index.ts";
import { segment } from "../pve/index.ts";
import { DESTRUCTIVE, defineTool, READ, WRITE, WRITE_IDEMPOTENT } from "./define.ts";
import { ToolError } from "./errors.ts";

const jobId = z
  .string()
  .regex(/^[1-9][0-9]{2,8}-\d{1,9}$/, "<vmid>-<job number>, e.g. 100-0")
  .describe("Job id: <vmid>-<job number>, e.g. 100-0");

const options = {
  schedule: z
    .string()
    .max(128)
    .optional()
    .describe("systemd-like calendar event, e.g. */15 (default), */5, mon..fri 22:00"),
  rate: z.number().min(1).optional().describe("Bandwidth limit in MB/s"),
  comment: z.string().max(4096).optional(),
  enable: z.boolean().optional().describe("Enabled (default true)"),
};

export const listReplicationJobs = defineTool({
  name: "list_replication_jobs",
  title: "List replication jobs",
  toolset: "ha",
  description:
    "Storage replication jobs: guest, source and target node, schedule, rate limit, enabled, and whether removal is pending.",
  input: z.strictObject({
    guest: z.number().int().min(100).optional().describe("Only this guest's jobs"),
  }),
  output: z.object({
    jobs: z.array(
      z.object({
        id: z.string(),
        guest: z.number(),
        source: z.string().optional(),
        target: z.string(),
        schedule: z.string().describe("*/15 when not set"),
        rate: z.number().optional(),
        enabled: z.boolean(),
        comment: z.string().optional(),
        removal: z.string().optional().describe("local or full: the job is being removed"),
      }),
    ),
  }),
  annotations: READ,
  endpoints: [REPLICATION_JOBS],
  async handler({ guest }, { pve, signal }) {
    const rows = await pve.call(REPLICATION_JOBS, {}, { signal });
    const jobs = rows
      .filter((j) => guest === undefined || Number(j.guest) === guest)
      .map((j) => ({
        id: j.id,
        guest: Number(j.guest),
        source: j.source,
        target: j.target,
        schedule: j.schedule ?? "*/15",
        rate: j.rate,
        enabled: j.disable !== 1,
        comment: j.comment,
        removal: j.remove_job,
      }))
      .sort((a, b) => a.id.localeCompare(b.id, undefined, { numeric: true }));
    return { data: { jobs } };
  },
});

export const createReplicationJob = defineTool({
  name: "create_replication_job",
  title: "Create a replication job",
  toolset: "ha",
  description:
    "Replicate a guest's disks to another node on a schedule (id <vmid>-<n>, e.g. 100-0). All of the guest's disks must be on ZFS storage.",
  input: z.strictObject({
    id: jobId,
    target: z.string().min(1).describe("Node to replicate to"),
    ...options,
  }),
  output: z.object({
    id: z.string(),
    target: z.string(),
    schedule: z.string(),
    message: z.string(),
  }),
  annotations: WRITE,
  endpoints: [REPLICATION_CREATE],
  async handler(args, { pve, signal }) {
    segment("node", args.target);
    await pve.call(
      REPLICATION_CREATE,
      {
        id: args.id,
        target: args.target,
        type: "local",
        schedule: args.schedule,
        rate: args.rate,
        comment: args.comment,
        disable: args.enable === undefined ? undefined : !args.enable,
      },
      { signal },
    );
    const schedule = args.schedule ?? "*/15";
    return {
      data: {
        id: args.id,
        target: args.target,
        schedule,
        message: `replication ${args.id} to ${args.target} created (${schedule})`,
      },
    };
  },
});

export const updateReplicationJob = defineTool({
  name: "update_replication_job",
  title: "Change a replication job",
  toolset: "ha",
  description: "Change a replication job's schedule, rate limit, comment, or enable/disable it.",
  input: z.strictObject({ id: jobId, ...options }),
  output: z.object({ id: z.string(), changed: z.array(z.string()), message: z.string() }),
  annotations: WRITE_IDEMPOTENT,
  endpoints: [REPLICATION_UPDATE],
  async handler(args, { pve, signal }) {
    const params = {
      schedule: args.schedule,
      rate: args.rate,
      comment: args.comment,
      disable: args.enable === undefined ? undefined : !args.enable,
    };
    const changed = Object.entries(params)
      .filter(([, v]) => v !== undefined)
      .map(([k]) => (k === "disable" ? "enable" : k));
    if (changed.length === 0) {
      throw new ToolError("nothing to change", "Pass schedule, rate, comment or enable.");
    }
    await pve.call(REPLICATION_UPDATE, { id: args.id, ...params }, { signal });
    return {
      data: {
        id: args.id,
        changed,
        message: `replication ${args.id} updated (${changed.join(", ")})`,
      },
    };
  },
});

export const deleteReplicationJob = defineTool({
  name: "delete_replication_job",
  title: "Delete a replication job",
  toolset: "ha",
  description:
    "Remove a replication job: its next run deletes the replication snapshots and, unless keep is true, the replicated copy on the target node; then the job disappears. force drops the job at once without cleanup.",
  input: z.strictObject({
    id: jobId,
    keep: z.boolean().optional().describe("Keep the replicated data on the target"),
    force: z.boolean().optional().describe("Drop the job entry now, without cleaning up"),
  }),
  output: z.object({ id: z.string(), message: z.string() }),
  annotations: DESTRUCTIVE,
  endpoints: [REPLICATION_DELETE],
  async handler({ id, keep, force }, { pve, signal }) {
    if (keep && force) {
      throw new ToolError("keep and force exclude each other", "force skips all cleanup anyway.");
    }
    await pve.call(REPLICATION_DELETE, { id, keep, force }, { signal });
    return {
      data: {
        id,
        message: force
          ? `replication ${id} removed (no cleanup)`
          : `replication ${id} marked for removal; its next run cleans up${keep ? " (target copy kept)" : ""}`,
      },
    };
  },
});

export const replicationTools = [
  listReplicationJobs,
  createReplicationJob,
  updateReplicationJob,
  deleteReplicationJob,
];
