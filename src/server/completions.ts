// completion/complete for the arguments of our prompts and resource templates: vmid, node and
// storage come from one /cluster/resources call (within the scope), filtered by what is typed.

import type { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { CompleteRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { clusterResources } from "../pve/resources.ts";
import type { ServerOptions } from "./options.ts";
import { PROMPTS } from "./prompts.ts";
import { RESOURCE_TEMPLATES } from "./resources.ts";

const MAX_VALUES = 100; // the spec's limit per answer

export function registerCompletions(server: Server, options: ServerOptions): void {
  server.setRequestHandler(CompleteRequestSchema, async (request, extra) => {
    const { scope } = options.pve();
    const { ref, argument, context } = request.params;
    const known =
      ref.type === "ref/prompt"
        ? PROMPTS.some(
            (p) => p.name === ref.name && p.arguments?.some((a) => a.name === argument.name),
          )
        : RESOURCE_TEMPLATES.some(
            (t) => t.uriTemplate === ref.uri && t.uriTemplate.includes(`{${argument.name}}`),
          );
    const none = { completion: { values: [], total: 0, hasMore: false } };
    if (!known || !["vmid", "node", "storage"].includes(argument.name)) return none;
    const rows = await clusterResources(options.pve(), undefined, extra.signal).catch(
      () => undefined,
    );
    if (!rows) return none;
    const node = context?.arguments?.node;
    const candidates =
      argument.name === "vmid"
        ? rows
            .filter(
              (r) =>
                (r.type === "qemu" || r.type === "lxc") &&
                scope.allowsGuest({ ...r, vmid: r.vmid ?? 0 }),
            )
            .map((r) => r.vmid ?? 0)
            .sort((a, b) => a - b)
            .map(String)
        : argument.name === "node"
          ? rows
              .filter((r) => r.type === "node" && r.node && scope.allowsNode(r.node))
              .map((r) => r.node ?? "")
              .sort()
          : rows
              .filter(
                (r) =>
                  r.type === "storage" &&
                  (!node || r.node === node) &&
                  scope.allowsNode(r.node ?? ""),
              )
              .map((r) => r.storage ?? "")
              .sort();
    const values = [...new Set(candidates)].filter((v) => v.startsWith(argument.value));
    return {
      completion: {
        values: values.slice(0, MAX_VALUES),
        total: values.length,
        hasMore: values.length > MAX_VALUES,
      },
    };
  });
}
