// New guests: create a VM or a container, clone, turn into a template, and the next free vmid.

import { z } from "zod";
import {
  CLUSTER_NEXTID,
  CLUSTER_RESOURCES,
  GUEST_TEMPLATE,
  LXC_CLONE,
  LXC_CREATE,
  QEMU_CLONE,
  QEMU_CREATE,
} from "../pve/endpoints/index.ts";
import { type GuestType, guestAt, PveError } from "../pve/index.ts";
import { guestType, nodeOptional, nodeRequired, storageId, vmid, wait } from "./args.ts";
import { DESTRUCTIVE, defineTool, READ, type ToolContext, WRITE } from "./define.ts";
import { ToolError } from "./errors.ts";
import { guestArgs, guestData, guestFields, kindWord, nextVmid } from "./guest-common.ts";
import { describeGuest, onGuest } from "./guest-ref.ts";
import { settleTask, TASK_ENDPOINTS, taskFields, taskMessage } from "./task-result.ts";

const dnsName = z
  .string()
  .max(63)
  .regex(/^[a-zA-Z0-9]([a-zA-Z0-9.-]*[a-zA-Z0-9])?$/, "letters, digits, '-' and '.' (a DNS name)");
const poolArg = z
  .string()
  .regex(/^[A-Za-z0-9_-]+$/, "a pool id")
  .optional()
  .describe("Add the new guest to this pool");
const tagsArg = z
  .string()
  .max(1024)
  .optional()
  .describe("Tags separated by ; , or spaces (stored lower-case, sorted)");
const newVmid = vmid.optional().describe("Id of the new guest; the next free one when omitted");

/** The arguments create_vm and create_container share: first where and with which id… */
const newGuestArgs = { node: nodeRequired, vmid: newVmid };
const memoryArg = z.number().int().min(16).optional().describe("RAM in MiB (default 512)");
/** …and last, how it joins the cluster and whether it starts. */
const newGuestOptions = (noun: "VM" | "container") => ({
  pool: poolArg,
  tags: tagsArg,
  description: z.string().max(8192).optional(),
  start: z.boolean().optional().describe(`Start the ${noun} once created`),
  wait,
});

/** Waits for the creation task of a new guest and says what was made. */
async function created(
  ctx: ToolContext<(typeof TASK_ENDPOINTS)[number]>,
  upid: unknown,
  guest: { vmid: number; node: string; type: GuestType; name?: string },
  args: { start?: boolean; wait?: boolean },
) {
  const word = guest.type === "qemu" ? "VM" : "CT";
  const what = `creation of ${word} ${guest.vmid} on ${guest.node}`;
  const task = await settleTask(ctx, upid, what, args.wait);
  const done = `created ${word} ${guest.vmid}${guest.name ? ` (${guest.name})` : ""} on ${guest.node}${args.start ? " and started it" : ""}`;
  return { data: { ...guest, message: taskMessage(task, what, done), ...task } };
}

const createdOutput = z.object({
  ...guestFields,
  name: z.string().optional(),
  message: z.string(),
  ...taskFields,
});

export const createVm = defineTool({
  name: "create_vm",
  title: "Create a VM",
  toolset: "create",
  description:
    "Create a QEMU VM on a node and wait for it: cores, memory, an optional scsi0 disk of disk_gb GiB on storage, a NIC (default virtio on vmbr0) and an ISO or ide2 CD-ROM. Picks the next free vmid when none is given; returns the vmid.",
  input: z.strictObject({
    ...newGuestArgs,
    name: dnsName.optional().describe("VM name (a DNS name)"),
    memory: memoryArg,
    cores: z.number().int().min(1).max(1024).optional().describe("Cores per socket (default 1)"),
    sockets: z.number().int().min(1).max(16).optional().describe("CPU sockets (default 1)"),
    storage: storageId.optional().describe("Storage for the disk (with disk_gb), e.g. local-lvm"),
    disk_gb: z.number().int().min(1).max(65536).optional().describe("Size of a scsi0 disk in GiB"),
    iso: z
      .string()
      .max(255)
      .optional()
      .describe("ISO volume to boot from, e.g. local:iso/debian-13.1.0-amd64-netinst.iso"),
    net0: z
      .string()
      .max(512)
      .optional()
      .describe("First NIC in Proxmox syntax (default virtio,bridge=vmbr0)"),
    ide2: z
      .string()
      .max(512)
      .optional()
      .describe("CD-ROM drive in Proxmox syntax, e.g. local:iso/x.iso,media=cdrom"),
    ostype: z
      .enum(["l26", "win11", "win10", "win8", "win7", "other", "solaris", "l24"])
      .optional()
      .describe("Guest OS type (default other; l26 = Linux)"),
    agent: z.boolean().optional().describe("Enable the QEMU guest agent"),
    ...newGuestOptions("VM"),
  }),
  output: createdOutput,
  annotations: WRITE,
  endpoints: [CLUSTER_NEXTID, QEMU_CREATE, ...TASK_ENDPOINTS],
  async handler(args, ctx) {
    if (args.disk_gb !== undefined && !args.storage) {
      throw new ToolError(
        "disk_gb needs storage: on which storage should the disk be created?",
        "Pass storage (e.g. local-lvm; list_storage shows the node's storages).",
      );
    }
    if (args.iso && args.ide2) {
      throw new ToolError("iso and ide2 both set the CD-ROM drive: pass one of them");
    }
    const id = args.vmid ?? (await nextVmid(ctx));
    const upid = await ctx.pve.call(
      QEMU_CREATE,
      {
        node: args.node,
        vmid: id,
        name: args.name,
        memory: args.memory,
        cores: args.cores,
        sockets: args.sockets,
        ...(args.disk_gb !== undefined
          ? { scsi0: `${args.storage}:${args.disk_gb}`, scsihw: "virtio-scsi-single" }
          : {}),
        ide2: args.ide2 ?? (args.iso ? `${args.iso},media=cdrom` : undefined),
        net0: args.net0 ?? "virtio,bridge=vmbr0",
        ostype: args.ostype,
        agent: args.agent === undefined ? undefined : args.agent ? "1" : "0",
        pool: args.pool,
        tags: args.tags,
        description: args.description,
        start: args.start,
      },
      { signal: ctx.signal },
    );
    return created(ctx, upid, { vmid: id, node: args.node, type: "qemu", name: args.name }, args);
  },
});

export const createContainer = defineTool({
  name: "create_container",
  title: "Create a container",
  toolset: "create",
  description:
    "Create an LXC container from a template (ostemplate: a vztmpl volid, see list_storage_content) and wait. Defaults: unprivileged, DHCP on vmbr0, a root disk of disk_gb GiB (8), the next free vmid.",
  input: z.strictObject({
    ...newGuestArgs,
    ostemplate: z.string().min(3).max(255).describe("Template volume id (storage:vztmpl/file)"),
    hostname: dnsName.optional(),
    password: z
      .string()
      .min(5)
      .max(256)
      .optional()
      .describe("Root password inside the container (never echoed)"),
    ssh_public_keys: z
      .string()
      .max(16384)
      .optional()
      .describe("Public SSH keys for root, one per line"),
    memory: memoryArg,
    swap: z.number().int().min(0).optional().describe("Swap in MiB (default 512)"),
    cores: z.number().int().min(1).max(8192).optional().describe("CPU cores (default: all)"),
    storage: storageId.optional().describe("Storage for the root disk (default local-lvm)"),
    disk_gb: z
      .number()
      .int()
      .min(1)
      .max(65536)
      .optional()
      .describe("Root disk size in GiB (default 8)"),
    rootfs: z
      .string()
      .max(512)
      .optional()
      .describe("Root disk in Proxmox syntax (overrides storage and disk_gb), e.g. local-lvm:8"),
    net0: z
      .string()
      .max(512)
      .optional()
      .describe("First NIC in Proxmox syntax (default name=eth0,bridge=vmbr0,ip=dhcp)"),
    unprivileged: z.boolean().optional().describe("Unprivileged container (default true)"),
    ...newGuestOptions("container"),
  }),
  output: createdOutput,
  annotations: WRITE,
  endpoints: [CLUSTER_NEXTID, LXC_CREATE, ...TASK_ENDPOINTS],
  async handler(args, ctx) {
    const id = args.vmid ?? (await nextVmid(ctx));
    const upid = await ctx.pve.call(
      LXC_CREATE,
      {
        node: args.node,
        vmid: id,
        ostemplate: args.ostemplate,
        hostname: args.hostname,
        password: args.password,
        "ssh-public-keys": args.ssh_public_keys,
        memory: args.memory,
        swap: args.swap,
        cores: args.cores,
        rootfs: args.rootfs ?? `${args.storage ?? "local-lvm"}:${args.disk_gb ?? 8}`,
        net0: args.net0 ?? "name=eth0,bridge=vmbr0,ip=dhcp",
        unprivileged: args.unprivileged ?? true,
        pool: args.pool,
        tags: args.tags,
        description: args.description,
        start: args.start,
      },
      { signal: ctx.signal },
    );
    const guest = { vmid: id, node: args.node, type: "lxc" as const, name: args.hostname };
    return created(ctx, upid, guest, args);
  },
});

export const cloneVm = defineTool({
  name: "clone_vm",
  title: "Clone a VM or container",
  toolset: "create",
  description:
    "Copy a VM, container or template to a new guest and wait. A full copy, but a linked clone of a template unless full is true; newid defaults to the next free vmid, target to the same node.",
  input: z.strictObject({
    ...guestArgs,
    newid: newVmid,
    name: dnsName.optional().describe("Name (VM) or hostname (container) of the copy"),
    target: z.string().min(1).max(63).optional().describe("Node for the copy (default: the same)"),
    full: z.boolean().optional().describe("Full copy of the disks (templates default to linked)"),
    storage: storageId.optional().describe("Storage for a full copy's disks"),
    pool: poolArg,
    description: z.string().max(8192).optional(),
    snapname: z.string().max(40).optional().describe("Clone from this snapshot"),
    wait,
  }),
  output: createdOutput.extend({ source_vmid: z.number() }),
  annotations: WRITE,
  endpoints: [CLUSTER_RESOURCES, CLUSTER_NEXTID, QEMU_CLONE, LXC_CLONE, ...TASK_ENDPOINTS],
  async handler(args, ctx) {
    return onGuest(ctx, args, async (source) => {
      if (args.target && !ctx.scope.allowsNode(args.target)) {
        throw new ToolError(`node ${args.target} is outside this server's scope`);
      }
      const newid = args.newid ?? (await nextVmid(ctx));
      const common = {
        ...guestAt(source),
        newid,
        target: args.target,
        full: args.full,
        storage: args.storage,
        pool: args.pool,
        description: args.description,
        snapname: args.snapname,
      };
      const options = { signal: ctx.signal };
      const upid =
        source.type === "qemu"
          ? await ctx.pve.call(QEMU_CLONE, { ...common, name: args.name }, options)
          : await ctx.pve.call(LXC_CLONE, { ...common, hostname: args.name }, options);
      const node = args.target ?? source.node;
      const what = `clone of ${describeGuest(source)} to ${kindWord(source)} ${newid}`;
      const task = await settleTask(ctx, upid, what, args.wait);
      const message = taskMessage(
        task,
        what,
        `cloned ${describeGuest(source)} to ${kindWord(source)} ${newid}${args.name ? ` (${args.name})` : ""} on ${node}`,
      );
      return {
        data: {
          vmid: newid,
          node,
          type: source.type,
          name: args.name,
          source_vmid: source.vmid,
          message,
          ...task,
        },
      };
    });
  },
});

export const getNextVmid = defineTool({
  name: "get_next_vmid",
  title: "Next free vmid",
  toolset: "lifecycle",
  description:
    "The next free guest id of the cluster (to create or clone into); with vmid, whether that id is free.",
  input: z.strictObject({ vmid: vmid.optional().describe("Check whether this id is free") }),
  output: z.object({ vmid: z.number(), free: z.boolean(), reason: z.string().optional() }),
  annotations: READ,
  endpoints: [CLUSTER_NEXTID],
  async handler(args, ctx) {
    try {
      const id = await ctx.pve.call(CLUSTER_NEXTID, { vmid: args.vmid }, { signal: ctx.signal });
      return { data: { vmid: Number(id), free: true } };
    } catch (error) {
      // PVE answers a taken id with 400 {"errors":{"vmid":"VM 100 already exists"}}.
      if (error instanceof PveError && args.vmid && error.errors.vmid) {
        return { data: { vmid: args.vmid, free: false, reason: error.errors.vmid.trim() } };
      }
      throw error;
    }
  },
});

export const convertToTemplate = defineTool({
  name: "convert_to_template",
  title: "Convert to template",
  toolset: "lifecycle",
  description:
    "Turn a stopped VM or container into a template (its disks become read-only base images): it can no longer be started, only cloned (clone_vm, linked clones by default). This cannot be undone through the API.",
  input: z.strictObject({ node: nodeOptional, vmid, type: guestType, wait }),
  output: z.object({ ...guestFields, message: z.string(), ...taskFields }),
  annotations: DESTRUCTIVE,
  endpoints: [CLUSTER_RESOURCES, GUEST_TEMPLATE, ...TASK_ENDPOINTS],
  async handler(args, ctx) {
    return onGuest(ctx, args, async (guest) => {
      if (guest.status === "running") {
        throw new ToolError(
          `${describeGuest(guest)} is running: only a stopped guest can become a template`,
          "Shut it down first (shutdown_vm).",
        );
      }
      const result = await ctx.pve.call(GUEST_TEMPLATE, guestAt(guest), { signal: ctx.signal });
      const what = `template conversion of ${describeGuest(guest)}`;
      const task = await settleTask(ctx, result, what, args.wait);
      const message = taskMessage(task, what, `${describeGuest(guest)} is now a template`);
      return { data: { ...guestData(guest), message, ...task } };
    });
  },
});

export const guestCreateTools = [
  createVm,
  createContainer,
  cloneVm,
  getNextVmid,
  convertToTemplate,
];
