// Snapshots of qemu and lxc guests: list, create, read, delete, rollback.
import { fail, TaskFailure } from "../errors.ts";
import { loadGuest, lockError, markRunning, markStopped, setLock, typeWord } from "../guests.ts";
import { node, snapname, vmid } from "../params.ts";
import type { MockContext, Route } from "../router.ts";
import type { GuestType, MockGuest } from "../state.ts";

const audit = [{ path: "/vms/{vmid}", privs: ["VM.Audit"] }];
const snapshotPriv = [{ path: "/vms/{vmid}", privs: ["VM.Snapshot"] }];

function findSnapshot(guest: MockGuest, name: string) {
  const snap = guest.snapshots.find((s) => s.name === name);
  if (!snap) throw fail(`snapshot '${name}' does not exist`);
  return snap;
}

/** Disk lines of a snapshot task, as lvmthin prints them. */
function diskLines(mock: MockContext, guest: MockGuest, name: string): string[] {
  return mock.state.volumes
    .filter((v) => v.vmid === guest.vmid && (v.content === "images" || v.content === "rootdir"))
    .map((v) => `  Logical volume "snap_${v.volid.split(":")[1]}_${name}" created.`);
}

/**
 * Runs a snapshot task as PVE's snapshot_create/delete/rollback do: the worker takes the config
 * lock, checks and sets the `lock` property (prepare), lets the flock go, does its work.
 */
function lockedTask(
  mock: MockContext,
  args: {
    guest: MockGuest;
    type: string;
    lock: string;
    who: Parameters<Route["handler"]>[0]["who"];
    /** More checks of the prepare step (a snapshot name already used). */
    prepare?: () => void;
  },
  lines: string[],
  finish: () => void,
): string {
  const { guest, type, lock, who } = args;
  return mock.tasks.start({
    node: guest.node,
    type,
    id: String(guest.vmid),
    who,
    lock: { target: guest, briefly: true },
    begin: () => {
      const locked = lockError(guest);
      if (locked) throw new TaskFailure(locked);
      args.prepare?.();
      setLock(guest, lock);
      return undefined;
    },
    lines: lines.map((text, i) => ({ at: (i + 1) / (lines.length + 1), text })),
    finish: () => {
      finish();
      return undefined;
    },
    cleanup: () => {
      if (guest.lock === lock) setLock(guest, undefined);
    },
  }).upid;
}

export function snapshotRoutes(kind: GuestType): Route[] {
  const base = `/nodes/{node}/${kind}/{vmid}/snapshot`;
  const prefix = kind === "qemu" ? "qm" : "vz";
  const load = (mock: MockContext, params: Record<string, unknown>) =>
    loadGuest(mock.state, kind, String(params.node), Number(params.vmid));
  return [
    {
      method: "GET",
      path: base,
      description: "List all snapshots.",
      permission: audit,
      proxyto: "node",
      parameters: { node, vmid },
      handler: ({ mock, params }) => {
        const guest = load(mock, params);
        const rows: Record<string, unknown>[] = guest.snapshots.map((s) => ({
          name: s.name,
          description: s.description,
          snaptime: s.snaptime,
          ...(s.parent ? { parent: s.parent } : {}),
          ...(kind === "qemu" ? { vmstate: s.vmstate ? 1 : 0 } : {}),
        }));
        const parent = guest.config.parent;
        rows.push({
          name: "current",
          description: "You are here!",
          ...(parent ? { parent } : {}),
          ...(kind === "qemu" ? { running: guest.status === "running" ? 1 : 0 } : {}),
        });
        return rows;
      },
    },
    {
      method: "POST",
      path: base,
      description: "Snapshot a VM.",
      permission: snapshotPriv,
      proxyto: "node",
      parameters: {
        node,
        vmid,
        snapname,
        description: {
          type: "string",
          optional: true,
          description: "A textual description or comment.",
        },
        ...(kind === "qemu"
          ? { vmstate: { type: "boolean", optional: true, description: "Save the vmstate" } }
          : {}),
      },
      handler: ({ mock, params, who }) => {
        const guest = load(mock, params);
        const name = String(params.snapname);
        if (name === "current") throw fail("unable to use snapshot name 'current' (reserved name)");
        if (name.toLowerCase() === "pending") {
          throw fail("unable to use snapshot name 'pending' (reserved name)");
        }
        const lines = [
          ...(params.vmstate === true ? ["saving VM state and RAM using storage 'local-lvm'"] : []),
          ...diskLines(mock, guest, name),
        ];
        return lockedTask(
          mock,
          {
            guest,
            type: `${prefix}snapshot`,
            lock: "snapshot",
            who,
            prepare: () => {
              if (guest.snapshots.some((s) => s.name === name)) {
                throw new TaskFailure(`snapshot name '${name}' already used`);
              }
            },
          },
          lines,
          () => {
            const { parent, ...config } = guest.config;
            guest.snapshots.push({
              name,
              description: typeof params.description === "string" ? params.description : "",
              snaptime: Math.floor(Date.now() / 1000),
              ...(typeof parent === "string" ? { parent } : {}),
              ...(params.vmstate === true ? { vmstate: true } : {}),
              config,
            });
            guest.config.parent = name;
          },
        );
      },
    },
    {
      method: "GET",
      path: `${base}/{snapname}`,
      description: "Directory index of a snapshot.",
      permission: "all",
      proxyto: "node",
      parameters: { node, vmid, snapname },
      handler: ({ mock, params }) => {
        findSnapshot(load(mock, params), String(params.snapname));
        return [{ cmd: "config" }, { cmd: "rollback" }];
      },
    },
    {
      method: "DELETE",
      path: `${base}/{snapname}`,
      description: "Delete a VM snapshot.",
      permission: snapshotPriv,
      proxyto: "node",
      parameters: {
        node,
        vmid,
        snapname,
        force: {
          type: "boolean",
          optional: true,
          description: "For removal from config file, even if removing disk snapshots fails.",
        },
      },
      handler: ({ mock, params, who }) => {
        const guest = load(mock, params);
        const snap = findSnapshot(guest, String(params.snapname));
        const lines = diskLines(mock, guest, snap.name).map((l) =>
          l.replace("created.", "successfully removed."),
        );
        return lockedTask(
          mock,
          { guest, type: `${prefix}delsnapshot`, lock: "snapshot-delete", who },
          lines,
          () => {
            // Children of the removed snapshot take its parent.
            for (const s of guest.snapshots) if (s.parent === snap.name) s.parent = snap.parent;
            if (guest.config.parent === snap.name) {
              if (snap.parent) guest.config.parent = snap.parent;
              else delete guest.config.parent;
            }
            guest.snapshots = guest.snapshots.filter((s) => s !== snap);
          },
        );
      },
    },
    {
      method: "POST",
      path: `${base}/{snapname}/rollback`,
      description: "Rollback VM state to specified snapshot.",
      permission: [
        { path: "/vms/{vmid}", privs: ["VM.Snapshot", "VM.Snapshot.Rollback"], any: true },
      ],
      proxyto: "node",
      parameters: {
        node,
        vmid,
        snapname,
        start: {
          type: "boolean",
          optional: true,
          default: 0,
          description: `Whether the ${typeWord(kind)} should get started after rolling back successfully.`,
        },
      },
      handler: ({ mock, params, who }) => {
        const guest = load(mock, params);
        const snap = findSnapshot(guest, String(params.snapname));
        const lines = mock.state.volumes
          .filter(
            (v) => v.vmid === guest.vmid && (v.content === "images" || v.content === "rootdir"),
          )
          .map((v) => `  Logical volume "${v.volid.split(":")[1]}" successfully removed.`);
        return lockedTask(
          mock,
          { guest, type: `${prefix}rollback`, lock: "rollback", who },
          lines,
          () => {
            guest.config = { ...snap.config, parent: snap.name };
            // Without a saved RAM state the guest is stopped after the rollback.
            if (!snap.vmstate) markStopped(guest);
            if (params.start === true && guest.status !== "running") markRunning(guest);
          },
        );
      },
    },
  ];
}
