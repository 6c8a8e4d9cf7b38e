// /access/groups: user groups of user.cfg (members are the users that name the group).
import { fail } from "../errors.ts";
import type { MockContext, Route } from "../router.ts";
import { checkUserGroup } from "./access-users.ts";

const groupid = { type: "string", format: "pve-groupid", description: "Group ID." } as const;
const comment = { type: "string", optional: true, description: "Comment." } as const;

const membersOf = (mock: MockContext, id: string): string[] =>
  [...mock.state.users.values()]
    .filter((u) => u.groups?.includes(id))
    .map((u) => u.userid)
    .sort();

function findGroup(mock: MockContext, id: string) {
  const group = mock.state.dc.objects.groups.get(id);
  if (!group) throw fail(`group '${id}' does not exist`);
  return group;
}

export const accessGroupRoutes: Route[] = [
  {
    method: "GET",
    path: "/access/groups",
    description: "Group index.",
    permission: "all",
    parameters: {},
    handler: ({ mock }) =>
      [...mock.state.dc.objects.groups.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([id, g]) => ({
          groupid: id,
          ...(g.comment ? { comment: g.comment } : {}),
          users: membersOf(mock, id).join(","),
        })),
  },
  {
    method: "POST",
    path: "/access/groups",
    description: "Create new group.",
    permission: [{ path: "/access/groups", privs: ["Group.Allocate"] }],
    parameters: { groupid, comment },
    handler: ({ mock, params }) => {
      const id = String(params.groupid);
      if (mock.state.dc.objects.groups.has(id)) {
        throw fail(`create group failed: group '${id}' already exists`);
      }
      mock.state.dc.objects.groups.set(id, {
        ...(typeof params.comment === "string" ? { comment: params.comment } : {}),
      });
      return null;
    },
  },
  {
    method: "GET",
    path: "/access/groups/{groupid}",
    description: "Get group configuration.",
    permission: [{ path: "/access/groups", privs: ["Sys.Audit", "Group.Allocate"], any: true }],
    parameters: { groupid },
    handler: ({ mock, params }) => {
      const id = String(params.groupid);
      const group = findGroup(mock, id);
      return { ...(group.comment ? { comment: group.comment } : {}), members: membersOf(mock, id) };
    },
  },
  {
    method: "PUT",
    path: "/access/groups/{groupid}",
    description: "Update group data.",
    permission: [{ path: "/access/groups", privs: ["Group.Allocate"] }],
    parameters: { groupid, comment },
    handler: ({ mock, params }) => {
      const group = mock.state.dc.objects.groups.get(String(params.groupid));
      if (!group) throw fail(`update group failed: group '${params.groupid}' does not exist`);
      if (typeof params.comment === "string") group.comment = params.comment;
      return null;
    },
  },
  {
    method: "DELETE",
    path: "/access/groups/{groupid}",
    description: "Delete group.",
    permission: [{ path: "/access/groups", privs: ["Group.Allocate"] }],
    parameters: { groupid },
    handler: ({ mock, params, who }) => {
      checkUserGroup(mock, who, ["Group.Allocate"]);
      const id = String(params.groupid);
      if (!mock.state.dc.objects.groups.delete(id)) {
        throw fail(`delete group failed: group '${id}' does not exist`);
      }
      for (const u of mock.state.users.values()) {
        if (u.groups) u.groups = u.groups.filter((g) => g !== id);
      }
      mock.state.acl = mock.state.acl.filter((a) => a.ugid !== id);
      return null;
    },
  },
];
