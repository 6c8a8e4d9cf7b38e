// The texts of the prompts. A step names a tool only when this server offers it (its toolsets,
// read-only mode and exclusions decide), so the model is never sent to a tool it cannot call.
// Facts that cost one inventory call (where a guest runs, what a node holds) are filled in.

import { ErrorCode, McpError } from "@modelcontextprotocol/sdk/types.js";
import type { Scope } from "../pve/index.ts";
import { clusterResources, type PveClient, type Resource } from "../pve/index.ts";
import { guestLabel } from "./resource-read.ts";

export interface PromptContext {
  /** Tools this server lets the session call (some after enable_toolset). */
  tools: ReadonlySet<string>;
  /** The toolset of each such tool a session does not list at start. */
  unlisted: ReadonlyMap<string, string>;
  pve: PveClient;
  scope: Scope;
  signal?: AbortSignal;
}

type Builder = (args: Record<string, string>, ctx: PromptContext) => Promise<string>;

export async function promptText(
  name: string,
  args: Record<string, string>,
  ctx: PromptContext,
): Promise<string> {
  const build = BUILDERS[name];
  if (!build) throw new McpError(ErrorCode.InvalidParams, `unknown prompt "${name}"`);
  return build(args, ctx);
}

/** Numbered steps; a step whose tools are all missing is left out (or says its fallback). */
function steps(ctx: PromptContext, list: [string[], (tools: string) => string, string?][]): string {
  const out: string[] = [];
  const toEnable = new Set<string>();
  for (const [names, text, fallback] of list) {
    // What the session lists already, else what enable_toolset would bring.
    const offered = names.filter((n) => ctx.tools.has(n));
    const listed = offered.filter((n) => !ctx.unlisted.has(n));
    const have = listed.length > 0 ? listed : offered;
    for (const n of have) {
      const toolset = ctx.unlisted.get(n);
      if (toolset) toEnable.add(toolset);
    }
    const line =
      have.length > 0 || names.length === 0
        ? text(have.map((n) => `\`${n}\``).join(" / "))
        : fallback;
    if (line) out.push(`${out.length + 1}. ${line}`);
  }
  const enable =
    toEnable.size > 0
      ? `\nSome of these tools are not listed yet: first call \`enable_toolset\` with toolsets ${JSON.stringify([...toEnable])}.`
      : "";
  return `${out.join("\n")}${enable}`;
}

const pct = (used?: number, max?: number): string =>
  used !== undefined && max ? `${Math.round((used / max) * 100)}%` : "?";

async function inventory(ctx: PromptContext, type?: "vm"): Promise<Resource[]> {
  try {
    return await clusterResources(ctx.pve, type, ctx.signal);
  } catch (error) {
    throw new McpError(
      ErrorCode.InternalError,
      `reading the inventory failed: ${(error as Error).message}`,
    );
  }
}

const healthCheck: Builder = async (_args, ctx) =>
  [
    "Check the health of this Proxmox VE cluster. Only read; change nothing. Use these tools:",
    steps(ctx, [
      [
        ["get_cluster_status"],
        (t) => `${t}: quorum must be true and every node online; without quorum all writes fail.`,
      ],
      [
        ["list_nodes"],
        (t) => `${t}: offline nodes; CPU above 0.9, memory or root disk above 90% of the maximum.`,
      ],
      [
        ["list_vms", "list_containers"],
        (t) =>
          `${t}: guests with status unknown (their node is offline), a lock left behind (backup, migrate, snapshot…), HA state other than started.`,
      ],
      [
        ["list_cluster_storage", "list_storage"],
        (t) => `${t}: storage above 85% used, or not active/available on a node.`,
      ],
      [
        ["list_tasks"],
        (t) =>
          `${t} with errors: true: failed tasks of the last day, and tasks running unusually long.`,
      ],
      [["read_task_log"], (t) => `${t} on failed tasks: the TASK ERROR line says why.`],
      [
        ["list_ha_resources", "get_ha_status"],
        (t) => `${t}: HA resources in error, fence or recovery states.`,
      ],
      [["get_node_stats"], (t) => `${t} on a busy node: is the load a peak or a trend?`],
      [
        ["proxmox_api_get"],
        (t) =>
          `${t} for what the tools above do not cover, e.g. /cluster/ceph/status or /cluster/replication (find paths with describe_api).`,
      ],
    ]),
    "Report problems first, worst first: a table of area, status (ok / warning / critical), finding and suggested action.",
  ].join("\n");

const guestStart: Builder = async (args, ctx) => {
  const vmid = Number(args.vmid);
  if (!/^\d+$/.test(args.vmid ?? "") || vmid < 100) {
    throw new McpError(
      ErrorCode.InvalidParams,
      `vmid must be a guest id (100 or more), got ${JSON.stringify(args.vmid)}`,
    );
  }
  // Answers are filtered to the scope: say so before the guest would seem not to exist.
  if (!ctx.scope.allowsVmid(vmid)) {
    throw new McpError(
      ErrorCode.InvalidParams,
      `guest ${vmid} is outside this server's scope (allowed: ${ctx.scope.describe()})`,
    );
  }
  const guests = await inventory(ctx, "vm");
  const g = guests.find((r) => r.vmid === vmid);
  if (!g?.node) {
    const near = guests
      .map((r) => r.vmid ?? 0)
      .sort((a, b) => Math.abs(a - vmid) - Math.abs(b - vmid))
      .slice(0, 5);
    throw new McpError(
      ErrorCode.InvalidParams,
      `no guest ${vmid} in the cluster (nearby: ${near.sort((a, b) => a - b).join(", ")})`,
    );
  }
  if (!ctx.scope.allowsGuest({ ...g, vmid })) {
    throw new McpError(
      ErrorCode.InvalidParams,
      `guest ${vmid} is outside this server's scope (allowed: ${ctx.scope.describe()})`,
    );
  }
  const ct = g.type === "lxc";
  const facts = [
    `status ${g.status ?? "unknown"}`,
    g.lock ? `lock: ${g.lock}` : "no lock",
    g.template ? "a template" : undefined,
    g.hastate ? `HA state ${g.hastate}` : undefined,
  ].filter(Boolean);
  return [
    `${guestLabel(g)} on node ${g.node} does not start (inventory now: ${facts.join(", ")}). Find out why and propose a fix; change nothing before the user agrees.`,
    steps(ctx, [
      [
        ["list_tasks"],
        (t) =>
          `${t} with vmid ${vmid} and errors: true: the last failed ${ct ? "vzstart" : "qmstart"} task.`,
      ],
      [
        ["read_task_log"],
        (t) =>
          `${t} on it: the TASK ERROR line says why, e.g. "${ct ? "CT" : "VM"} is locked (backup)", "storage 'x' does not exist", "unable to find configuration file", "${ct ? "startup for container failed" : "start failed: QEMU exited with code 1"}" (the lines before it tell more), memory that cannot be allocated.`,
      ],
      [
        ["get_vm_config"],
        (t) =>
          `${t} for ${vmid}: a leftover lock, ${ct ? "rootfs and mount points (mpN)" : "disks (scsiN, virtioN, sataN, ideN, efidisk0)"} on storage missing or inactive on ${g.node}, ${ct ? "" : "an ISO in the CD-ROM that no longer exists, PCI/USB passthrough, "}memory above what the node has free, template: 1 (a template cannot start).`,
      ],
      [
        ["get_pending_config"],
        (t) => `${t} for ${vmid}: pending changes that only apply at start.`,
      ],
      [
        ["get_node_status"],
        (t) =>
          `${t} for ${g.node}: node online, free memory against the guest's, root disk not full.`,
      ],
      [
        ["list_storage"],
        (t) => `${t} for ${g.node}: the storages of its disks are active and not full.`,
      ],
    ]),
    `Then explain the cause. A lock left by a task that has ended can be removed (PUT /nodes/${g.node}/${g.type}/${vmid}/config with delete=lock${ctx.tools.has("proxmox_api") ? ", through `proxmox_api`" : ""}); ask first. Start again with \`start_vm\` and follow its task.`,
  ].join("\n");
};

const permissions: Builder = async (_args, ctx) => {
  const who = ctx.pve.auth.identity;
  const kind = ctx.pve.auth.kind === "token" ? "an API token" : "a user with a password (ticket)";
  const access = [...ctx.tools]
    .filter((t) => /^(list|get)_\w*(acl|role|user|permission|group|token)/.test(t))
    .sort();
  return [
    `Find out what the credentials of this server may do in Proxmox VE and what they lack. It authenticates as ${who} (${kind}).`,
    steps(ctx, [
      [
        ["proxmox_api_get"],
        (t) =>
          `${t} on /access/permissions: the effective privileges of these credentials, path by path.`,
      ],
      [access, (t) => `${t}: the ACLs, roles and users behind them.`],
      [
        ["list_vms", "list_nodes"],
        (t) =>
          `${t}: an empty or partial answer is the typical sign of missing audit privileges (list calls drop what may not be seen instead of failing).`,
      ],
    ]),
    "What to look for:",
    "- An API token with privilege separation has only the ACLs granted to the token itself, never more than its user; without its own ACL it sees nothing.",
    "- Privileges per kind of tool: inventory and guest config VM.Audit; power VM.PowerMgmt; snapshots VM.Snapshot (rollback VM.Snapshot.Rollback); config changes VM.Config.*; create, clone, delete VM.Allocate, VM.Clone; migrate VM.Migrate; node status, syslog and others' tasks Sys.Audit / Sys.Syslog on /nodes; storage Datastore.Audit, Datastore.AllocateSpace; users and ACLs User.Modify, Permissions.Modify; the cluster's name Sys.Audit on /.",
    "- An ACL on a parent path reaches children only with propagate set.",
    "- Some calls refuse API tokens whatever their privileges (node shell, /nodes/{node}/execute, joining a cluster).",
    "Report a table: capability (read inventory, power, snapshots, config, create/delete, migrate, storage, access admin), yes/no, and for each no the privilege and path to grant.",
  ].join("\n");
};

const maintenance: Builder = async (args, ctx) => {
  const node = args.node ?? "";
  const rows = await inventory(ctx);
  const nodes = rows.filter((r) => r.type === "node");
  const target = nodes.find((r) => r.node === node);
  if (!target) {
    throw new McpError(
      ErrorCode.InvalidParams,
      `no node ${JSON.stringify(node)} in the cluster (nodes: ${nodes
        .map((n) => n.node)
        .sort()
        .join(", ")})`,
    );
  }
  if (!ctx.scope.allowsNode(node)) {
    throw new McpError(
      ErrorCode.InvalidParams,
      `node ${node} is outside this server's scope (allowed: ${ctx.scope.describe()})`,
    );
  }
  const guests = rows
    .filter((r) => (r.type === "qemu" || r.type === "lxc") && r.node === node)
    .sort((a, b) => (a.vmid ?? 0) - (b.vmid ?? 0))
    .map(
      (g) =>
        `${guestLabel(g)}: ${g.template ? "template" : (g.status ?? "unknown")}${g.hastate ? `, HA ${g.hastate}` : ""}${g.lock ? `, lock ${g.lock}` : ""}`,
    );
  const others = nodes
    .filter((n) => n.node !== node)
    .map(
      (n) =>
        `${n.node} (${n.status === "online" ? `memory ${pct(n.mem, n.maxmem)} used` : n.status})`,
    );
  return [
    `Plan a safe maintenance window for node ${node} (now ${target.status}): move its guests off so it can be rebooted or upgraded, then bring them back. Plan first and show the plan; migrate only after the user agrees.`,
    `On ${node} now: ${guests.length > 0 ? guests.join("; ") : "no guests"}.`,
    `Other nodes: ${others.join(", ") || "none"}.`,
    steps(ctx, [
      [
        ["get_cluster_status"],
        (t) =>
          `${t}: quorum must hold without ${node}; in a two-node cluster taking one down loses quorum unless a QDevice votes.`,
      ],
      [
        ["get_vm_config"],
        (t) =>
          `${t} for each guest: disks on local (not shared) storage need a migration with local disks (slow: copies them) or block a live migration; PCI/USB passthrough and a local ISO in the CD-ROM block it too; containers move by restart (short downtime).`,
      ],
      [
        ["list_nodes", "get_node_status"],
        (t) =>
          `${t} on the target nodes: enough free memory and CPU for what moves there; spread the guests.`,
      ],
      [
        [],
        () =>
          `HA-managed guests move by themselves when ${node} enters maintenance mode (ha-manager crm-command node-maintenance enable ${node}); do not move them by hand against HA.`,
      ],
      [
        ["list_tasks"],
        (t) =>
          `${t} for ${node} with running: true: no backup, replication or migration under way; check backup and replication schedules during the window.`,
      ],
      [
        ["migrate_vm"],
        (t) =>
          `${t}, one guest at a time after approval: running VMs with online: true; stopped guests and templates offline (or leave them). Follow each task${ctx.tools.has("wait_for_task") ? " with `wait_for_task`" : ""}.`,
      ],
      [
        ["list_vms", "list_containers"],
        (t) =>
          `${t} with node ${node} afterwards: it is empty; after the maintenance move the guests back to the placement recorded now.`,
      ],
    ]),
    "Answer with a table (guest, target node, method: online / restart / offline / HA, blockers) and then the ordered steps.",
  ].join("\n");
};

const BUILDERS: Record<string, Builder> = {
  cluster_health_check: healthCheck,
  diagnose_guest_start: guestStart,
  diagnose_permissions: permissions,
  plan_maintenance: maintenance,
};
