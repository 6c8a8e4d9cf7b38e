// The Proxmox services of a node (pveproxy, corosync, pve-ha-lrm…): their state, and starting,
// stopping, restarting or reloading one.

import { z } from "zod";
import { CLUSTER_RESOURCES, NODE_SERVICES, SERVICE_ACTIONS } from "../pve/endpoints/index.ts";
import { segment } from "../pve/index.ts";
import { wait } from "./args.ts";
import { DESTRUCTIVE, defineTool, READ } from "./define.ts";
import { ToolError } from "./errors.ts";
import { nodeTargets, onEach, unreachableField } from "./fanout.ts";
import { page, pageArgs, pageFields } from "./paging.ts";
import { settleTask, TASK_ENDPOINTS, taskFields, taskMessage } from "./task-result.ts";

/** The services PVE lets the API manage. */
const SERVICES = [
  "chrony",
  "corosync",
  "cron",
  "ksmtuned",
  "lxcfs",
  "postfix",
  "proxmox-firewall",
  "pve-cluster",
  "pve-firewall",
  "pve-ha-crm",
  "pve-ha-lrm",
  "pve-lxc-syscalld",
  "pvedaemon",
  "pvefw-logger",
  "pveproxy",
  "pvescheduler",
  "pvestatd",
  "qmeventd",
  "spiceproxy",
  "sshd",
  "syslog",
  "systemd-journald",
  "systemd-timesyncd",
] as const;

/** Stopping these would cut off the API itself; PVE refuses, and so do we, earlier. */
const ESSENTIAL = new Set(["pveproxy", "pvedaemon", "pve-cluster"]);

export const listServices = defineTool({
  name: "list_services",
  title: "List node services",
  toolset: "system",
  description:
    "The Proxmox-relevant systemd services of a node (or of every node that answers) with their state: running/dead, active/inactive/failed, enabled/disabled. Paged.",
  input: z.strictObject({
    node: z.string().optional().describe("Only this node (default: every node that answers)"),
    problems_only: z
      .boolean()
      .optional()
      .describe("Only services that are failed, or enabled but not running"),
    ...pageArgs(100),
  }),
  output: z.object({
    services: z.array(
      z.object({
        node: z.string(),
        service: z.string(),
        desc: z.string().optional(),
        state: z.string().describe("systemd SubState: running, dead, exited, failed…"),
        active_state: z.string().describe("active, inactive, failed…"),
        unit_state: z.string().describe("enabled, disabled, masked, not-found…"),
      }),
    ),
    ...pageFields,
    unreachable: unreachableField,
  }),
  annotations: READ,
  endpoints: [CLUSTER_RESOURCES, NODE_SERVICES],
  async handler(args, ctx) {
    if (args.node) segment("node", args.node);
    const targets = await nodeTargets(ctx, args.node);
    const { results, unreachable } = await onEach(ctx, targets, (t) =>
      ctx.pve.call(NODE_SERVICES, { node: t.node }, { signal: ctx.signal }),
    );
    const services = results
      .flatMap(({ target, value }) =>
        value.map((s) => ({
          node: target.node,
          service: s.service,
          desc: s.desc,
          state: s.state ?? "unknown",
          active_state: s["active-state"] ?? "unknown",
          unit_state: s["unit-state"] ?? "unknown",
        })),
      )
      .filter(
        (s) =>
          !args.problems_only ||
          s.active_state === "failed" ||
          (s.unit_state === "enabled" && s.active_state !== "active"),
      )
      .sort((a, b) => a.node.localeCompare(b.node) || a.service.localeCompare(b.service));
    const p = page(services, args, 100);
    return { data: { services: p.rows, total: p.total, next_cursor: p.next_cursor, unreachable } };
  },
});

export const manageService = defineTool({
  name: "manage_service",
  title: "Start, stop, restart or reload a service",
  toolset: "system",
  description:
    "Start, stop, restart or reload (falls back to restart) one Proxmox service on a node and wait for it. Stopping corosync or pve-ha-lrm affects the cluster; pveproxy, pvedaemon and pve-cluster cannot be stopped (restart them instead).",
  input: z.strictObject({
    node: z.string().min(1).describe("Node name, e.g. pve1"),
    service: z.enum(SERVICES),
    action: z.enum(["start", "stop", "restart", "reload"]),
    wait,
  }),
  output: z.object({
    node: z.string(),
    service: z.string(),
    action: z.string(),
    message: z.string(),
    ...taskFields,
  }),
  annotations: DESTRUCTIVE,
  endpoints: [...Object.values(SERVICE_ACTIONS), ...TASK_ENDPOINTS],
  async handler(args, ctx) {
    if (args.action === "stop" && ESSENTIAL.has(args.service)) {
      throw new ToolError(
        `${args.service} cannot be stopped through the API: it serves the API itself`,
        `Use action restart to restart ${args.service}.`,
      );
    }
    const upid = await ctx.pve.call(
      SERVICE_ACTIONS[args.action],
      { node: args.node, service: args.service },
      { signal: ctx.signal },
    );
    const what = `${args.action} of ${args.service} on ${args.node}`;
    const task = await settleTask(ctx, upid, what, args.wait);
    const done = { start: "started", stop: "stopped", restart: "restarted", reload: "reloaded" }[
      args.action
    ];
    return {
      data: {
        node: args.node,
        service: args.service,
        action: args.action,
        message: taskMessage(task, what, `${args.service} ${done} on ${args.node}`),
        ...task,
      },
    };
  },
});

export const serviceTools = [listServices, manageService];
