// MCP resources: the cluster inventory, nodes, guests' config and status, storage content and
// task logs as pve:// URIs (plus the seed's proxmox://vms), listed from one inventory call and
// read as JSON. A subscribed resource is polled while subscribed and notifications/resources/
// updated is sent when what matters in it changes. The reading code loads on first use. The
// MCP Apps views (ui://) end the first page of the list and are read from ui-resources.ts.

import type { Server } from "@modelcontextprotocol/sdk/server/index.js";
import {
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ReadResourceRequestSchema,
  type ResourceTemplate,
  SubscribeRequestSchema,
  UnsubscribeRequestSchema,
} from "@modelcontextprotocol/sdk/types.js";
import { PveError, ScopeError } from "../pve/errors.ts";
import { InvalidSegmentError } from "../pve/path.ts";
import type { ServerOptions } from "./options.ts";
import { invalidParams, RPC, RpcError, resourceNotFound } from "./rpc-errors.ts";
import { isViewUri, readView, UI_RESOURCES } from "./ui-resources.ts";

export const RESOURCES_CAPABILITY = { subscribe: true };

const json = { mimeType: "application/json" };

export const RESOURCE_TEMPLATES: ResourceTemplate[] = [
  {
    uriTemplate: "pve://nodes/{node}/status",
    name: "node-status",
    title: "Node status",
    description: "CPU, memory, disk, load, kernel and PVE version of one node",
    ...json,
  },
  {
    uriTemplate: "pve://guests/{vmid}/config",
    name: "guest-config",
    title: "Guest configuration",
    description: "The configuration of a VM or container, found by vmid alone",
    ...json,
  },
  {
    uriTemplate: "pve://guests/{vmid}/status",
    name: "guest-status",
    title: "Guest status",
    description: "Running state, lock, uptime and usage of a VM or container",
    ...json,
  },
  {
    uriTemplate: "pve://storage/{node}/{storage}/content",
    name: "storage-content",
    title: "Storage content",
    description: "Volumes on a storage as one node sees it: disks, ISOs, templates, backups",
    ...json,
  },
  {
    uriTemplate: "pve://tasks/{upid}/log",
    name: "task-log",
    title: "Task log",
    description: "The log lines of a task (UPID); subscribe to follow a running one",
    ...json,
  },
];

const DEFAULT_POLL_MS = 5000;

export function registerResources(server: Server, options: ServerOptions): void {
  const reader = () => import("./resource-read.ts");
  const read = async (uri: string, signal?: AbortSignal) => {
    try {
      if (isViewUri(uri)) return { ...(await readView(uri)), watch: uri };
      const pve = options.pve();
      return await (await reader()).readResource(pve, pve.scope, uri, signal);
    } catch (error) {
      throw readError(uri, error);
    }
  };

  server.setRequestHandler(ListResourceTemplatesRequestSchema, async () => ({
    resourceTemplates: RESOURCE_TEMPLATES,
  }));
  server.setRequestHandler(ListResourcesRequestSchema, async (request, extra) => {
    const cursor = request.params?.cursor;
    const pve = options.pve();
    const page = await (await reader()).listResources(pve, pve.scope, cursor, extra.signal);
    return cursor ? page : { ...page, resources: [...page.resources, ...UI_RESOURCES] };
  });
  server.setRequestHandler(ReadResourceRequestSchema, async (request, extra) => {
    const { watch: _, ...content } = await read(request.params.uri, extra.signal);
    return { contents: [content] };
  });

  const watcher = new Watcher(server, read, options.resourcePollMs ?? DEFAULT_POLL_MS);
  server.setRequestHandler(SubscribeRequestSchema, async (request) => {
    await watcher.subscribe(request.params.uri);
    return {};
  });
  server.setRequestHandler(UnsubscribeRequestSchema, async (request) => {
    watcher.unsubscribe(request.params.uri);
    return {};
  });
  const previous = server.onclose;
  server.onclose = () => {
    watcher.stop();
    previous?.();
  };
}

/**
 * What a failed read answers: -32002 when the URI names nothing Proxmox has (PVE says 500 "does
 * not exist" for a missing guest), our own coded errors as they are, anything else -32603 with
 * what went wrong.
 */
function readError(uri: string, error: unknown): Error {
  // The client's guard refused it: the reader asked for something outside the scope.
  if (error instanceof ScopeError) return invalidParams(error.message);
  if (error instanceof PveError && error.isNotFound) return resourceNotFound(uri, error.reason);
  if (error instanceof InvalidSegmentError) return resourceNotFound(uri, error.message);
  if (typeof (error as { code?: unknown }).code === "number") return error as Error; // already coded
  return new RpcError(RPC.internalError, `Could not read ${uri}: ${(error as Error).message}`);
}

/** Polls the subscribed resources on one timer; runs only while something is subscribed. */
class Watcher {
  readonly #last = new Map<string, string>();
  #timer?: ReturnType<typeof setInterval>;
  #busy = false;

  constructor(
    private readonly server: Server,
    private readonly read: (uri: string) => Promise<{ watch: unknown }>,
    private readonly pollMs: number,
  ) {}

  /** Reads once (an unknown or refused resource fails the subscribe), then watches. */
  async subscribe(uri: string): Promise<void> {
    const first = JSON.stringify((await this.read(uri)).watch);
    this.#last.set(uri, first);
    this.#timer ??= setInterval(() => void this.#tick(), this.pollMs);
    this.#timer.unref?.();
  }

  unsubscribe(uri: string): void {
    this.#last.delete(uri);
    if (this.#last.size === 0) this.stop();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#last.clear();
  }

  async #tick(): Promise<void> {
    if (this.#busy) return;
    if (!this.server.transport) return this.stop();
    this.#busy = true;
    try {
      for (const [uri, before] of [...this.#last]) {
        // A failure is a state too: a guest that disappears, a node that goes offline.
        const now = await this.read(uri).then(
          (r) => JSON.stringify(r.watch),
          (error: Error) => `error: ${error.message}`,
        );
        if (!this.#last.has(uri) || now === before) continue;
        this.#last.set(uri, now);
        await this.server.sendResourceUpdated({ uri }).catch(() => {});
      }
    } finally {
      this.#busy = false;
    }
  }
}
