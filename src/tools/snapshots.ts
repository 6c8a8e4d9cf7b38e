// Snapshots of VMs and containers: list, take, roll back to, delete.

import { z } from "zod";
import {
  CLUSTER_RESOURCES,
  GUEST_SNAPSHOT_CREATE,
  GUEST_SNAPSHOT_DELETE,
  GUEST_SNAPSHOT_ROLLBACK,
  GUEST_SNAPSHOTS,
} from "../pve/endpoints/index.ts";
import { guestAt } from "../pve/index.ts";
import { wait } from "./args.ts";
import { DESTRUCTIVE, defineTool, READ, WRITE } from "./define.ts";
import { ToolError } from "./errors.ts";
import { guestArgs, guestData, guestFields } from "./guest-common.ts";
import { describeGuest, onGuest } from "./guest-ref.ts";
import { settleTask, TASK_ENDPOINTS, taskFields, taskMessage } from "./task-result.ts";
import { ageOf, iso, isoTime, seconds } from "./units.ts";

const snapname = z
  .string()
  .regex(
    /^[a-zA-Z][a-zA-Z0-9_-]{1,39}$/,
    "a letter, then 1-39 letters, digits, '_' or '-' (e.g. before-upgrade)",
  )
  .describe("Snapshot name, e.g. before-upgrade");

const snapshotRow = z.object({
  name: z.string(),
  description: z.string().optional(),
  time: isoTime().optional(),
  age: seconds().optional(),
  parent: z.string().optional(),
  vmstate: z.boolean().optional().describe("present (true) when RAM state was saved (VMs only)"),
});

export const listSnapshots = defineTool({
  name: "list_snapshots",
  title: "List snapshots",
  toolset: "snapshots",
  description:
    "Snapshots of a VM or container, oldest first, with description, time, parent and whether RAM state was saved; current_parent is the snapshot the current state builds on.",
  input: z.strictObject(guestArgs),
  output: z.object({
    ...guestFields,
    snapshots: z.array(snapshotRow),
    current_parent: z.string().optional().describe("The snapshot the current state builds on"),
  }),
  annotations: READ,
  endpoints: [CLUSTER_RESOURCES, GUEST_SNAPSHOTS],
  async handler(args, ctx) {
    return onGuest(ctx, args, async (guest) => {
      const rows = await ctx.pve.call(GUEST_SNAPSHOTS, guestAt(guest), { signal: ctx.signal });
      const current = rows.find((r) => r.name === "current");
      const snapshots = rows
        .filter((r) => r.name !== "current")
        .sort((a, b) => (a.snaptime ?? 0) - (b.snaptime ?? 0))
        .map((r) => ({
          name: r.name,
          description: r.description?.trim() || undefined,
          time: r.snaptime ? iso(r.snaptime) : undefined,
          age: r.snaptime ? ageOf(r.snaptime) : undefined,
          parent: r.parent,
          vmstate: r.vmstate === 1 ? true : undefined,
        }));
      return { data: { ...guestData(guest), snapshots, current_parent: current?.parent } };
    });
  },
});

const snapshotOutput = z.object({
  ...guestFields,
  snapname: z.string(),
  message: z.string(),
  ...taskFields,
});

export const snapshotVm = defineTool({
  name: "snapshot_vm",
  title: "Take a snapshot",
  toolset: "snapshots",
  description:
    "Take a snapshot of a VM or container (disks and config; with vmstate also a VM's RAM) and wait for it. Needs storage that supports snapshots (LVM-thin, ZFS, Ceph, qcow2).",
  input: z.strictObject({
    ...guestArgs,
    snapname,
    description: z.string().max(8192).optional().describe("What this snapshot is for"),
    vmstate: z
      .boolean()
      .optional()
      .describe("Also save the RAM of a running VM, to return to it running (VMs only)"),
    wait,
  }),
  output: snapshotOutput,
  annotations: WRITE,
  endpoints: [
    CLUSTER_RESOURCES,
    GUEST_SNAPSHOT_CREATE.only("qemu"),
    GUEST_SNAPSHOT_CREATE.only("lxc").sending("snapname", "description"),
    ...TASK_ENDPOINTS,
  ],
  async handler(args, ctx) {
    return onGuest(ctx, args, async (guest) => {
      if (args.vmstate && guest.type === "lxc") {
        throw new ToolError(
          `${describeGuest(guest)} is a container: containers have no RAM state to save`,
          "Call snapshot_vm again without vmstate.",
        );
      }
      const upid = await ctx.pve.call(
        GUEST_SNAPSHOT_CREATE,
        {
          ...guestAt(guest),
          snapname: args.snapname,
          description: args.description,
          vmstate: guest.type === "qemu" ? args.vmstate : undefined,
        },
        { signal: ctx.signal },
      );
      const what = `snapshot '${args.snapname}' of ${describeGuest(guest)}`;
      const task = await settleTask(ctx, upid, what, args.wait);
      const message = taskMessage(task, what, `took ${what}`);
      return { data: { ...guestData(guest), snapname: args.snapname, message, ...task } };
    });
  },
});

export const rollbackVm = defineTool({
  name: "rollback_vm",
  title: "Roll back to a snapshot",
  toolset: "snapshots",
  description:
    "Return a VM or container to a snapshot: every change to disks and config since then is lost. A VM snapshot without RAM state leaves the guest stopped; start: true boots it afterwards.",
  input: z.strictObject({
    ...guestArgs,
    snapname,
    start: z.boolean().optional().describe("Start the guest after the rollback"),
    wait,
  }),
  output: snapshotOutput,
  annotations: DESTRUCTIVE,
  endpoints: [CLUSTER_RESOURCES, GUEST_SNAPSHOT_ROLLBACK, ...TASK_ENDPOINTS],
  async handler(args, ctx) {
    return onGuest(ctx, args, async (guest) => {
      const upid = await ctx.pve.call(
        GUEST_SNAPSHOT_ROLLBACK,
        { ...guestAt(guest), snapname: args.snapname, start: args.start },
        { signal: ctx.signal },
      );
      const what = `rollback of ${describeGuest(guest)} to '${args.snapname}'`;
      const task = await settleTask(ctx, upid, what, args.wait);
      const message = taskMessage(
        task,
        what,
        `${describeGuest(guest)} rolled back to '${args.snapname}'${args.start ? " and started" : ""}`,
      );
      return { data: { ...guestData(guest), snapname: args.snapname, message, ...task } };
    });
  },
});

export const deleteSnapshot = defineTool({
  name: "delete_snapshot",
  title: "Delete a snapshot",
  toolset: "snapshots",
  description:
    "Delete one snapshot of a VM or container (its saved disk state and RAM are freed; the guest's current state is not touched). force also drops it from the config if removing the disk snapshots fails.",
  input: z.strictObject({
    ...guestArgs,
    snapname,
    force: z
      .boolean()
      .optional()
      .describe("Remove it from the config even if deleting the disk snapshots fails"),
    wait,
  }),
  output: snapshotOutput,
  annotations: DESTRUCTIVE,
  endpoints: [CLUSTER_RESOURCES, GUEST_SNAPSHOT_DELETE, ...TASK_ENDPOINTS],
  async handler(args, ctx) {
    return onGuest(ctx, args, async (guest) => {
      const upid = await ctx.pve.call(
        GUEST_SNAPSHOT_DELETE,
        { ...guestAt(guest), snapname: args.snapname, force: args.force },
        { signal: ctx.signal },
      );
      const what = `deletion of snapshot '${args.snapname}' of ${describeGuest(guest)}`;
      const task = await settleTask(ctx, upid, what, args.wait);
      const message = taskMessage(
        task,
        what,
        `deleted snapshot '${args.snapname}' of ${describeGuest(guest)}`,
      );
      return { data: { ...guestData(guest), snapname: args.snapname, message, ...task } };
    });
  },
});

export const snapshotTools = [listSnapshots, snapshotVm, rollbackVm, deleteSnapshot];
