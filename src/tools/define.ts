// A tool is data: one declarative value holds its name, toolset, texts, zod input and output,
// annotations and handler. tools/list, filters, docs and tests all derive from these values.

import { z } from "zod";
import type { PveClient } from "../pve/index.ts";
import type { Progress } from "../pve/tasks.ts";

export const TOOLSETS = {
  discovery: "Lazy mode: list and enable toolsets",
  nodes: "Nodes: status, stats, version",
  cluster: "Cluster: status, inventory, log",
  guests:
    "VMs and containers: list, create, clone, delete, migrate, power, config, disks, NICs, devices, tags, stats",
  tasks: "Async tasks (UPIDs): status, logs, waiting",
  snapshots: "Guest snapshots: list, take, roll back, delete",
  backup: "Backups (vzdump): list, create, restore",
  agent: "QEMU guest agent: ping, run commands, read and write files, OS info",
  console:
    "Consoles: type into a guest's serial console or a node shell and read the output; console URLs for a browser",
  storage: "Storage: definitions, content, ISOs, templates, downloads, pruning",
  network: "Node network interfaces",
  firewall: "Firewall rules: cluster, node and guest level",
  ha: "High availability and replication: resources, groups/rules, status, jobs",
  access: "Users, roles, ACLs and the effective permissions of the credentials",
  pools: "Resource pools: members and comments",
  system: "Node system: services, apt updates, subscription, cluster setup",
  api: "Any API path, checked against the cluster's own API schema (opt-in)",
} as const;

export type Toolset = keyof typeof TOOLSETS;

export interface Annotations {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint?: boolean;
}

/** What this server may touch (--allowed-nodes/-vmids/-pools/-tags); all when unset. */
export interface Scope {
  /** Pools or tags are restricted: deciding about a guest needs its inventory row. */
  readonly needsGuestData: boolean;
  allowsNode(node: string): boolean;
  allowsVmid(vmid: number): boolean;
  allowsGuest(guest: {
    vmid: number;
    node?: string;
    pool?: string;
    tags?: string | string[];
  }): boolean;
  /** e.g. "nodes pve1; vmids 100-199" for refusal messages. */
  describe(): string;
}

/** The session's tool list, for the discovery tools of lazy mode. */
export interface SessionTools {
  toolsets(): { toolset: string; description: string; tools: string[]; enabled: boolean }[];
  /** Exposes the toolsets' tools (announced with tools/list_changed); returns those added. */
  enable(toolsets: readonly string[] | "all"): string[];
}

export interface ToolContext {
  pve: PveClient;
  /** Aborted when the MCP client cancels the call. */
  signal: AbortSignal;
  /** How long a tool that starts a task waits for it by default (ms). */
  taskWaitMs: number;
  /** How long a task wait retries while Proxmox does not answer (ms; default 30 s). */
  taskReconnectMs?: number;
  /** Progress of a long wait; a no-op when the client asked for none. */
  progress: (progress: Progress) => void;
  /** Tell the MCP client's user something (notifications/message). */
  notify: (level: "info" | "warning", message: string) => void;
  scope: Scope;
  session: SessionTools;
}

export interface ToolResult<O> {
  data: O;
  /** Compact text rendering; by default derived from data. */
  text?: string;
}

export interface ToolDef<I extends z.ZodObject = z.ZodObject, O extends z.ZodObject = z.ZodObject> {
  name: string;
  title: string;
  toolset: Toolset;
  description: string;
  input: I;
  output: O;
  annotations: Annotations;
  /**
   * Starts a Proxmox task and may wait minutes (clone, migrate, backup…): clients that support
   * MCP tasks may run it as one (tools/list says `execution.taskSupport: "optional"`).
   * Default: true when the input has `wait` (the sign of a tool that waits for its task).
   */
  longRunning?: boolean;
  /**
   * The API endpoints the tool calls (templates as the API schema spells them), so
   * `proxmox-mcp tools --check-api` can tell which tools a cluster's API version lacks.
   */
  endpoints?: readonly EndpointRef[];
  /**
   * The tool also calls paths its caller names (the api toolset), each checked against the
   * cluster's own schema when called: `endpoints` lists only what the tool calls by itself.
   */
  callerPaths?: boolean;
  /**
   * Destructive tools only: true when an earlier confirmed call already covers this one (typing
   * into a console whose console_open was confirmed), so the call pipeline need not ask again.
   */
  confirmedBy?: (args: z.output<I>, ctx: ToolContext) => boolean;
  handler: (args: z.output<I>, ctx: ToolContext) => Promise<ToolResult<z.input<O>>>;
}

export interface EndpointRef {
  method: "GET" | "POST" | "PUT" | "DELETE";
  /** e.g. /nodes/{node}/qemu/{vmid}/status/start */
  path: string;
  /** Parameters the tool may send, by the API's names (path parameters need not be listed). */
  params?: readonly string[];
}

/** The same endpoint for VMs and containers: /nodes/{node}/qemu/{vmid}… and …/lxc/{vmid}…. */
export function guestEndpoints(
  method: EndpointRef["method"],
  suffix: string,
  params?: readonly string[],
  kinds: readonly ("qemu" | "lxc")[] = ["qemu", "lxc"],
): EndpointRef[] {
  return kinds.map((k) => ({ method, path: `/nodes/{node}/${k}/{vmid}${suffix}`, params }));
}

/** The inventory lookup behind every vmid-only tool (resolveGuest, list_vms…). */
export const INVENTORY: EndpointRef = {
  method: "GET",
  path: "/cluster/resources",
  params: ["type"],
};

/** GET /version: the PVE version (the api tools key their schema cache by it). */
export const VERSION: EndpointRef = { method: "GET", path: "/version" };

/** Every destructive tool takes `confirm`: the two-step confirmation for clients without elicitation. */
export const confirmArg = z
  .boolean()
  .optional()
  .describe("Set true to confirm this destructive action (asked for when the server requires it)");

/**
 * Identity with inference: `defineTool({...})` keeps the handler's types tied to the schemas.
 * Destructive tools get the `confirm` argument here, so no tool can forget it.
 */
export function defineTool<I extends z.ZodObject, O extends z.ZodObject>(
  def: ToolDef<I, O>,
): ToolDef {
  const input = def.annotations.destructiveHint
    ? def.input.extend({ confirm: confirmArg })
    : def.input;
  // A tool that takes `wait` starts a Proxmox task: it may run as an MCP task.
  const longRunning = def.longRunning ?? "wait" in def.input.shape;
  return { ...def, input, longRunning } as unknown as ToolDef;
}

export const READ: Annotations = {
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: true,
};

/** A change that can be repeated without harm (start a running guest, set a value). */
export const WRITE_IDEMPOTENT: Annotations = {
  readOnlyHint: false,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: true,
};

/** Creates something new each call. */
export const WRITE: Annotations = {
  readOnlyHint: false,
  destructiveHint: false,
  idempotentHint: false,
  openWorldHint: true,
};

/** Loses state or data: stop, reset, delete, rollback. */
export const DESTRUCTIVE: Annotations = {
  readOnlyHint: false,
  destructiveHint: true,
  idempotentHint: false,
  openWorldHint: true,
};
