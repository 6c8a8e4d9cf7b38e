// DELETE …/{vmid} and POST …/migrate for qemu and lxc.

import { removeGuestVolumes } from "../disks.ts";
import { fail, paramError, TaskFailure } from "../errors.ts";
import { formatBytes, formatHms, logTime } from "../format.ts";
import { loadGuest, lockError, markRunning, setLock, typeWord } from "../guests.ts";
import { node, skiplock, vmid } from "../params.ts";
import type { MockContext, Route } from "../router.ts";
import { type GuestType, guestMaxmem, type MockGuest, type TaskLogLine } from "../state.ts";

function destroyRoute(kind: GuestType): Route {
  const word = typeWord(kind);
  return {
    method: "DELETE",
    path: `/nodes/{node}/${kind}/{vmid}`,
    description:
      kind === "qemu"
        ? "Destroy the VM and  all used/owned volumes. Removes any VM specific permissions and firewall rules"
        : "Destroy the container (also delete all uses files).",
    permission: [{ path: "/vms/{vmid}", privs: ["VM.Allocate"] }],
    proxyto: "node",
    parameters: {
      node,
      vmid,
      purge: {
        type: "boolean",
        optional: true,
        description: "Remove VMID from configurations, like backup & replication jobs and HA.",
      },
      "destroy-unreferenced-disks": {
        type: "boolean",
        optional: true,
        description:
          "If set, destroy additionally all disks not referenced in the config but with a matching VMID from all enabled storages.",
      },
      ...(kind === "qemu"
        ? { skiplock }
        : {
            force: {
              type: "boolean",
              optional: true,
              default: 0,
              description: "Force destroy, even if running.",
            },
          }),
    },
    handler: ({ mock, params, who }) => {
      const nodeName = String(params.node);
      const id = Number(params.vmid);
      const guest = loadGuest(mock.state, kind, nodeName, id);
      if (Number(guest.config.protection ?? 0) === 1) {
        throw fail(`can't remove ${word} ${id} - protection mode enabled`);
      }
      if (guest.hastate && params.purge !== true) {
        throw fail(
          `unable to remove ${word} ${id} - used in HA resources and purge parameter not set.`,
        );
      }
      if (guest.status === "running") {
        if (kind === "qemu") throw fail(`VM ${id} is running - destroy failed`);
        if (params.force !== true) throw fail(`unable to destroy CT ${id} - container is running`);
      }
      return mock.tasks.start({
        node: nodeName,
        type: kind === "qemu" ? "qmdestroy" : "vzdestroy",
        id: String(id),
        who,
        lock: { target: guest },
        error: params.skiplock === true ? undefined : lockError(guest),
        finish: () => {
          const lines = removeGuestVolumes(mock.state, id);
          mock.state.guests.delete(id);
          if (params.purge === true)
            lines.push(`purging ${word} ${id} from related configurations..`);
          return lines;
        },
      }).upid;
    },
  };
}

/** Migration log: every line prefixed with the local time it was written. */
function timed(startMs: number, durationMs: number, texts: [number, string][]): TaskLogLine[] {
  return texts.map(([at, text]) => ({ at, text: `${logTime(startMs + at * durationMs)} ${text}` }));
}

function migrationLines(
  mock: MockContext,
  g: MockGuest,
  target: string,
  online: boolean,
  durationMs: number,
): TaskLogLine[] {
  const now = Date.now();
  const ip = mock.state.nodes.get(target)?.ip ?? "";
  const word = g.type === "qemu" ? "VM" : "CT";
  const lines: [number, string][] = [
    [0, `starting migration of ${word} ${g.vmid} to node '${target}' (${ip})`],
  ];
  const disks = mock.state.volumes.filter(
    (v) => v.vmid === g.vmid && (v.content === "images" || v.content === "rootdir"),
  );
  for (const d of disks) lines.push([0.02, `found local disk '${d.volid}' (attached)`]);
  if (online && g.type === "qemu") {
    const mem = guestMaxmem(g);
    lines.push(
      [0.05, `starting VM ${g.vmid} on remote node '${target}'`],
      [0.1, "start remote tunnel"],
      [0.12, "ssh tunnel ver 1"],
      [0.15, `starting online/live migration on unix:/run/qemu-server/${g.vmid}.migrate`],
      [0.16, "set migration capabilities"],
      [0.17, "migration downtime limit: 100 ms"],
      [0.18, "migration cachesize: 512.0 MiB"],
      [0.19, "set migration parameters"],
      [0.2, `start migrate command to unix:/run/qemu-server/${g.vmid}.migrate`],
    );
    for (let i = 1; i <= 4; i++) {
      lines.push([
        0.2 + i * 0.15,
        `migration active, transferred ${formatBytes((mem * i) / 5)} of ${formatBytes(mem)} VM-state, 112.4 MiB/s`,
      ]);
    }
    lines.push(
      [0.85, "average migration speed: 108.3 MiB/s - downtime 41 ms"],
      [0.86, `migration completed, transferred ${formatBytes(mem)} VM-state`],
      [0.87, "migration status: completed"],
    );
  } else if (disks.length > 0) {
    lines.push([0.1, "copying local disk images"]);
    for (const [i, d] of disks.entries()) {
      lines.push([
        0.2 + (i * 0.6) / disks.length,
        `${d.volid.split(":")[1]}: transferred ${formatBytes(d.size)} of ${formatBytes(d.size)} (100.00%)`,
      ]);
    }
  }
  return timed(now, durationMs, lines);
}

function migrateRoute(kind: GuestType): Route {
  const word = typeWord(kind);
  return {
    method: "POST",
    path: `/nodes/{node}/${kind}/{vmid}/migrate`,
    description:
      kind === "qemu"
        ? "Migrate virtual machine. Creates a new migration task."
        : "Migrate the container to another node. Creates a new migration task.",
    permission: [{ path: "/vms/{vmid}", privs: ["VM.Migrate"] }],
    proxyto: "node",
    parameters: {
      node,
      vmid,
      target: { ...node, description: "Target node." },
      online: {
        type: "boolean",
        optional: true,
        description:
          kind === "qemu"
            ? "Use online/live migration if VM is running. Ignored if VM is stopped."
            : "Use online/live migration.",
      },
      bwlimit: {
        type: kind === "qemu" ? "integer" : "number",
        optional: true,
        minimum: 0,
        description: "Override I/O bandwidth limit (in KiB/s).",
      },
      ...(kind === "qemu"
        ? {
            force: {
              type: "boolean",
              optional: true,
              description:
                "Allow to migrate VMs which use local devices. Only root may use this option.",
            },
            migration_network: {
              type: "string",
              optional: true,
              description: "CIDR of the (sub) network that is used for migration.",
            },
            migration_type: {
              type: "string",
              optional: true,
              enum: ["secure", "insecure"],
              description: "Migration traffic is encrypted using an SSH tunnel by default.",
            },
            targetstorage: {
              type: "string",
              optional: true,
              description: "Mapping from source to target storages.",
            },
            "with-conntrack-state": {
              type: "boolean",
              optional: true,
              default: 0,
              description: "Whether to migrate conntrack entries for running VMs.",
            },
            "with-local-disks": {
              type: "boolean",
              optional: true,
              description: "Enable live storage migration for local disk",
            },
          }
        : {
            restart: { type: "boolean", optional: true, description: "Use restart migration" },
            "target-storage": {
              type: "string",
              optional: true,
              description: "Mapping from source to target storages.",
            },
            timeout: {
              type: "integer",
              optional: true,
              default: 180,
              description: "Timeout in seconds for shutdown for restart migration",
            },
          }),
    },
    handler: ({ mock, params, who }) => {
      const nodeName = String(params.node);
      const id = Number(params.vmid);
      const target = String(params.target);
      const guest = loadGuest(mock.state, kind, nodeName, id);
      if (target === nodeName) throw paramError({ target: "target is local node." });
      if (!mock.state.nodes.has(target)) throw fail(`no such cluster node '${target}'`);
      const running = guest.status === "running";
      if (kind === "qemu" && running && params.online !== true) {
        throw fail("can't migrate running VM without --online");
      }
      if (guest.hastate) {
        return mock.tasks.start({
          node: nodeName,
          type: "hamigrate",
          id: String(id),
          who,
          lines: [{ at: 0, text: `Requesting HA migration for ${word} ${id} to node ${target}` }],
          finish: () => moveGuest(mock, id, target),
        }).upid;
      }
      // What prepare() finds wrong ends the task, as AbstractMigrate does.
      let why = lockError(guest);
      if (!why && mock.faults.offlineNodes.has(target))
        why = `Host key verification failed - target node '${target}' not reachable`;
      if (!why && kind === "lxc" && running && params.online === true)
        why = "lxc live migration is currently not implemented";
      if (!why && kind === "lxc" && running && params.restart !== true)
        why = "running container can only be migrated in restart mode";
      const type = kind === "qemu" ? "qmigrate" : "vzmigrate";
      if (why) {
        const t = logTime(Date.now());
        return mock.tasks.start({
          node: nodeName,
          type,
          id: String(id),
          who,
          lines: [
            {
              at: 0,
              text: `${t} starting migration of ${word} ${id} to node '${target}' (${mock.state.nodes.get(target)?.ip})`,
            },
          ],
          finish: () => {
            throw new TaskFailure("migration aborted", [
              `${t} ERROR: migration aborted (duration 00:00:00): ${why}`,
            ]);
          },
        }).upid;
      }
      const startedMs = Date.now();
      setLock(guest, "migrate");
      const durationMs = mock.tasks.durationFor(true);
      const task = mock.tasks.start({
        node: nodeName,
        type,
        id: String(id),
        who,
        long: true,
        lines: migrationLines(mock, guest, target, running, durationMs),
        finish: () => {
          moveGuest(mock, id, target);
          const end = logTime(Date.now());
          const secs = (Date.now() - startedMs) / 1000;
          const g = mock.state.guests.get(id);
          if (kind === "lxc" && running && g) markRunning(g);
          return [`${end} migration finished successfully (duration ${formatHms(secs)})`];
        },
        cleanup: () => {
          const g = mock.state.guests.get(id);
          if (g?.lock === "migrate") setLock(g, undefined);
        },
      });
      return task.upid;
    },
  };
}

function moveGuest(mock: MockContext, id: number, target: string): undefined {
  const g = mock.state.guests.get(id);
  if (!g) throw new TaskFailure(`guest ${id} vanished`);
  g.node = target;
  for (const v of mock.state.volumes) {
    if (
      v.vmid === id &&
      v.node !== undefined &&
      (v.content === "images" || v.content === "rootdir")
    )
      v.node = target;
  }
  return undefined;
}

export function guestLifecycleRoutes(kind: GuestType): Route[] {
  return [destroyRoute(kind), migrateRoute(kind)];
}
