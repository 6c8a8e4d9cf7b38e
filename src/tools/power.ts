// Power actions on VMs and containers. One definition per (action, kind) pair, built from a
// small table so the seed's names (start_vm, stop_container, …) all behave the same way.

import { z } from "zod";
import {
  CLUSTER_RESOURCES,
  GUEST_REBOOT,
  GUEST_SHUTDOWN,
  GUEST_START,
  GUEST_STOP,
} from "../pve/endpoints/index.ts";
import { type GuestRef, guestAt } from "../pve/index.ts";
import { guestType, nodeOptional, vmid, wait } from "./args.ts";
import {
  type Annotations,
  DESTRUCTIVE,
  defineTool,
  type ToolDef,
  WRITE_IDEMPOTENT,
} from "./define.ts";
import { ToolError } from "./errors.ts";
import { describeGuest, expectType, onGuest } from "./guest-ref.ts";
import { settleTask, TASK_ENDPOINTS, taskFields, taskMessage } from "./task-result.ts";

type Action = "start" | "stop" | "shutdown" | "reboot";

const ENDPOINTS = {
  start: GUEST_START,
  stop: GUEST_STOP,
  shutdown: GUEST_SHUTDOWN,
  reboot: GUEST_REBOOT,
} as const;

interface PowerSpec {
  action: Action;
  title: string;
  description: string;
  annotations: Annotations;
  /** Status after which the action has nothing to do. */
  noopWhen?: "running" | "stopped";
  past: string;
}

const SPECS: readonly PowerSpec[] = [
  {
    action: "start",
    title: "Start",
    description: "Power on {kind} and wait for its start task. Does nothing if it already runs.",
    annotations: WRITE_IDEMPOTENT,
    noopWhen: "running",
    past: "started",
  },
  {
    action: "stop",
    title: "Stop (hard)",
    description:
      "Hard power-off of {kind}, like pulling the plug: unsaved data in the guest is lost. Prefer shutdown_{suffix} for a clean stop.",
    annotations: { ...DESTRUCTIVE, idempotentHint: true },
    noopWhen: "stopped",
    past: "stopped",
  },
  {
    action: "shutdown",
    title: "Shut down",
    description:
      "Clean shutdown of {kind} (ACPI or guest agent); with force_stop it is powered off if still up after timeout seconds.",
    annotations: { ...DESTRUCTIVE, idempotentHint: true },
    noopWhen: "stopped",
    past: "shut down",
  },
  {
    action: "reboot",
    title: "Reboot",
    description: "Clean reboot of {kind} (shutdown, then start); it must be running.",
    annotations: DESTRUCTIVE,
    past: "rebooted",
  },
];

const shutdownArgs = {
  timeout: z.number().int().min(1).max(3600).optional().describe("Seconds to wait for the guest"),
  force_stop: z.boolean().optional().describe("Power off if the clean shutdown times out"),
};

function powerTool(spec: PowerSpec, kind: "vm" | "container"): ToolDef {
  const fixed = kind === "container" ? "lxc" : undefined;
  const input = z.strictObject({
    node: nodeOptional,
    vmid,
    ...(fixed ? {} : { type: guestType }),
    ...(spec.action === "shutdown" ? shutdownArgs : {}),
    wait,
  });
  const name = `${spec.action}_${kind}`;
  return defineTool({
    name,
    title: `${spec.title} ${kind === "vm" ? "VM" : "container"}`,
    toolset: kind === "vm" ? "power" : "power_extra",
    description: spec.description
      .replace("{kind}", kind === "vm" ? "a VM or container" : "an LXC container")
      .replace("{suffix}", kind),
    input,
    output: z.object({
      vmid: z.number(),
      node: z.string(),
      type: z.enum(["qemu", "lxc"]),
      action: z.string(),
      message: z.string(),
      ...taskFields,
    }),
    annotations: spec.annotations,
    // Stopping a guest that is already stopped loses nothing: nobody need be asked.
    losesNothing:
      spec.noopWhen === "stopped"
        ? async (args, guests) =>
            (await guests.guests({ fresh: true })).get((args as { vmid: number }).vmid)?.status ===
            "stopped"
        : undefined,
    endpoints: [
      CLUSTER_RESOURCES,
      fixed ? ENDPOINTS[spec.action].only(fixed) : ENDPOINTS[spec.action],
      ...TASK_ENDPOINTS,
    ],
    longRunning: true,
    async handler(args, ctx) {
      const a = args as z.infer<typeof input> & {
        type?: "qemu" | "lxc";
        timeout?: number;
        force_stop?: boolean;
        wait?: boolean;
      };
      return onGuest(ctx, { ...a, type: fixed ?? a.type }, async (guest: GuestRef) => {
        if (fixed) expectType(guest, fixed, name);
        const base = { vmid: guest.vmid, node: guest.node, type: guest.type, action: spec.action };
        if (spec.noopWhen && guest.status === spec.noopWhen) {
          const message = `${describeGuest(guest)} is already ${guest.status}; nothing to do`;
          return { data: { ...base, message, task_status: "ok" as const } };
        }
        if (spec.action === "reboot" && guest.status === "stopped") {
          throw new ToolError(
            `${describeGuest(guest)} is not running`,
            `Start it with start_${kind}.`,
          );
        }
        const params =
          spec.action === "shutdown" ? { timeout: a.timeout, forceStop: a.force_stop } : {};
        const upid = await ctx.pve.call(
          ENDPOINTS[spec.action],
          { ...guestAt(guest), ...params },
          { signal: ctx.signal },
        );
        const what = `${spec.action} of ${describeGuest(guest)}`;
        const task = await settleTask(ctx, upid, what, a.wait);
        const message = taskMessage(task, what, `${describeGuest(guest)} ${spec.past}`);
        return { data: { ...base, message, ...task } };
      });
    },
  });
}

export const powerTools: ToolDef[] = [
  ...SPECS.map((s) => powerTool(s, "vm")),
  ...SPECS.map((s) => powerTool(s, "container")),
];
