// /cluster/ha/resources: the guests HA manages (add, change, remove).

import type { MockHaResource } from "../datacenter.ts";
import { fail, locked } from "../errors.ts";
import { sectionDigest } from "../format.ts";
import { splitList } from "../formats/index.ts";
import type { MockContext, Route } from "../router.ts";
import { nodeOnline } from "./cluster.ts";

const audit = [{ path: "/", privs: ["Sys.Audit"] }];
const console_ = [{ path: "/", privs: ["Sys.Console"] }];

const sidParam = {
  type: "string",
  format: "pve-ha-resource-or-vm-id",
  description:
    "HA resource ID. This consists of a resource type followed by a resource specific name.",
} as const;

const RESOURCE_OPTIONS = {
  comment: { type: "string", optional: true, maxLength: 4096, description: "Description." },
  failback: { type: "boolean", optional: true, default: 1 },
  group: {
    type: "string",
    optional: true,
    format: "pve-configid",
    description: "The HA group identifier.",
  },
  max_relocate: { type: "integer", optional: true, minimum: 0, default: 1 },
  max_restart: { type: "integer", optional: true, minimum: 0, default: 1 },
  state: {
    type: "string",
    optional: true,
    enum: ["started", "stopped", "enabled", "disabled", "ignored"],
    default: "started",
    description: "Requested resource state.",
  },
} as const;

/** check_cfs_quorum: writes need a quorate cluster. */
function checkQuorum(mock: MockContext): void {
  const nodes = [...mock.state.nodes.keys()];
  const online = nodes.filter((n) => nodeOnline(mock, n)).length;
  if (online * 2 <= nodes.length) throw fail("cluster not ready - no quorum?");
}

/** parse_sid: `100` becomes `vm:100`/`ct:100` from the guest list; `type:name` stays. */
function parseSid(mock: MockContext, sid: string): { sid: string; type: string; name: string } {
  if (/^\d+$/.test(sid)) {
    const g = mock.state.guests.get(Number(sid));
    if (!g) throw fail(`unable to detect SID from VMID - VM/CT ${sid} does not exist`);
    const type = g.type === "qemu" ? "vm" : "ct";
    return { sid: `${type}:${sid}`, type, name: sid };
  }
  const m = /^(\S+):(\S+)$/.exec(sid);
  if (!m) throw fail(`unable to parse service id '${sid}'`);
  return { sid, type: m[1] as string, name: m[2] as string };
}

/** PVE 9 migrates groups to rules; without groups they count as migrated. */
export const migrated = (mock: MockContext): boolean => mock.state.dc.ha.groups.size === 0;

const resourcesDigest = (mock: MockContext): string => sectionDigest(mock.state.dc.ha.resources);

/** Keeps the guest's `hastate` (shown by /cluster/resources) in step with the config. */
function syncGuest(mock: MockContext, r: MockHaResource | undefined, sid: string): void {
  const vmid = Number(sid.split(":")[1]);
  const guest = mock.state.guests.get(vmid);
  if (!guest) return;
  if (r) guest.hastate = r.state ?? "started";
  else delete guest.hastate;
}

function applyOptions(r: MockHaResource, params: Record<string, unknown>): void {
  if (typeof params.comment === "string") r.comment = params.comment;
  if (typeof params.failback === "boolean") r.failback = params.failback;
  if (typeof params.group === "string") r.group = params.group;
  if (typeof params.max_relocate === "number") r.max_relocate = params.max_relocate;
  if (typeof params.max_restart === "number") r.max_restart = params.max_restart;
  if (typeof params.state === "string") r.state = params.state;
}

function resourceRow(
  mock: MockContext,
  r: MockHaResource,
  digest: string,
): Record<string, unknown> {
  const { group, failback, ...rest } = r;
  return {
    ...rest,
    ...(group && !migrated(mock) ? { group } : {}),
    ...(failback !== undefined ? { failback: failback ? 1 : 0 } : {}),
    digest,
  };
}

export const haRoutes: Route[] = [
  {
    method: "GET",
    path: "/cluster/ha/resources",
    description: "List HA resources.",
    permission: audit,
    parameters: {
      type: {
        type: "string",
        optional: true,
        enum: ["ct", "vm"],
        description: "Only list resources of specific type",
      },
    },
    handler: ({ mock, params }) => {
      const digest = resourcesDigest(mock);
      return [...mock.state.dc.ha.resources.values()]
        .filter((r) => params.type === undefined || r.type === params.type)
        .map((r) => resourceRow(mock, r, digest));
    },
  },
  {
    method: "POST",
    path: "/cluster/ha/resources",
    description: "Create a new HA resource.",
    permission: console_,
    parameters: {
      sid: sidParam,
      type: { type: "string", optional: true, enum: ["ct", "vm"], description: "Resource type." },
      ...RESOURCE_OPTIONS,
    },
    handler: ({ mock, params }) => {
      checkQuorum(mock);
      const { sid, type, name } = parseSid(mock, String(params.sid));
      if (typeof params.type === "string" && params.type !== type)
        throw fail("types does not match");
      if (params.group !== undefined && migrated(mock)) {
        throw fail("invalid parameter 'group': ha groups have been migrated to rules");
      }
      if (type !== "vm" && type !== "ct") throw fail(`unknown resource type '${type}'`);
      const guest = mock.state.guests.get(Number(name));
      if (!guest) throw fail(`resource '${sid}' does not exist in cluster`);
      if ((type === "vm") !== (guest.type === "qemu")) {
        throw fail(
          `resource '${sid}' - guest with ID ${name} is not a ${type === "vm" ? "VM" : "container"}`,
        );
      }
      return locked("create resource failed", () => {
        if (mock.state.dc.ha.resources.has(sid)) throw fail(`resource ID '${sid}' already defined`);
        const r: MockHaResource = { sid, type };
        applyOptions(r, params);
        mock.state.dc.ha.resources.set(sid, r);
        syncGuest(mock, r, sid);
        return null;
      });
    },
  },
  {
    method: "GET",
    path: "/cluster/ha/resources/{sid}",
    description: "Read resource configuration.",
    permission: audit,
    parameters: { sid: sidParam },
    handler: ({ mock, params }) => {
      const { sid } = parseSid(mock, String(params.sid));
      const r = mock.state.dc.ha.resources.get(sid);
      if (!r) throw fail(`no such resource '${sid}'`);
      return resourceRow(mock, r, resourcesDigest(mock));
    },
  },
  {
    method: "PUT",
    path: "/cluster/ha/resources/{sid}",
    description: "Update resource configuration.",
    permission: console_,
    parameters: {
      sid: sidParam,
      ...RESOURCE_OPTIONS,
      delete: { type: "string", optional: true, format: "pve-configid-list", maxLength: 4096 },
      digest: { type: "string", optional: true, maxLength: 64 },
    },
    handler: ({ mock, params }) => {
      const { sid } = parseSid(mock, String(params.sid));
      if (params.group !== undefined && migrated(mock)) {
        throw fail("invalid parameter 'group': ha groups have been migrated to rules");
      }
      if (typeof params.group === "string" && !mock.state.dc.ha.groups.has(params.group)) {
        throw fail(`HA group '${params.group}' does not exist`);
      }
      return locked("update resources config failed", () => {
        if (typeof params.digest === "string" && params.digest !== resourcesDigest(mock)) {
          throw fail("detected modified configuration - file changed by other user? Try again.");
        }
        const r = mock.state.dc.ha.resources.get(sid);
        if (!r) throw fail(`no such resource '${sid}'`);
        applyOptions(r, params);
        for (const key of splitList(params.delete)) {
          if (!(key in RESOURCE_OPTIONS)) throw fail(`no such option '${key}'`);
          delete r[key as keyof typeof RESOURCE_OPTIONS];
        }
        syncGuest(mock, r, sid);
        return null;
      });
    },
  },
  {
    method: "DELETE",
    path: "/cluster/ha/resources/{sid}",
    description: "Delete resource configuration.",
    permission: console_,
    parameters: {
      sid: sidParam,
      purge: { type: "boolean", optional: true, default: 1 },
    },
    handler: ({ mock, params }) => {
      const { sid } = parseSid(mock, String(params.sid));
      const ha = mock.state.dc.ha;
      if (!ha.resources.has(sid)) throw fail(`cannot delete service '${sid}', not HA managed!`);
      ha.resources.delete(sid);
      syncGuest(mock, undefined, sid);
      if (params.purge !== false) {
        for (const [id, rule] of ha.rules) {
          const left = rule.resources.split(",").filter((s) => s !== sid);
          if (left.length === 0) ha.rules.delete(id);
          else rule.resources = left.join(",");
        }
      }
      return null;
    },
  },
];
