// MCP Apps (the io.modelcontextprotocol/ui extension): the views a host renders tool results in,
// served as ui:// resources of type text/html;profile=mcp-app. Each is one self-contained HTML
// file built from src/ui by `bun run docs` and embedded in the binary; it loads on first read.

import type { Server } from "@modelcontextprotocol/sdk/server/index.js";
import type { Resource } from "@modelcontextprotocol/sdk/types.js";
import { CLUSTER_VIEW, GUEST_VIEW } from "../tools/views.ts";

export const UI_EXTENSION_ID = "io.modelcontextprotocol/ui";
export const UI_MIME_TYPE = "text/html;profile=mcp-app";

/** What the server advertises under capabilities.extensions. */
export const UI_EXTENSION = { [UI_EXTENSION_ID]: { mimeTypes: [UI_MIME_TYPE] } };

export const UI_RESOURCES: Resource[] = [
  {
    uri: CLUSTER_VIEW,
    name: "cluster-view",
    title: "Cluster view",
    description:
      "Interactive view of nodes, guests, storages and recent tasks, shown with show_cluster",
    mimeType: UI_MIME_TYPE,
  },
  {
    uri: GUEST_VIEW,
    name: "guest-view",
    title: "Guest view",
    description: "Interactive view of one VM or container, shown with show_guest",
    mimeType: UI_MIME_TYPE,
  },
];

const HTML: Record<string, () => Promise<{ default: unknown }>> = {
  [CLUSTER_VIEW]: () => import("../ui/generated/cluster.html", { with: { type: "text" } }),
  [GUEST_VIEW]: () => import("../ui/generated/guest.html", { with: { type: "text" } }),
};

export const isViewUri = (uri: string): boolean => uri in HTML;

/** The client said it renders MCP Apps HTML views (capabilities.extensions). */
export function clientRendersViews(server: Server): boolean {
  const ui = server.getClientCapabilities()?.extensions?.[UI_EXTENSION_ID] as
    | { mimeTypes?: unknown }
    | undefined;
  return Array.isArray(ui?.mimeTypes) && ui.mimeTypes.includes(UI_MIME_TYPE);
}

export async function readView(uri: string) {
  const load = HTML[uri];
  if (!load) throw new Error(`no view ${uri}`);
  const text = String((await load()).default);
  // Nothing from the network: the host's restrictive default CSP is all the views need.
  return { uri, mimeType: UI_MIME_TYPE, text, _meta: { ui: { prefersBorder: false } } };
}
