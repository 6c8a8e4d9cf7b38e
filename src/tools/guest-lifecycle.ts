// Guest lifecycle beyond power: delete, migrate, reset, suspend and resume.

import { z } from "zod";
import {
  CLUSTER_RESOURCES,
  GUEST_CONFIG,
  GUEST_DELETE,
  GUEST_RESUME,
  GUEST_START,
  GUEST_STATUS,
  GUEST_STOP,
  GUEST_SUSPEND,
  LXC_MIGRATE,
  QEMU_MIGRATE,
  QEMU_RESET,
} from "../pve/endpoints/index.ts";
import { type GuestRef, guestAt, PveError } from "../pve/index.ts";
import { guestType, nodeOptional, vmid, wait } from "./args.ts";
import {
  DESTRUCTIVE,
  defineTool,
  type ToolContext,
  type ToolDef,
  WRITE,
  WRITE_IDEMPOTENT,
} from "./define.ts";
import { ToolError } from "./errors.ts";
import { guestArgs, guestData, guestFields, liveStatus, readConfig } from "./guest-common.ts";
import { describeGuest, expectType, onGuest } from "./guest-ref.ts";
import { settleTask, TASK_ENDPOINTS, taskFields, taskMessage } from "./task-result.ts";

const actionOutput = z.object({ ...guestFields, message: z.string(), ...taskFields });

/** Turns PVE's "not running" refusals into what to do instead. */
function notRunningHint(error: unknown, guest: GuestRef): never {
  if (error instanceof PveError && /not running/.test(error.reason)) {
    throw new ToolError(
      `${describeGuest(guest)} is not running (${error.reason})`,
      "Start it with start_vm.",
    );
  }
  throw error;
}

function deleteTool(kind: "vm" | "container"): ToolDef {
  const type = kind === "vm" ? "qemu" : "lxc";
  const word = kind === "vm" ? "VM" : "container";
  return defineTool({
    name: `delete_${kind}`,
    title: `Delete ${word}`,
    toolset: "lifecycle",
    description: `Destroy a ${word} and all its disks (backups stay). Refused for a protected ${word}; a running one is refused unless stop is true, then it is hard-stopped first and deleted. Also purges it from backup/replication jobs and HA (purge, default true).`,
    input: z.strictObject({
      node: nodeOptional,
      vmid,
      stop: z
        .boolean()
        .optional()
        .describe(
          `Hard-stop the ${word} first if it runs (otherwise a running ${word} is refused)`,
        ),
      purge: z
        .boolean()
        .optional()
        .describe("Remove the id from backup jobs, replication and HA too (default true)"),
      destroy_unreferenced_disks: z
        .boolean()
        .optional()
        .describe("Also destroy disks of this id not referenced in its config (default true)"),
      wait,
    }),
    output: actionOutput.extend({ stopped_first: z.boolean() }),
    annotations: DESTRUCTIVE,
    endpoints: [
      CLUSTER_RESOURCES,
      GUEST_CONFIG.only(type),
      GUEST_STATUS.only(type),
      ...(type === "qemu" ? [GUEST_STOP.only("qemu")] : []),
      // pct destroy stops a running container itself with force; VMs are stopped first.
      type === "lxc"
        ? GUEST_DELETE.only("lxc")
        : GUEST_DELETE.only("qemu").sending("purge", "destroy-unreferenced-disks"),
      ...TASK_ENDPOINTS,
    ],
    async handler(args, ctx) {
      return onGuest(ctx, { ...args, type }, async (guest) => {
        expectType(guest, type, `delete_${kind}`);
        // Read the config before anything is sent: protection refuses the delete anyway.
        const config = await readConfig(ctx, guest, true);
        if (Number(config.protection ?? 0) === 1) {
          throw new ToolError(
            `${describeGuest(guest)} is protected (protection=1): Proxmox refuses to delete it; nothing was done`,
            `If it really must go, turn protection off first (Options → Protection, or set protection=0 in its config), then call delete_${kind} again.`,
          );
        }
        const status = await liveStatus(ctx, guest);
        let stoppedFirst = false;
        if (status.status === "running") {
          if (!args.stop) {
            throw new ToolError(
              `${describeGuest(guest)} is running; deleting it needs it stopped. Nothing was done`,
              `Shut it down cleanly (shutdown_vm) and call again, or pass stop: true to hard-stop it and delete it in one call.`,
            );
          }
          if (type === "qemu") {
            const upid = await ctx.pve.call(GUEST_STOP, guestAt(guest), { signal: ctx.signal });
            const stopped = await settleTask(ctx, upid, `stop of ${describeGuest(guest)}`);
            if (stopped.task_status !== "ok") {
              return {
                data: {
                  ...guestData(guest),
                  stopped_first: false,
                  message: `stop of ${describeGuest(guest)} is still running; it was not deleted yet: call again when it has stopped`,
                  ...stopped,
                },
              };
            }
          }
          stoppedFirst = true;
        }
        let upid: unknown;
        try {
          upid = await ctx.pve.call(
            GUEST_DELETE,
            {
              ...guestAt(guest),
              purge: args.purge ?? true,
              "destroy-unreferenced-disks": args.destroy_unreferenced_disks ?? true,
              // pct destroy stops a running container itself with force.
              ...(type === "lxc" && stoppedFirst ? { force: true } : {}),
            },
            { signal: ctx.signal },
          );
        } catch (error) {
          if (error instanceof PveError && /purge parameter not set/.test(error.reason)) {
            throw new ToolError(
              `${describeGuest(guest)} is managed by HA: ${error.reason}`,
              "Call again with purge: true to remove it from HA as well.",
            );
          }
          throw error;
        }
        const what = `deletion of ${describeGuest(guest)}`;
        const task = await settleTask(ctx, upid, what, args.wait);
        const message = taskMessage(
          task,
          what,
          `${stoppedFirst ? "stopped and deleted" : "deleted"} ${describeGuest(guest)}`,
          `${what} is still running${stoppedFirst ? " (it was stopped first)" : ""}`,
        );
        return { data: { ...guestData(guest), stopped_first: stoppedFirst, message, ...task } };
      });
    },
  });
}

export const migrateVm = defineTool({
  name: "migrate_vm",
  title: "Migrate a VM or container",
  toolset: "lifecycle",
  description:
    "Move a VM or container to another node and wait. A running VM needs online: true (live migration); a running container is restarted on the target (online: true allows that restart). with_local_disks copies local disks of a VM along.",
  input: z.strictObject({
    ...guestArgs,
    target_node: z.string().min(1).max(63).describe("Node to move the guest to"),
    online: z
      .boolean()
      .optional()
      .describe("Running VM: live migration; running container: restart migration"),
    with_local_disks: z
      .boolean()
      .optional()
      .describe("VMs: copy disks on local storage to the target as well"),
    target_storage: z
      .string()
      .max(255)
      .optional()
      .describe("Storage on the target node for local disks (or a source:target map)"),
    wait,
  }),
  output: actionOutput.extend({ from_node: z.string() }),
  annotations: WRITE,
  endpoints: [CLUSTER_RESOURCES, GUEST_STATUS, QEMU_MIGRATE, LXC_MIGRATE, ...TASK_ENDPOINTS],
  async handler(args, ctx) {
    return onGuest(ctx, args, async (guest) => {
      if (guest.node === args.target_node) {
        throw new ToolError(`${describeGuest(guest)} is already on ${args.target_node}`);
      }
      const running = (await liveStatus(ctx, guest)).status === "running";
      if (running && !args.online) {
        throw new ToolError(
          `${describeGuest(guest)} is running: ${guest.type === "qemu" ? "it can only be moved live" : "it must be stopped, moved and started again"}. Nothing was done`,
          `Pass online: true (${guest.type === "qemu" ? "live migration" : "restart migration: a short downtime"}), or stop it first.`,
        );
      }
      const to = { ...guestAt(guest), target: args.target_node };
      const options = { signal: ctx.signal };
      const upid =
        guest.type === "qemu"
          ? await ctx.pve.call(
              QEMU_MIGRATE,
              {
                ...to,
                online: running ? true : undefined,
                "with-local-disks": args.with_local_disks,
                targetstorage: args.target_storage,
              },
              options,
            )
          : await ctx.pve.call(
              LXC_MIGRATE,
              { ...to, restart: running ? true : undefined, "target-storage": args.target_storage },
              options,
            );
      const what = `migration of ${describeGuest(guest)} to ${args.target_node}`;
      const task = await settleTask(ctx, upid, what, args.wait);
      const how = running ? (guest.type === "qemu" ? " (live)" : " (restarted there)") : "";
      const message = taskMessage(
        task,
        what,
        `moved ${describeGuest(guest)} to ${args.target_node}${how}`,
      );
      return {
        data: {
          ...guestData(guest),
          node: task.task_status === "ok" ? args.target_node : guest.node,
          from_node: guest.node,
          message,
          ...task,
        },
      };
    });
  },
});

/** The seed's reset tools take the id as a string (vm_id / container_id); vmid works too. */
const stringId = (what: string) =>
  z
    .string()
    .regex(/^[1-9][0-9]{2,8}$/, "a guest id such as 100")
    .optional()
    .describe(`${what} id as a string (seed name); same as vmid`);

function idFrom(args: { vmid?: number; vm_id?: string; container_id?: string }): number {
  const id = args.vmid ?? Number(args.vm_id ?? args.container_id);
  if (!Number.isInteger(id)) {
    throw new ToolError("which guest? pass vmid (or the seed's vm_id / container_id)");
  }
  return id;
}

export const resetVm = defineTool({
  name: "reset_vm",
  title: "Reset VM (hard)",
  toolset: "power_extra",
  description:
    "Hard reset of a running VM, like pressing the reset button: the guest OS gets no chance to shut down, unsaved data is lost. Prefer reboot_vm for a clean restart.",
  input: z.strictObject({
    vmid: vmid.optional(),
    vm_id: stringId("VM"),
    node: nodeOptional,
    wait,
  }),
  output: actionOutput,
  annotations: DESTRUCTIVE,
  endpoints: [CLUSTER_RESOURCES, QEMU_RESET, ...TASK_ENDPOINTS],
  async handler(args, ctx) {
    return onGuest(ctx, { vmid: idFrom(args), node: args.node, type: "qemu" }, async (guest) => {
      expectType(guest, "qemu", "reset_vm");
      const upid = await ctx.pve
        .call(QEMU_RESET, guestAt(guest), { signal: ctx.signal })
        .catch((e) => notRunningHint(e, guest));
      const what = `reset of ${describeGuest(guest)}`;
      const task = await settleTask(ctx, upid, what, args.wait);
      const message = taskMessage(task, what, `${describeGuest(guest)} was reset`);
      return { data: { ...guestData(guest), message, ...task } };
    });
  },
});

async function hardRestartContainer(
  ctx: ToolContext<typeof GUEST_STOP | typeof GUEST_START | (typeof TASK_ENDPOINTS)[number]>,
  guest: GuestRef,
) {
  const stop = await ctx.pve
    .call(GUEST_STOP, guestAt(guest), { signal: ctx.signal })
    .catch((e) => notRunningHint(e, guest));
  const stopped = await settleTask(ctx, stop, `stop of ${describeGuest(guest)}`);
  if (stopped.task_status !== "ok") return { stage: "stop", task: stopped };
  const start = await ctx.pve.call(GUEST_START, guestAt(guest), { signal: ctx.signal });
  return { stage: "start", task: await settleTask(ctx, start, `start of ${describeGuest(guest)}`) };
}

export const resetContainer = defineTool({
  name: "reset_container",
  title: "Reset container (hard)",
  toolset: "power_extra",
  description:
    "Hard restart of a running container: it is stopped at once (no clean shutdown, unsaved data is lost) and started again. LXC has no reset of its own; prefer reboot_container for a clean restart.",
  input: z.strictObject({
    vmid: vmid.optional(),
    container_id: stringId("Container"),
    node: nodeOptional,
  }),
  output: actionOutput,
  annotations: DESTRUCTIVE,
  endpoints: [
    CLUSTER_RESOURCES,
    GUEST_STOP.only("lxc"),
    GUEST_START.only("lxc"),
    ...TASK_ENDPOINTS,
  ],
  async handler(args, ctx) {
    const id = idFrom(args);
    return onGuest(ctx, { vmid: id, node: args.node, type: "lxc" }, async (guest) => {
      expectType(guest, "lxc", "reset_container");
      const { stage, task } = await hardRestartContainer(ctx, guest);
      const message = taskMessage(
        task,
        `${stage} of ${describeGuest(guest)}`,
        `${describeGuest(guest)} was stopped and started again`,
      );
      return { data: { ...guestData(guest), message, ...task } };
    });
  },
});

const PAUSE = { suspend: GUEST_SUSPEND, resume: GUEST_RESUME } as const;

function pauseTool(action: "suspend" | "resume"): ToolDef {
  const suspend = action === "suspend";
  return defineTool({
    name: `${action}_vm`,
    title: suspend ? "Pause a VM" : "Resume a paused VM",
    toolset: "power_extra",
    description: suspend
      ? "Pause a running VM: its CPUs stop, RAM stays in memory; nothing is lost. resume_vm continues it."
      : "Continue a VM paused by suspend_vm (or by a backup in suspend mode).",
    input: z.strictObject({ node: nodeOptional, vmid, type: guestType, wait }),
    output: actionOutput.extend({ qmpstatus: z.string().optional() }),
    // A paused VM serves nothing until resumed: pausing takes it down.
    annotations: suspend ? { ...DESTRUCTIVE, idempotentHint: true } : WRITE_IDEMPOTENT,
    endpoints: [CLUSTER_RESOURCES, GUEST_STATUS, PAUSE[action], ...TASK_ENDPOINTS],
    async handler(args, ctx) {
      return onGuest(ctx, args, async (guest) => {
        const before = await liveStatus(ctx, guest);
        if (before.status !== "running") {
          throw new ToolError(
            `${describeGuest(guest)} is not running`,
            suspend ? "Only a running guest can be paused." : "Start it with start_vm.",
          );
        }
        const paused = before.qmpstatus === "paused" || before.qmpstatus === "suspended";
        if (guest.type === "qemu" && paused === suspend) {
          return {
            data: {
              ...guestData(guest),
              qmpstatus: before.qmpstatus,
              message: `${describeGuest(guest)} is already ${suspend ? "paused" : "running"}; nothing to do`,
              task_status: "ok" as const,
            },
          };
        }
        const upid = await ctx.pve
          .call(PAUSE[action], guestAt(guest), { signal: ctx.signal })
          .catch((e) => notRunningHint(e, guest));
        const what = `${action} of ${describeGuest(guest)}`;
        const task = await settleTask(ctx, upid, what, args.wait);
        const after = task.task_status === "ok" ? await liveStatus(ctx, guest) : before;
        const message = taskMessage(
          task,
          what,
          `${describeGuest(guest)} ${suspend ? "paused" : "resumed"}`,
        );
        return { data: { ...guestData(guest), qmpstatus: after.qmpstatus, message, ...task } };
      });
    },
  });
}

export const lifecycleTools: ToolDef[] = [
  deleteTool("vm"),
  deleteTool("container"),
  migrateVm,
  resetVm,
  resetContainer,
  pauseTool("suspend"),
  pauseTool("resume"),
];
