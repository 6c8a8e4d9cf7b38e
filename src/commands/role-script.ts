// The `pveum` commands for a least-privilege set-up: a role with exactly the privileges the
// chosen tools need (see privileges.ts), a user that holds it on /, and an API token without
// privilege separation, so the token has the user's rights (PVE's default, a separated token,
// starts with none: the most common reason a new token "cannot see anything").

import type { ListedTool } from "../server/catalog.ts";
import { wrap } from "./help.ts";
import { PRIVILEGES, type PrivilegeData, planRole } from "./privileges.ts";

export interface RoleOptions {
  role: string;
  userid: string;
  tokenid: string;
  /** What the tools were chosen by, for the header: "toolsets default, read-only". */
  selection: string;
  readOnly: boolean;
  version: string;
}

/** Privileges that only read: a read-only role should hold nothing else. */
const readsOnly = (priv: string) =>
  priv.endsWith(".Audit") || priv === "Sys.Syslog" || priv === "VM.GuestAgent.FileRead";

const PRIVILEGE = /\b[A-Z][A-Za-z]+\.[A-Z][A-Za-z.]*[A-Za-z]\b/g;

const list = (names: readonly string[]) => names.join(", ");
const verb = (names: readonly string[], one: string, more: string) =>
  names.length === 1 ? one : more;

/** Comment lines within 96 columns; a `- ` item's lines line up after its dash. */
function comment(text: string): string[] {
  const lead = text.startsWith("- ") ? "#   " : "# ";
  return wrap(text, 96 - lead.length).map((l, i) => (i === 0 ? `# ${l}` : `${lead}${l}`));
}

export function roleScript(
  tools: readonly ListedTool[],
  o: RoleOptions,
  data: PrivilegeData = PRIVILEGES,
): string {
  const names = tools.map((t) => t.name);
  const plan = planRole(names, data);
  const privs = plan.privileges.join(",");
  const token = `${o.userid}!${o.tokenid}`;
  const out = [
    "#!/bin/sh",
    ...comment(
      `A least-privilege Proxmox VE role for proxmox-mcp ${o.version}: ${o.selection}, ${tools.length} tools. Computed from the permissions PVE's API schema states for every endpoint these tools call. Run it as root on any node of the cluster.`,
    ),
    "",
    `PRIVS="${privs}"`,
    `pveum role add ${o.role} --privs "$PRIVS" || pveum role modify ${o.role} --privs "$PRIVS"`,
    `pveum user add ${o.userid} --comment "proxmox-mcp (API token only)"`,
    `pveum acl modify / --users ${o.userid} --roles ${o.role}`,
    `pveum user token add ${o.userid} ${o.tokenid} --privsep 0 --comment "proxmox-mcp"`,
    "",
    ...comment(
      `The last command shows the token's secret once, as "value". Give the server the whole token, e.g. proxmox-mcp --host HOST --user '${token}=VALUE'${o.readOnly ? " --read-only" : ""} (or PROXMOX_API_TOKEN='${token}=VALUE'), then check everything with proxmox-mcp doctor and the same settings.`,
    ),
    ...comment(
      `--privsep 0: the token has exactly the user's rights. A token with privilege separation (PVE's default) starts with none; it would need its own ACL too: pveum acl modify / --tokens '${token}' --roles ${o.role}`,
    ),
  ];
  const notes: string[] = [];
  if (plan.escalating.length > 0) {
    notes.push(
      `${list(plan.escalating)} ${verb(plan.escalating, "needs", "need")} Permissions.Modify: with it these credentials can grant themselves any privilege. Leave ${verb(plan.escalating, "it", "them")} out (--exclude-tools=${plan.escalating.join(",")}) unless that is what you want.`,
    );
  }
  if (plan.rootOnly.length > 0) {
    notes.push(
      `${list(plan.rootOnly)}: PVE lets only root@pam, logged in with a password, make ${verb(plan.rootOnly, "this call", "these calls")}; no role grants it, so this token will be refused there.`,
    );
  }
  if (plan.tokenRefused.length > 0) {
    notes.push(
      `${list(plan.tokenRefused)}: PVE refuses API tokens there; they need a password login (--password).`,
    );
  }
  if (plan.anyPath.length > 0) {
    notes.push(
      `${list(plan.anyPath)} reach whatever API path the model names: this role covers only what the other tools need. Grant more for the paths you let them reach (--api-allow-paths), or leave them out.`,
    );
  }
  if (o.readOnly) {
    for (const t of names) {
      const writes = planRole([t], data).privileges.filter((p) => !readsOnly(p));
      if (writes.length > 0) {
        notes.push(
          `${t} only reads, but PVE asks ${list(writes)} for it; --exclude-tools=${t} keeps the role free of that.`,
        );
      }
    }
  }
  for (const [text, concerned] of plan.also) {
    const named = text.match(PRIVILEGE) ?? [];
    if (named.length > 0 && named.every((p) => plan.privileges.includes(p))) continue;
    const who = concerned.length > 3 ? `${concerned.length} tools` : list(concerned);
    notes.push(
      named.length > 0
        ? `Not granted, needed only sometimes (${who}): ${text}.`
        : `${who}: ${text}.`,
    );
  }
  if (notes.length > 0) {
    out.push("#", "# Notes:", ...notes.flatMap((n) => comment(`- ${n}`)));
  }
  return `${out.join("\n")}\n`;
}
