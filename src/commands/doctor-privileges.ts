// The last step of `doctor`: the credentials' effective permissions (GET /access/permissions,
// which every user and token may read for itself) against what each enabled tool needs.

import type { Step } from "../pve/connection-check.ts";
import type { PveClient } from "../pve/index.ts";
import type { ListedTool } from "../server/catalog.ts";
import { checkTool, type Effective } from "./privileges.ts";

const some = (names: readonly string[]) =>
  names.length > 4 ? `${names.slice(0, 4).join(", ")} (+${names.length - 4})` : names.join(", ");

/** Whether a token has privilege separation (then it holds only its own ACLs). */
async function separated(client: PveClient): Promise<boolean> {
  const [user, token] = client.auth.identity.split("!");
  if (client.auth.kind !== "token" || !user || !token) return false;
  try {
    const info = await client.get<{ privsep?: number | boolean }>(
      `/access/users/${encodeURIComponent(user)}/token/${encodeURIComponent(token)}`,
    );
    return Boolean(info.privsep);
  } catch {
    return false;
  }
}

export async function privilegeStep(
  client: PveClient,
  tools: readonly ListedTool[],
): Promise<Step> {
  const [user] = client.auth.identity.split("!");
  const who = { rootPam: user === "root@pam", token: client.auth.kind === "token" };
  if (who.rootPam && !who.token) {
    return {
      name: "privileges",
      status: "ok",
      detail: "root@pam with a password may do everything",
    };
  }
  let effective: Effective;
  try {
    effective = await client.get<Effective>("/access/permissions");
  } catch (error) {
    return {
      name: "privileges",
      status: "fail",
      detail: `cannot read the permissions: ${(error as Error).message}`,
    };
  }
  const lacking = new Map<string, string[]>();
  const partly: string[] = [];
  const rootOnly: string[] = [];
  for (const tool of tools) {
    const check = checkTool(tool.name, effective, who);
    if (check.rootOnly || check.tokenRefused) {
      rootOnly.push(tool.name);
      continue;
    }
    if (check.coverage === "some") partly.push(tool.name);
    if (check.coverage !== "none") continue;
    for (const missing of check.missing)
      lacking.set(missing, [...(lacking.get(missing) ?? []), tool.name]);
  }
  const unable = new Set([...lacking.values()].flat());
  const advice = [...lacking].map(([missing, names]) => `${missing}: ${some(names)}`);
  if (unable.size > 0) {
    if (Object.keys(effective).length === 0 && (await separated(client))) {
      advice.unshift(
        `This token has privilege separation and no ACL of its own, so it holds nothing: grant it the role too (pveum acl modify / --tokens '${client.auth.identity}' --roles ROLE), or make it again with --privsep 0.`,
      );
    }
    advice.push(
      "`proxmox-mcp role` with the same flags prints the pveum commands for a role with exactly these; or serve fewer tools (--read-only, --toolsets, --exclude-tools).",
    );
    return {
      name: "privileges",
      status: "fail",
      detail: `${unable.size} of ${tools.length} enabled tools lack privileges:`,
      advice,
    };
  }
  const notes: string[] = [];
  if (partly.length > 0) {
    notes.push(
      `${some(partly)} hold their privileges on some objects only (pools, single guests): they work there.`,
    );
  }
  if (rootOnly.length > 0) {
    notes.push(
      `${some(rootOnly)}: only root@pam with a password may do these; they will be refused.`,
    );
  }
  return {
    name: "privileges",
    status: notes.length > 0 ? "warn" : "ok",
    detail: `the ${tools.length} enabled tools have the privileges they need`,
    ...(notes.length > 0 ? { advice: notes } : {}),
  };
}
