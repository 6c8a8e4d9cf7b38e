// `proxmox-mcp role`: the pveum commands for a role holding exactly the privileges the tools of
// these settings need (toolsets, tools, exclude_tools, read_only; flags, env or config file as
// for the server), a user with that role and an API token that works at once.

import { defineCommand } from "citty";
import pkg from "../../package.json" with { type: "json" };
import { ConfigError, cliArgs, flagName, loadSettings, SETTINGS } from "../config/index.ts";
import { enabledTools } from "./enabled-tools.ts";
import { roleScript } from "./role-script.ts";

const SELECTION = ["config", "toolsets", "tools", "exclude_tools", "read_only"];

function selectionArgs() {
  const all = cliArgs();
  return Object.fromEntries(
    SETTINGS.filter((d) => SELECTION.includes(d.key)).map((d) => [flagName(d), all[flagName(d)]]),
  ) as ReturnType<typeof cliArgs>;
}

const ROLE_ID = /^[A-Za-z0-9._-]+$/;
const USER_ID = /^[^@\s!:'"]+@[A-Za-z0-9._-]+$/;
const TOKEN_ID = /^[A-Za-z][A-Za-z0-9._-]*$/;

function checked(name: string, value: string, pattern: RegExp, form: string): string {
  if (!pattern.test(value)) throw new ConfigError(`--${name} must be ${form}`);
  return value;
}

export const roleCommand = defineCommand({
  meta: {
    name: "role",
    description:
      "Print the pveum commands for a role with exactly the privileges the enabled tools need, a user and an API token",
  },
  args: {
    ...selectionArgs(),
    name: {
      type: "string",
      valueHint: "<role>",
      description: "Name of the role [default: ProxmoxMCP]",
    },
    userid: {
      type: "string",
      valueHint: "<user@realm>",
      description: "User to create and grant the role to [default: mcp@pve]",
    },
    tokenid: {
      type: "string",
      valueHint: "<id>",
      description: "Id of the API token to create for that user [default: mcp]",
    },
  },
  run({ args }) {
    const settings = loadSettings({ ...args, demo: true }, process.env);
    const tools = enabledTools(settings);
    const selection = [
      `toolsets ${settings.toolsets.join(",")}`,
      ...(settings.tools?.length ? [`tools ${settings.tools.join(",")}`] : []),
      ...(settings.exclude_tools?.length ? [`without ${settings.exclude_tools.join(",")}`] : []),
      ...(settings.read_only ? ["read-only"] : []),
    ].join(", ");
    process.stdout.write(
      roleScript(tools, {
        role: checked("name", String(args.name ?? "ProxmoxMCP"), ROLE_ID, "letters, digits, . _ -"),
        userid: checked("userid", String(args.userid ?? "mcp@pve"), USER_ID, "USER@REALM"),
        tokenid: checked("tokenid", String(args.tokenid ?? "mcp"), TOKEN_ID, "a token id"),
        selection,
        readOnly: settings.read_only,
        version: pkg.version,
      }),
    );
  },
});
