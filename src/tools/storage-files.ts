// Files on storages: download from a URL (ISOs, templates), delete one volume.

import { z } from "zod";
import {
  CLUSTER_RESOURCES,
  type ContentEntry,
  DOWNLOAD_URL,
  GUEST_CONFIG,
  STORAGE_CONTENT,
  VOLUME_DELETE,
} from "../pve/endpoints/index.ts";
import { GuestNotFoundError, guestAt, resolveGuest } from "../pve/index.ts";
import { wait } from "./args.ts";
import { DESTRUCTIVE, defineTool, type ToolContext, WRITE } from "./define.ts";
import { ToolError } from "./errors.ts";
import { nodeFor, parseVolid, storageArg, storageLocations } from "./storage-where.ts";
import { settleTask, TASK_ENDPOINTS, taskFields } from "./task-result.ts";
import { bytes } from "./units.ts";

export const downloadUrl = defineTool({
  name: "download_url",
  title: "Download a file to a storage",
  toolset: "storage_admin",
  description:
    "Download an ISO image, container template (vztmpl) or importable disk from a URL straight to a storage (the node fetches it), optionally verifying a checksum, and wait for the download task. Returns the new volid.",
  input: z.strictObject({
    node: z
      .string()
      .optional()
      .describe("Node that downloads; optional for shared storages and storages on one node"),
    storage: storageArg,
    url: z.url({ protocol: /^https?$/ }).describe("http(s) URL of the file"),
    filename: z.string().min(1).max(255).describe("File name to store, e.g. debian-13.iso"),
    content: z.enum(["iso", "vztmpl", "import"]).describe("iso, vztmpl (template) or import"),
    checksum: z.string().min(8).optional().describe("Expected checksum (hex)"),
    checksum_algorithm: z.enum(["md5", "sha1", "sha224", "sha256", "sha384", "sha512"]).optional(),
    verify_certificates: z
      .boolean()
      .optional()
      .describe("Check the server's TLS certificate (default true)"),
    wait,
  }),
  output: z.object({
    node: z.string(),
    storage: z.string(),
    volid: z.string().describe("the file as guests and tools refer to it"),
    size: bytes().optional().describe("once downloaded"),
    ...taskFields,
  }),
  annotations: WRITE,
  endpoints: [CLUSTER_RESOURCES, DOWNLOAD_URL, ...TASK_ENDPOINTS, STORAGE_CONTENT],
  async handler(args, ctx) {
    if ((args.checksum === undefined) !== (args.checksum_algorithm === undefined)) {
      throw new ToolError(
        "checksum and checksum_algorithm go together",
        "Pass both (e.g. checksum_algorithm sha256) or neither.",
      );
    }
    const node = await nodeFor(ctx, args.storage, args.node);
    // PVE stores the name with everything but [A-Za-z0-9_.-] replaced by "_".
    const filename = args.filename.replace(/^.*[/\\]/, "").replace(/[^a-zA-Z0-9_.-]/g, "_");
    const volid = `${args.storage}:${args.content}/${filename}`;
    const upid = await ctx.pve.call(
      DOWNLOAD_URL,
      {
        node,
        storage: args.storage,
        url: args.url,
        filename,
        content: args.content,
        checksum: args.checksum,
        "checksum-algorithm": args.checksum_algorithm,
        "verify-certificates": args.verify_certificates,
      },
      { signal: ctx.signal },
    );
    const task = await settleTask(
      ctx,
      upid,
      `download of ${filename} to ${args.storage}`,
      args.wait,
    );
    let size: number | undefined;
    if (task.task_status === "ok") {
      const files = await ctx.pve.call(
        STORAGE_CONTENT,
        { node, storage: args.storage, content: args.content },
        { signal: ctx.signal },
      );
      size = files.find((f) => f.volid === volid)?.size;
    }
    return { data: { node, storage: args.storage, volid, size, ...task } };
  },
});

/** Refuses a disk a guest still uses: deleting it would break that guest. */
async function assertUnused(
  ctx: ToolContext<typeof CLUSTER_RESOURCES | typeof GUEST_CONFIG>,
  volid: string,
  owner?: number,
): Promise<void> {
  if (owner === undefined) return;
  const guest = await resolveGuest(ctx.pve, owner, {}, ctx.signal).catch((error) => {
    if (error instanceof GuestNotFoundError) return undefined; // an orphan: nobody uses it
    throw error;
  });
  if (!guest) return;
  const config = await ctx.pve.call(GUEST_CONFIG, guestAt(guest), { signal: ctx.signal });
  const key = Object.keys(config).find((k) => {
    const v = config[k];
    return typeof v === "string" && (v === volid || v.startsWith(`${volid},`));
  });
  if (!key) return;
  throw new ToolError(
    `${volid} is in use by ${guest.type === "qemu" ? "VM" : "CT"} ${owner} as ${key}`,
    key.startsWith("unused")
      ? `Remove ${key} from the guest with remove_disk, which also deletes the volume.`
      : `Detach it first with remove_disk (device ${key}), or delete the guest.`,
  );
}

export const deleteVolume = defineTool({
  name: "delete_volume",
  title: "Delete a volume",
  toolset: "storage_admin",
  description:
    "Delete one file or volume from a storage for good: an ISO, a template, a backup archive or an orphaned disk image (volid as listed by list_storage_content). Disks a guest still uses and protected backups are refused.",
  input: z.strictObject({
    volid: z
      .string()
      .min(3)
      .describe("Volume id, e.g. local:iso/old.iso or backups:backup/vzdump-qemu-100-….vma.zst"),
    node: z
      .string()
      .optional()
      .describe("Node holding it; needed only for local storages on several nodes"),
    wait,
  }),
  output: z.object({
    volid: z.string(),
    node: z.string(),
    storage: z.string(),
    content: z.string(),
    size: bytes().optional(),
    ...taskFields,
  }),
  annotations: DESTRUCTIVE,
  endpoints: [
    CLUSTER_RESOURCES,
    STORAGE_CONTENT,
    GUEST_CONFIG.sending(),
    VOLUME_DELETE,
    ...TASK_ENDPOINTS,
  ],
  async handler(args, ctx) {
    const { storage } = parseVolid(args.volid);
    const where = (await storageLocations(ctx, { storage, node: args.node })).filter(
      (l) => l.online,
    );
    // Find the node(s) that really hold the file: local storages differ per node.
    const holders: { node: string; entry: ContentEntry }[] = [];
    for (const l of where) {
      const files = await ctx.pve.call(
        STORAGE_CONTENT,
        { node: l.node, storage },
        { signal: ctx.signal },
      );
      const entry = files.find((f) => f.volid === args.volid);
      if (entry) holders.push({ node: l.node, entry });
      if (l.shared && entry) break;
    }
    const found = holders[0];
    if (!found) {
      throw new ToolError(
        `no volume ${args.volid}${args.node ? ` on node ${args.node}` : ""}`,
        "list_storage_content shows the volids that exist.",
      );
    }
    if (holders.length > 1) {
      throw new ToolError(
        `${args.volid} exists on ${holders.map((h) => h.node).join(", ")}`,
        "Pass node to say which copy to delete.",
      );
    }
    if (found.entry.protected === 1) {
      throw new ToolError(
        `${args.volid} is a protected backup`,
        "Remove its protection in Proxmox first if it really should go.",
      );
    }
    if (found.entry.content === "images" || found.entry.content === "rootdir") {
      await assertUnused(ctx, args.volid, found.entry.vmid);
    }
    const upid = await ctx.pve.call(
      VOLUME_DELETE,
      { node: found.node, storage, volume: args.volid },
      { signal: ctx.signal },
    );
    const task = await settleTask(ctx, upid, `deletion of ${args.volid}`, args.wait);
    return {
      data: {
        volid: args.volid,
        node: found.node,
        storage,
        content: found.entry.content,
        size: found.entry.size,
        ...task,
      },
    };
  },
});

export const storageFileTools = [downloadUrl, deleteVolume];
