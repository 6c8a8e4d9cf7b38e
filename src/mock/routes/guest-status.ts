// POST …/status/{start,stop,shutdown,reboot,reset,suspend,resume} with PVE's success/500 matrix.
import { fail, TaskFailure } from "../errors.ts";
import {
  applyPending,
  configPath,
  lockError,
  markRunning,
  markStopped,
  missingBridge,
  typeWord,
} from "../guests.ts";
import { node, type Params, type ParamTable, skiplock, vmid } from "../params.ts";
import type { Principal } from "../perms.ts";
import type { MockContext, Route } from "../router.ts";
import { type GuestType, isTemplate, type MockGuest } from "../state.ts";

type Action = "start" | "stop" | "shutdown" | "reboot" | "reset" | "suspend" | "resume";

const QEMU_TASK: Record<Action, string> = {
  start: "qmstart",
  stop: "qmstop",
  shutdown: "qmshutdown",
  reboot: "qmreboot",
  reset: "qmreset",
  suspend: "qmsuspend",
  resume: "qmresume",
};
const LXC_TASK: Record<Action, string> = {
  start: "vzstart",
  stop: "vzstop",
  shutdown: "vzshutdown",
  reboot: "vzreboot",
  reset: "vzreset",
  suspend: "vzsuspend",
  resume: "vzresume",
};

const timeout = {
  type: "integer",
  optional: true,
  minimum: 0,
  description: "Wait maximal timeout seconds.",
} as const;

const QEMU_PARAMS: Record<Action, ParamTable> = {
  start: {
    skiplock,
    "force-cpu": {
      type: "string",
      optional: true,
      description: "Override QEMU's -cpu argument with the given string.",
    },
    machine: { type: "string", optional: true, description: "Specify the QEMU machine." },
    migratedfrom: {
      type: "string",
      optional: true,
      format: "pve-node",
      description: "The cluster node name.",
    },
    migration_network: {
      type: "string",
      optional: true,
      description: "CIDR of the (sub) network that is used for migration.",
    },
    migration_type: {
      type: "string",
      optional: true,
      enum: ["secure", "insecure"],
      description: "Migration traffic is encrypted using an SSH tunnel by default.",
    },
    stateuri: {
      type: "string",
      optional: true,
      maxLength: 128,
      description: "Some command save/restore state from this location.",
    },
    targetstorage: {
      type: "string",
      optional: true,
      description: "Mapping from source to target storages.",
    },
    timeout: { ...timeout, description: "Wait maximal timeout seconds." },
    "with-conntrack-state": {
      type: "boolean",
      optional: true,
      default: 0,
      description: "Whether to migrate conntrack entries for running VMs.",
    },
  },
  stop: {
    skiplock,
    keepActive: {
      type: "boolean",
      optional: true,
      default: 0,
      description: "Do not deactivate storage volumes.",
    },
    migratedfrom: {
      type: "string",
      optional: true,
      format: "pve-node",
      description: "The cluster node name.",
    },
    "overrule-shutdown": {
      type: "boolean",
      optional: true,
      default: 0,
      description: "Try to abort active 'qmshutdown' tasks before stopping.",
    },
    timeout,
  },
  shutdown: {
    skiplock,
    forceStop: {
      type: "boolean",
      optional: true,
      default: 0,
      description: "Make sure the VM stops.",
    },
    keepActive: {
      type: "boolean",
      optional: true,
      default: 0,
      description: "Do not deactivate storage volumes.",
    },
    timeout,
  },
  reboot: { timeout },
  reset: { skiplock },
  suspend: {
    skiplock,
    statestorage: {
      type: "string",
      optional: true,
      format: "pve-storage-id",
      description: "The storage for the VM state",
    },
    todisk: {
      type: "boolean",
      optional: true,
      default: 0,
      description: "If set, suspends the VM to disk. Will be resumed on next VM start.",
    },
  },
  resume: {
    skiplock,
    nocheck: { type: "boolean", optional: true, description: "Skip the running check." },
  },
};

const LXC_PARAMS: Partial<Record<Action, ParamTable>> = {
  start: {
    skiplock,
    debug: {
      type: "boolean",
      optional: true,
      default: 0,
      description: "If set, enables very verbose debug log-level on start.",
    },
  },
  stop: {
    skiplock,
    "overrule-shutdown": {
      type: "boolean",
      optional: true,
      default: 0,
      description: "Try to abort active 'vzshutdown' tasks before stopping.",
    },
  },
  shutdown: {
    forceStop: {
      type: "boolean",
      optional: true,
      default: 0,
      description: "Make sure the Container stops.",
    },
    timeout: { ...timeout, default: 60 },
  },
  reboot: { timeout },
  suspend: {},
  resume: {},
};

const DESCRIPTIONS: Record<Action, string> = {
  start: "Start the guest.",
  stop: "Stop the guest. The process will exit immediately; akin to pulling the power plug.",
  shutdown:
    "Shutdown the guest. This is similar to pressing the power button on a physical machine.",
  reboot: "Reboot the guest by shutting it down, and starting it again. Applies pending changes.",
  reset: "Reset virtual machine.",
  suspend: "Suspend the guest.",
  resume: "Resume the guest.",
};

interface Plan {
  type: string;
  error?: string;
  lines?: string[];
  effect?: (g: MockGuest) => void;
}

/** Decides, as PVE does, whether the call fails at once (500) or gives a UPID, and what the task does. */
function plan(
  mock: MockContext,
  kind: GuestType,
  action: Action,
  nodeName: string,
  id: number,
  params: Params,
): Plan {
  const word = typeWord(kind);
  const guest = mock.state.guests.get(id);
  const here = guest && guest.type === kind && guest.node === nodeName ? guest : undefined;
  const running = here?.status === "running";
  const taskType = (kind === "qemu" ? QEMU_TASK : LXC_TASK)[action];
  const missing = `Configuration file '${configPath(kind, nodeName, id)}' does not exist`;
  const locked = here && params.skiplock !== true ? lockError(here) : undefined;

  // Calls that check "running" before forking fail synchronously.
  if (kind === "lxc") {
    if (action === "start") {
      if (!here) throw fail(missing);
      if (running) throw fail(`CT ${id} already running`);
    } else if (!running) throw fail(`CT ${id} not running`);
  } else if (["reboot", "reset", "suspend", "resume"].includes(action)) {
    if (!here) throw fail(`unable to find configuration file for VM ${id} on node '${nodeName}'`);
    if (!running) throw fail(`VM ${id} not running`);
  }
  if (
    kind === "qemu" &&
    action === "shutdown" &&
    here?.qmpstatus === "paused" &&
    params.forceStop !== true
  ) {
    throw fail("VM is paused - cannot shutdown");
  }

  // HA-managed guests are started and stopped by the HA manager.
  if (here?.hastate && (action === "start" || action === "stop" || action === "shutdown")) {
    const starting = action === "start";
    return {
      type: starting ? "hastart" : "hastop",
      lines: [`Requesting HA ${starting ? "start" : "stop"} for ${word} ${id}`],
      effect: (g) => {
        g.hastate = starting ? "started" : "stopped";
        if (starting) markRunning(g);
        else markStopped(g);
      },
    };
  }
  if (!here) return { type: taskType, error: missing };
  if (locked) return { type: taskType, error: locked };
  switch (action) {
    case "start":
      if (isTemplate(here))
        return {
          type: taskType,
          error: `you can't start a ${kind === "qemu" ? "vm" : "CT"} if it's a template`,
        };
      if (running) return { type: taskType, error: `VM ${id} already running` };
      return {
        type: taskType,
        effect: (g) => {
          if (g.status === "running") throw new TaskFailure(`${word} ${id} already running`);
          const bridge = missingBridge(mock.state, g);
          if (bridge) {
            const net = Object.keys(g.config).find((k) => String(g.config[k]).includes(bridge));
            throw new TaskFailure(
              kind === "qemu"
                ? "start failed: QEMU exited with code 1"
                : `startup for container '${id}' failed`,
              kind === "qemu"
                ? [
                    `bridge '${bridge}' does not exist`,
                    `kvm: -netdev type=tap,id=${net},ifname=tap${id}i${net?.slice(3)},script=/usr/libexec/qemu-server/pve-bridge,downscript=/usr/libexec/qemu-server/pve-bridgedown,vhost=on: network script /usr/libexec/qemu-server/pve-bridge failed with status 512`,
                  ]
                : [`bridge '${bridge}' does not exist`],
            );
          }
          markRunning(g);
        },
      };
    case "stop":
    case "shutdown":
      return { type: taskType, effect: markStopped };
    case "reboot":
    case "reset":
      return {
        type: taskType,
        effect: (g) => {
          if (g.status !== "running") throw new TaskFailure(`${word} ${id} not running`);
          // A reboot restarts the guest and so applies pending changes; a reset does not.
          if (action === "reboot") applyPending(g);
          g.startedAt = Date.now();
          if (g.type === "qemu") g.qmpstatus = "running";
        },
      };
    case "suspend":
      return {
        type: taskType,
        effect: (g) => {
          if (g.type === "qemu") g.qmpstatus = "paused";
        },
      };
    case "resume":
      return {
        type: taskType,
        effect: (g) => {
          if (g.type === "qemu") g.qmpstatus = "running";
        },
      };
  }
}

function run(
  mock: MockContext,
  who: Principal,
  target: { node: string; vmid: number; type: GuestType },
  p: Plan,
): string {
  const { node: nodeName, vmid: id } = target;
  const viaHa = p.type === "hastart" || p.type === "hastop";
  return mock.tasks.start({
    node: nodeName,
    type: p.type,
    id: String(id),
    who,
    // vm_start, vm_stop, … run under the config lock; the HA manager's requests do not.
    ...(viaHa ? {} : { lock: { target } }),
    lines: p.lines?.map((text) => ({ at: 0, text })),
    error: p.error,
    finish: () => {
      const g = mock.state.guests.get(id);
      if (!g || g.node !== nodeName) throw new TaskFailure(`guest ${id} vanished`);
      p.effect?.(g);
      return undefined;
    },
  }).upid;
}

export function guestStatusRoutes(kind: GuestType): Route[] {
  const actions: Action[] =
    kind === "qemu"
      ? ["start", "stop", "shutdown", "reboot", "reset", "suspend", "resume"]
      : ["start", "stop", "shutdown", "reboot", "suspend", "resume"];
  return actions.map((action) => ({
    method: "POST",
    path: `/nodes/{node}/${kind}/{vmid}/status/${action}`,
    description: DESCRIPTIONS[action],
    permission: [{ path: "/vms/{vmid}", privs: ["VM.PowerMgmt"] }],
    proxyto: "node",
    parameters: { node, vmid, ...((kind === "qemu" ? QEMU_PARAMS : LXC_PARAMS)[action] ?? {}) },
    handler: ({ mock, params, who }) => {
      const nodeName = String(params.node);
      const id = Number(params.vmid);
      return run(
        mock,
        who,
        { node: nodeName, vmid: id, type: kind },
        plan(mock, kind, action, nodeName, id, params),
      );
    },
  }));
}
