// /nodes/{node}/storage and its content.
import { fail } from "../errors.ts";
import { node, opt, storage, vmid } from "../params.ts";
import { hasPriv } from "../perms.ts";
import type { Route } from "../router.ts";
import { storageOnNode, storageUsed } from "../state.ts";

const auditPrivs = ["Datastore.Audit", "Datastore.AllocateSpace"];

export const storageRoutes: Route[] = [
  {
    method: "GET",
    path: "/nodes/{node}/storage",
    description: "Get status for all datastores.",
    permission: "all",
    proxyto: "node",
    parameters: {
      node,
      content: {
        type: "string",
        optional: true,
        format: "pve-storage-content-list",
        description: "Only list stores which support this content type.",
      },
      enabled: {
        type: "boolean",
        optional: true,
        default: 0,
        description: "Only list stores which are enabled (not disabled in config).",
      },
      format: {
        type: "boolean",
        optional: true,
        default: 0,
        description: "Include information about formats",
      },
      storage: opt(storage, "Only list status for  specified storage"),
      target: {
        type: "string",
        optional: true,
        format: "pve-node",
        description:
          "If target is different to 'node', we only lists shared storages which content is accessible on this 'node' and the specified 'target' node.",
      },
    },
    handler: ({ mock, params, who }) => {
      const nodeName = String(params.node);
      const wanted =
        typeof params.content === "string" ? params.content.split(/[,;\s]+/) : undefined;
      return [...mock.state.storages.values()]
        .filter((s) => storageOnNode(s, nodeName))
        .filter((s) => hasPriv(mock.state, who, `/storage/${s.storage}`, auditPrivs, true))
        .filter((s) => params.storage === undefined || s.storage === params.storage)
        .filter((s) => !wanted || wanted.some((c) => s.content.includes(c)))
        .filter((s) => params.enabled !== true || s.enabled)
        .filter((s) => params.target === undefined || params.target === nodeName || s.shared)
        .map((s) => {
          const used = storageUsed(mock.state, s, nodeName);
          return {
            storage: s.storage,
            type: s.type,
            content: [...s.content].sort().join(","),
            active: s.enabled ? 1 : 0,
            enabled: s.enabled ? 1 : 0,
            shared: s.shared ? 1 : 0,
            total: s.total,
            used,
            avail: s.total - used,
            used_fraction: used / s.total,
          };
        });
    },
  },
  {
    method: "GET",
    path: "/nodes/{node}/storage/{storage}/content",
    description: "List storage content.",
    permission: [{ path: "/storage/{storage}", privs: auditPrivs, any: true }],
    proxyto: "node",
    parameters: {
      node,
      storage,
      content: {
        type: "string",
        optional: true,
        format: "pve-storage-content",
        description: "Only list content of this type.",
      },
      vmid: opt(vmid, "Only list images for this VM"),
    },
    handler: ({ mock, params, who }) => {
      const nodeName = String(params.node);
      const s = mock.state.storages.get(String(params.storage));
      if (!s || !storageOnNode(s, nodeName))
        throw fail(`storage '${params.storage}' does not exist`);
      return (
        mock.state.volumes
          .filter((v) => v.storage === s.storage && (s.shared || v.node === nodeName))
          .filter((v) => params.content === undefined || v.content === params.content)
          .filter((v) => params.vmid === undefined || v.vmid === params.vmid)
          // Guest volumes need VM.Audit on the guest too.
          .filter(
            (v) =>
              v.vmid === undefined ||
              v.content === "backup" ||
              hasPriv(mock.state, who, `/vms/${v.vmid}`, ["VM.Audit"]),
          )
          .map((v) => ({
            volid: v.volid,
            content: v.content,
            format: v.format,
            size: v.size,
            ...(v.ctime !== undefined ? { ctime: v.ctime } : {}),
            ...(v.vmid !== undefined ? { vmid: v.vmid } : {}),
            ...(v.content === "backup"
              ? { notes: v.notes ?? "", ...(v.protected ? { protected: 1 } : {}) }
              : {}),
            ...(v.content === "backup"
              ? { subtype: /vzdump-lxc/.test(v.volid) ? "lxc" : "qemu" }
              : {}),
          }))
      );
    },
  },
];
