// Packages of a node: pending updates, refreshing the package index, installed Proxmox versions.

import { z } from "zod";
import {
  APT_REFRESH,
  APT_UPDATES,
  APT_VERSIONS,
  CLUSTER_RESOURCES,
  type PackageEntry,
} from "../pve/endpoints/index.ts";
import { segment } from "../pve/index.ts";
import { nodeRequired, wait } from "./args.ts";
import { defineTool, READ, WRITE_IDEMPOTENT } from "./define.ts";
import { nodeTargets, onEach, unreachableField } from "./fanout.ts";
import { page, pageArgs, pageFields } from "./paging.ts";
import { settleTask, TASK_ENDPOINTS, taskFields } from "./task-result.ts";

const update = z.object({
  node: z.string(),
  package: z.string(),
  installed: z.string().optional(),
  available: z.string(),
  origin: z.string().optional(),
  title: z.string().optional(),
});

const toUpdate = (node: string, p: PackageEntry) => ({
  node,
  package: p.Package,
  installed: p.OldVersion,
  available: p.Version,
  origin: p.Origin,
  title: p.Title,
});

export const listAptUpdates = defineTool({
  name: "list_apt_updates",
  title: "List pending package updates",
  toolset: "system",
  description:
    "Package updates available on a node (or on every node that answers), from the last package index refresh (run_apt_update refreshes it): package, installed and available version, origin.",
  input: z.strictObject({
    node: z.string().optional().describe("Only this node (default: every node that answers)"),
    ...pageArgs(100),
  }),
  output: z.object({ updates: z.array(update), ...pageFields, unreachable: unreachableField }),
  annotations: READ,
  endpoints: [CLUSTER_RESOURCES, APT_UPDATES],
  async handler(args, ctx) {
    if (args.node) segment("node", args.node);
    const targets = await nodeTargets(ctx, args.node);
    const { results, unreachable } = await onEach(ctx, targets, (t) =>
      ctx.pve.call(APT_UPDATES, { node: t.node }, { signal: ctx.signal }),
    );
    const updates = results
      .flatMap(({ target, value }) => value.map((p) => toUpdate(target.node, p)))
      .sort((a, b) => a.node.localeCompare(b.node) || a.package.localeCompare(b.package));
    const p = page(updates, args, 100);
    return { data: { updates: p.rows, total: p.total, next_cursor: p.next_cursor, unreachable } };
  },
});

export const runAptUpdate = defineTool({
  name: "run_apt_update",
  title: "Refresh the package index",
  toolset: "system",
  description:
    "Run apt-get update on a node (refreshes the package lists; installs nothing) and wait for the task; then report how many updates are available.",
  input: z.strictObject({ node: nodeRequired, wait }),
  output: z.object({
    node: z.string(),
    updates_available: z.number().optional().describe("after the refresh"),
    ...taskFields,
  }),
  annotations: WRITE_IDEMPOTENT,
  endpoints: [APT_REFRESH, ...TASK_ENDPOINTS, APT_UPDATES],
  async handler({ node, wait: w }, ctx) {
    const upid = await ctx.pve.call(APT_REFRESH, { node }, { signal: ctx.signal });
    const task = await settleTask(ctx, upid, `apt-get update on ${node}`, w);
    const pending =
      task.task_status === "ok"
        ? (await ctx.pve.call(APT_UPDATES, { node }, { signal: ctx.signal })).length
        : undefined;
    return { data: { node, updates_available: pending, ...task } };
  },
});

export const getAptVersions = defineTool({
  name: "get_apt_versions",
  title: "Get Proxmox package versions",
  toolset: "system",
  description:
    "Installed versions of the important Proxmox packages of a node (like pveversion -v), the running kernel, and which ones have a newer version in the package index.",
  input: z.strictObject({ node: nodeRequired }),
  output: z.object({
    node: z.string(),
    manager_version: z.string().optional(),
    running_kernel: z.string().optional(),
    packages: z.array(
      z.object({
        package: z.string(),
        installed: z.string().optional(),
        candidate: z.string().optional().describe("newer version available"),
        state: z.string().optional(),
      }),
    ),
  }),
  annotations: READ,
  endpoints: [APT_VERSIONS],
  async handler({ node }, { pve, signal }) {
    const rows = await pve.call(APT_VERSIONS, { node }, { signal });
    const packages = rows.map((p) => {
      const installed = p.OldVersion ?? (p.CurrentState === "Installed" ? p.Version : undefined);
      return {
        package: p.Package,
        installed,
        candidate: p.Version !== installed ? p.Version : undefined,
        state: p.CurrentState,
      };
    });
    return {
      data: {
        node,
        manager_version: rows.find((p) => p.ManagerVersion)?.ManagerVersion,
        running_kernel: rows.find((p) => p.RunningKernel)?.RunningKernel,
        packages,
      },
      text: [
        `${node}: pve-manager ${rows.find((p) => p.ManagerVersion)?.ManagerVersion ?? "?"}, kernel ${rows.find((p) => p.RunningKernel)?.RunningKernel ?? "?"}`,
        ...packages.map(
          (p) =>
            `${p.package}: ${p.installed ?? "not installed"}${p.candidate ? ` → ${p.candidate}` : ""}`,
        ),
      ].join("\n"),
    };
  },
});

export const aptTools = [listAptUpdates, runAptUpdate, getAptVersions];
