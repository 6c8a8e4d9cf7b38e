// Guest configuration: CPU and memory, container disk growth, cloud-init, pending changes.

import { z } from "zod";
import {
  CLUSTER_RESOURCES,
  GUEST_CONFIG,
  GUEST_PENDING,
  GUEST_RESIZE,
  GUEST_STATUS,
} from "../pve/endpoints/index.ts";
import { guestAt } from "../pve/index.ts";
import { nodeOptional, vmid } from "./args.ts";
import { DESTRUCTIVE, defineTool, READ, type ToolDef, WRITE_IDEMPOTENT } from "./define.ts";
import { ToolError } from "./errors.ts";
import {
  guestArgs,
  guestData,
  guestFields,
  liveStatus,
  lxcConfigWrite,
  type PendingRow,
  pendingField,
  pendingNote,
  qemuConfigWrite,
  readConfig,
  writeConfig,
} from "./guest-common.ts";
import { describeGuest, expectType, onGuest } from "./guest-ref.ts";
import { settleTask, TASK_ENDPOINTS, type TaskFields, taskFields } from "./task-result.ts";

const changeOutput = z.object({
  ...guestFields,
  changed: z.array(z.string()).describe("Config keys written"),
  pending: pendingField,
  message: z.string(),
  ...taskFields,
});

type Values = Record<string, string | number | boolean | undefined>;

const defined = (values: Values): Values =>
  Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));

export const updateVmResources = defineTool({
  name: "update_vm_resources",
  title: "Change VM CPU and memory",
  toolset: "config",
  description:
    "Set a VM's cores, sockets, memory (MiB), balloon minimum, vcpus or CPU limit. On a running VM, what cannot be hotplugged (cores, sockets; memory without memory hotplug) waits for the next start: the result lists those pending keys.",
  input: z.strictObject({
    node: nodeOptional,
    vmid,
    cores: z.number().int().min(1).max(1024).optional().describe("Cores per socket"),
    sockets: z.number().int().min(1).max(16).optional(),
    memory: z.number().int().min(16).optional().describe("RAM in MiB"),
    balloon: z
      .number()
      .int()
      .min(0)
      .optional()
      .describe("Minimum RAM in MiB for ballooning; 0 disables the balloon device"),
    vcpus: z.number().int().min(1).optional().describe("vCPUs active at start (≤ cores × sockets)"),
    cpulimit: z.number().min(0).max(128).optional().describe("CPU time limit in cores (0 = none)"),
  }),
  output: changeOutput,
  annotations: WRITE_IDEMPOTENT,
  endpoints: [
    CLUSTER_RESOURCES,
    ...qemuConfigWrite("cores", "sockets", "memory", "balloon", "vcpus", "cpulimit"),
  ],
  async handler(args, ctx) {
    const { node: _n, vmid: _v, ...rest } = args;
    const values = defined(rest);
    if (Object.keys(values).length === 0) {
      throw new ToolError(
        "nothing to change: pass cores, sockets, memory, balloon, vcpus or cpulimit",
      );
    }
    return onGuest(ctx, { ...args, type: "qemu" }, async (guest) => {
      expectType(guest, "qemu", "update_vm_resources");
      const w = await writeConfig(ctx, guest, values, `config change of ${describeGuest(guest)}`);
      const changed = Object.keys(values);
      const message = `set ${changed.map((k) => `${k}=${values[k]}`).join(", ")} on ${describeGuest(guest)}${pendingNote(guest, w.pending)}`;
      return { data: { ...guestData(guest), changed, message, ...w } };
    });
  },
});

export const updateContainerResources = defineTool({
  name: "update_container_resources",
  title: "Change container resources",
  toolset: "config",
  description:
    "Set a container's cores, memory and swap (MiB) or CPU limit (applied live), and grow a disk by disk_gb GiB (rootfs unless disk names a mount point such as mp0). Growing only: use resize_disk for an absolute size.",
  input: z.strictObject({
    node: nodeOptional,
    vmid,
    cores: z.number().int().min(1).max(8192).optional(),
    memory: z.number().int().min(16).optional().describe("RAM in MiB"),
    swap: z.number().int().min(0).optional().describe("Swap in MiB"),
    cpulimit: z.number().min(0).max(8192).optional().describe("CPU time limit in cores (0 = none)"),
    disk_gb: z
      .number()
      .int()
      .min(1)
      .max(65536)
      .optional()
      .describe("Grow the disk by this many GiB"),
    disk: z
      .string()
      .regex(/^(rootfs|mp(\d|[1-9]\d|1\d\d|2[0-4]\d|25[0-5]))$/, "rootfs or mp0 to mp255")
      .optional()
      .describe("Disk to grow with disk_gb (default rootfs)"),
  }),
  output: changeOutput.extend({ resized: z.string().optional().describe("Disk and new size") }),
  annotations: { ...WRITE_IDEMPOTENT, idempotentHint: false },
  endpoints: [
    CLUSTER_RESOURCES,
    ...lxcConfigWrite("cores", "memory", "swap", "cpulimit"),
    GUEST_RESIZE.only("lxc"),
    ...TASK_ENDPOINTS,
    GUEST_CONFIG.only("lxc"),
  ],
  async handler(args, ctx) {
    const { node: _n, vmid: _v, disk_gb, disk, ...rest } = args;
    const values = defined(rest);
    if (Object.keys(values).length === 0 && disk_gb === undefined) {
      throw new ToolError("nothing to change: pass cores, memory, swap, cpulimit or disk_gb");
    }
    if (disk && disk_gb === undefined) {
      throw new ToolError("disk names the disk to grow: pass disk_gb too");
    }
    return onGuest(ctx, { ...args, type: "lxc" }, async (guest) => {
      expectType(guest, "lxc", "update_container_resources");
      const changed = Object.keys(values);
      let pending: string[] = [];
      let task: Partial<TaskFields> = {};
      if (changed.length > 0) {
        pending = (
          await writeConfig(ctx, guest, values, `config change of ${describeGuest(guest)}`)
        ).pending;
      }
      let resized: string | undefined;
      if (disk_gb !== undefined) {
        const key = disk ?? "rootfs";
        const upid = await ctx.pve.call(
          GUEST_RESIZE,
          { ...guestAt(guest), disk: key, size: `+${disk_gb}G` },
          { signal: ctx.signal },
        );
        task = await settleTask(ctx, upid, `resize of ${key} of ${describeGuest(guest)}`);
        const config = await readConfig(ctx, guest);
        resized = `${key} ${/size=([^,]+)/.exec(String(config[key] ?? ""))?.[1] ?? "?"}`;
      }
      const parts = [
        ...changed.map((k) => `${k}=${values[k]}`),
        ...(resized ? [`${resized} (+${disk_gb}G)`] : []),
      ];
      const message = `set ${parts.join(", ")} on ${describeGuest(guest)}${pendingNote(guest, pending)}`;
      return {
        data: {
          ...guestData(guest),
          changed,
          pending,
          resized,
          message,
          task_status: "ok" as const,
          ...task,
        },
      };
    });
  },
});

export const setVmCloudinit = defineTool({
  name: "set_vm_cloudinit",
  title: "Set cloud-init options",
  toolset: "guest_settings",
  description:
    "Set a VM's cloud-init user, password, SSH keys, IP config (ipconfig0, e.g. ip=dhcp or ip=10.0.0.5/24,gw=10.0.0.1), DNS server and search domain. They take effect when the VM next boots with its cloud-init drive; the password is never echoed.",
  input: z.strictObject({
    node: nodeOptional,
    vmid,
    ciuser: z.string().max(64).optional().describe("User to create or configure"),
    cipassword: z
      .string()
      .min(1)
      .max(256)
      .optional()
      .describe("Password for ciuser (not shown back)"),
    sshkeys: z.string().max(16384).optional().describe("Public SSH keys, one per line"),
    ipconfig0: z
      .string()
      .max(512)
      .optional()
      .describe("First NIC: ip=dhcp | ip=CIDR,gw=IP; ip6=auto|dhcp|CIDR,gw6=IP"),
    nameserver: z.string().max(256).optional().describe("DNS servers, space separated"),
    searchdomain: z.string().max(256).optional().describe("DNS search domains"),
  }),
  output: changeOutput.extend({
    warning: z.string().optional().describe("Why the values may not reach the guest"),
  }),
  annotations: { ...DESTRUCTIVE, idempotentHint: true }, // a password or key opens the guest
  endpoints: [
    CLUSTER_RESOURCES,
    GUEST_CONFIG.only("qemu"),
    ...qemuConfigWrite(
      "ciuser",
      "cipassword",
      "sshkeys",
      "ipconfig0",
      "nameserver",
      "searchdomain",
    ),
  ],
  async handler(args, ctx) {
    const { node: _n, vmid: _v, sshkeys, ...rest } = args;
    // PVE wants the keys URI-encoded (format `urlencoded`), as its web UI sends them.
    const values = defined({
      ...rest,
      sshkeys: sshkeys === undefined ? undefined : encodeURIComponent(sshkeys),
    });
    if (Object.keys(values).length === 0) {
      throw new ToolError(
        "nothing to change: pass ciuser, cipassword, sshkeys, ipconfig0, nameserver or searchdomain",
      );
    }
    return onGuest(ctx, { ...args, type: "qemu" }, async (guest) => {
      expectType(guest, "qemu", "set_vm_cloudinit");
      const config = await readConfig(ctx, guest);
      const hasDrive = Object.values(config).some((v) => /cloudinit/.test(String(v)));
      const w = await writeConfig(
        ctx,
        guest,
        values,
        `cloud-init change of ${describeGuest(guest)}`,
      );
      const changed = Object.keys(values);
      const shown = changed.map((k) => (k === "cipassword" ? "cipassword (set)" : k));
      const warning = hasDrive
        ? undefined
        : "the VM has no cloud-init drive: add one (e.g. ide2: local-lvm:cloudinit) for these to reach the guest";
      const message = `set ${shown.join(", ")} on ${describeGuest(guest)}${pendingNote(guest, w.pending)}${warning ? `; ${warning}` : ""}`;
      return { data: { ...guestData(guest), changed, warning, message, ...w } };
    });
  },
});

const pendingRow = z.object({
  key: z.string(),
  current: z.union([z.string(), z.number()]).optional(),
  pending: z.union([z.string(), z.number()]).optional(),
  delete: z.boolean().describe("The key is removed at the next start"),
});

export const getPendingConfig = defineTool({
  name: "get_pending_config",
  title: "Pending config changes",
  toolset: "guest_settings",
  description:
    "Config changes of a VM or container that wait for its next start (made while it ran and not hotpluggable): each key's current and pending value, or a pending removal. all: true lists every key.",
  input: z.strictObject({
    ...guestArgs,
    all: z.boolean().optional().describe("List every config key, not only pending ones"),
  }),
  output: z.object({
    ...guestFields,
    restart_needed: z.boolean().describe("Some change waits for a stop and start (or reboot)"),
    changes: z.array(pendingRow),
  }),
  annotations: READ,
  endpoints: [CLUSTER_RESOURCES, GUEST_PENDING, GUEST_STATUS],
  async handler(args, ctx) {
    return onGuest(ctx, args, async (guest) => {
      const rows = await ctx.pve.call(GUEST_PENDING, guestAt(guest), { signal: ctx.signal });
      const isPending = (r: PendingRow) => r.pending !== undefined || Boolean(r.delete);
      const changes = rows
        .filter((r) => args.all || isPending(r))
        .map((r) => ({
          key: r.key,
          current: r.value,
          pending: r.pending,
          delete: Boolean(r.delete),
        }));
      const restart = rows.some(isPending);
      const status = restart ? undefined : await liveStatus(ctx, guest).catch(() => undefined);
      const lines = changes
        .filter(isPendingOut)
        .map((c) =>
          c.delete
            ? `${c.key}: ${c.current} → (removed)`
            : `${c.key}: ${c.current ?? "(unset)"} → ${c.pending}`,
        );
      return {
        data: { ...guestData(guest), restart_needed: restart, changes },
        text: restart
          ? `${describeGuest(guest)}: ${lines.length} change(s) wait for the next start\n${lines.join("\n")}`
          : `${describeGuest(guest)}: no pending changes${status ? ` (${status.status})` : ""}`,
      };
    });
  },
});

const isPendingOut = (c: { pending?: unknown; delete: boolean }) =>
  c.pending !== undefined || c.delete;

export const guestConfigTools: ToolDef[] = [
  updateVmResources,
  updateContainerResources,
  setVmCloudinit,
  getPendingConfig,
];
