// What the API schema says about privileges in prose, read once by a person and written down
// here as data. Each reading quotes the description word for word: when a PVE release changes
// the text, `bun scripts/docs.ts --check` fails until it is read again. `needs` are privileges
// the tool cannot work without (granted by `proxmox-mcp role`); `also` is what the text asks
// only in some cases (another user's task, a privileged container), shown but not granted.

/** `PRIV@PATH`, the path as the schema templates it. */
export type GrantText = string;

export interface Reading {
  text: string;
  /** Alternatives, each a list of grants all needed; a function when the tool's params decide. */
  needs?: GrantText[][] | ((params: ReadonlySet<string>) => GrantText[][]);
  also?: string;
}

const STORAGE_SPACE = "Datastore.AllocateSpace@/storage/{storage}";
const BRIDGE = "SDN.Use@/sdn/zones/{zone}/{bridge}";
const REPLICATE: Reading = {
  text: "Requires the VM.Replicate permission on /vms/<vmid>.",
  needs: [["VM.Replicate@/vms/{vmid}"]],
};
const STORAGE_LIST: Reading = {
  text: "Only list entries where you have 'Datastore.Audit' or 'Datastore.AllocateSpace' permissions on '/storage/<storage>'",
  needs: [["Datastore.Audit@/storage/{storage}"], [STORAGE_SPACE]],
};
const TASK_READ = (verb: string): Reading => ({
  text: `The user needs 'Sys.Audit' permissions on '/nodes/<node>' if they ${verb} the owner of the task.`,
  also: "Sys.Audit on /nodes/{node} to read tasks another user started",
});
const CONSOLE_TICKET: Reading = { text: "You also need to pass a valid ticket (vncticket)." };
const MOVE_DISK = (what: string, target: string): Reading => ({
  text: `You need 'VM.Config.Disk' permissions on /vms/{vmid}, and 'Datastore.AllocateSpace' permissions on the storage. To move a ${what} to another ${target}, you need the permissions on the target ${target} as well.`,
  needs: [[STORAGE_SPACE]],
});
const TEMPLATE: Reading = { text: "You need 'VM.Allocate' permissions on /vms/{vmid}" };

/** A guest made from nothing, from a backup (`archive`/`restore`), or into a pool. */
const create =
  (restoreParam: string) =>
  (params: ReadonlySet<string>): GrantText[][] => {
    const extra = [STORAGE_SPACE, ...(params.has("net0") ? [BRIDGE] : [])];
    const made = [["VM.Allocate@/vms/{vmid}", ...extra]];
    return params.has(restoreParam) ? [...made, ["VM.Backup@/vms/{vmid}", ...extra]] : made;
  };

export const READINGS: Record<string, Reading> = {
  "DELETE /cluster/replication/{id}": REPLICATE,
  "POST /cluster/replication": REPLICATE,
  "PUT /cluster/replication/{id}": REPLICATE,
  "DELETE /nodes/{node}/storage/{storage}/content/{volume}": {
    text: "You need 'Datastore.Allocate' privilege on the storage (or 'Datastore.AllocateSpace' for backup volumes if you have VM.Backup privilege on the VM).",
    needs: [["Datastore.Allocate@/storage/{storage}"]],
    also: "for backup volumes, Datastore.AllocateSpace with VM.Backup on the guest does instead",
  },
  "DELETE /nodes/{node}/storage/{storage}/prunebackups": {
    text: "You need the 'Datastore.Allocate' privilege on the storage (or if a VM ID is specified, 'Datastore.AllocateSpace' and 'VM.Backup' for the VM).",
    needs: (params) => [
      ["Datastore.Allocate@/storage/{storage}"],
      ...(params.has("vmid") ? [[STORAGE_SPACE, "VM.Backup@/vms/{vmid}"]] : []),
    ],
  },
  "DELETE /nodes/{node}/tasks/{upid}": {
    text: "The user needs 'Sys.Modify' permissions on '/nodes/<node>' if they aren't the owner of the task.",
    also: "Sys.Modify on /nodes/{node} to stop a task another user started",
  },
  "DELETE /pools": { text: "You can only delete empty pools (no members)." },
  "GET /access/acl": {
    text: "The returned list is restricted to objects where you have rights to modify permissions.",
    also: "lists only the ACLs on paths where the credentials may modify permissions",
  },
  "GET /access/permissions": {
    text: "Each user/token is allowed to dump their own permissions (or that of owned tokens). A user can dump the permissions of another user or their tokens if they have 'Sys.Audit' permission on /access.",
    also: "Sys.Audit on /access to read another user's permissions",
  },
  "GET /access/users": {
    text: "The returned list is restricted to users where you have 'User.Modify' or 'Sys.Audit' permissions on '/access/groups' or on a group the user belongs too. But it always includes the current (authenticated) user.",
    needs: [["Sys.Audit@/access/groups"], ["User.Modify@/access/groups"]],
  },
  "GET /cluster/log": {
    text: "The user needs 'Sys.Syslog' on '/' in order to get all logs.",
    needs: [["Sys.Syslog@/"]],
  },
  "GET /cluster/replication": {
    text: "Will only return replication jobs for which the calling user has VM.Audit permission on /vms/<vmid>.",
    needs: [["VM.Audit@/vms/{vmid}"]],
  },
  "GET /nodes/{node}/lxc/{vmid}/vncwebsocket": CONSOLE_TICKET,
  "GET /nodes/{node}/qemu/{vmid}/vncwebsocket": CONSOLE_TICKET,
  "GET /nodes/{node}/vncwebsocket": CONSOLE_TICKET,
  "GET /nodes/{node}/storage": STORAGE_LIST,
  "GET /storage": STORAGE_LIST,
  "GET /nodes/{node}/tasks": {
    text: "List task associated with the current user, or all task the user has 'Sys.Audit' permissions on /nodes/<node> (the <node> the task runs on).",
    needs: [["Sys.Audit@/nodes/{node}"]],
  },
  "GET /nodes/{node}/tasks/{upid}/log": TASK_READ("aren't"),
  "GET /nodes/{node}/tasks/{upid}/status": TASK_READ("are not"),
  "GET /pools": {
    text: "List all pools where you have Pool.Audit permissions on /pool/<pool>, or the pool specific with {poolid}",
    needs: [["Pool.Audit@/pool/{poolid}"]],
  },
  "POST /access/users": {
    text: "You need 'Realm.AllocateUser' on '/access/realm/<realm>' on the realm of user <userid>, and 'User.Modify' permissions to '/access/groups/<group>' for any group specified (or 'User.Modify' on '/access/groups' if you pass no groups.",
  },
  "POST /nodes/{node}/lxc": {
    text: "You need 'VM.Allocate' permission on /vms/{vmid} or on the VM pool /pool/{pool}. For restore, it is enough if the user has 'VM.Backup' permission and the VM already exists. You also need 'Datastore.AllocateSpace' permissions on the storage. For privileged containers, 'Sys.Modify' permissions on '/' are required.",
    needs: create("restore"),
    also: "Sys.Modify on / for a privileged container (unprivileged=0)",
  },
  "POST /nodes/{node}/qemu": {
    text: "You need 'VM.Allocate' permissions on /vms/{vmid} or on the VM pool /pool/{pool}. For restore (option 'archive'), it is enough if the user has 'VM.Backup' permission and the VM already exists. If you create disks you need 'Datastore.AllocateSpace' on any used storage.If you use a bridge/vlan, you need 'SDN.Use' on any used bridge/vlan.",
    needs: create("archive"),
  },
  "POST /nodes/{node}/lxc/{vmid}/clone": {
    text: "You need 'VM.Clone' permissions on /vms/{vmid}, and 'VM.Allocate' permissions on /vms/{newid} (or on the VM pool /pool/{pool}). You also need 'Datastore.AllocateSpace' on any used storage, and 'SDN.Use' on any bridge.",
    needs: [[STORAGE_SPACE, BRIDGE]],
  },
  "POST /nodes/{node}/qemu/{vmid}/clone": {
    text: "You need 'VM.Clone' permissions on /vms/{vmid}, and 'VM.Allocate' permissions on /vms/{newid} (or on the VM pool /pool/{pool}). You also need 'Datastore.AllocateSpace' on any used storage and 'SDN.Use' on any used bridge/vnet",
    needs: [[STORAGE_SPACE, BRIDGE]],
  },
  "POST /nodes/{node}/lxc/{vmid}/move_volume": MOVE_DISK("volume", "container"),
  "POST /nodes/{node}/qemu/{vmid}/move_disk": MOVE_DISK("disk", "VM"),
  "POST /nodes/{node}/qemu/{vmid}/status/suspend": {
    text: "You need 'VM.PowerMgmt' on /vms/{vmid}, and if you have set 'todisk', you need also 'VM.Config.Disk' on /vms/{vmid} and 'Datastore.AllocateSpace' on the storage for the vmstate.",
    also: "VM.Config.Disk and Datastore.AllocateSpace to suspend to disk (todisk)",
  },
  "POST /nodes/{node}/lxc/{vmid}/template": TEMPLATE,
  "POST /nodes/{node}/qemu/{vmid}/template": TEMPLATE,
  "POST /nodes/{node}/storage/{storage}/download-url": {
    text: "Requires allocation access on the storage and as this allows one to probe the (local!) host network indirectly it also requires one of Sys.Modify on / (for backwards compatibility) or the newer Sys.AccessNetwork privilege on the node.",
  },
  "POST /nodes/{node}/vzdump": {
    text: "The user needs 'VM.Backup' permissions on any VM, and 'Datastore.AllocateSpace' on the backup storage (and fleecing storage when fleecing is used). The 'tmpdir', 'dumpdir', 'script' and 'job-id' parameters are restricted to the 'root@pam' user. The 'prune-backups' setting requires 'Datastore.Allocate' on the backup storage. The 'bwlimit', 'performance' and 'ionice' parameters require 'Sys.Modify' on '/'.",
    needs: [["VM.Backup@/vms/{vmid}", STORAGE_SPACE]],
    also: "Datastore.Allocate on the storage when old backups are pruned (remove)",
  },
  "PUT /nodes/{node}/lxc/{vmid}/config": {
    text: "non-volume mount points in rootfs and mp[n] are restricted to root@pam",
    also: "bind mounts and device mount points are root@pam's alone",
  },
  "PUT /pools": {
    text: "You also need the right to modify permissions on any object you add/delete.",
    // PVE's perm-modify check: Permissions.Modify, or the object's own allocate privilege.
    needs: (params) =>
      params.has("vms") || params.has("storage")
        ? [
            ["VM.Allocate@/vms/{vmid}", "Datastore.Allocate@/storage/{storage}"],
            ["Permissions.Modify@/vms/{vmid}", "Permissions.Modify@/storage/{storage}"],
          ]
        : [[]],
  },
};
