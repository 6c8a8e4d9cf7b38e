// /cluster/options: datacenter.cfg, read (property strings parsed, as PVE's parser returns them)
// and written (checked against the format table).
import { fail } from "../errors.ts";
import { parseProperty, splitList } from "../formats/index.ts";
import type { ParamSpec, ParamTable } from "../params.ts";
import type { Route } from "../router.ts";

const str = (description: string, more: Partial<ParamSpec> = {}): ParamSpec => ({
  type: "string",
  optional: true,
  description,
  ...more,
});

/** Options stored as property strings, with their format. */
const PROPERTY: Record<string, string> = {
  bwlimit: "dc-bwlimit",
  crs: "dc-crs",
  ha: "dc-ha",
  migration: "dc-migration",
  "next-id": "dc-next-id",
  notify: "dc-notify",
  replication: "dc-replication",
  "tag-style": "dc-tag-style",
  u2f: "dc-u2f",
  "user-tag-access": "dc-user-tag-access",
  webauthn: "dc-webauthn",
};

const OPTIONS: ParamTable = {
  ...Object.fromEntries(
    Object.entries(PROPERTY).map(([key, format]) => [key, str(`The ${key} settings.`, { format })]),
  ),
  "consent-text": str("Consent text that is displayed before logging in.", { maxLength: 65536 }),
  console: str("Select the default Console viewer.", {
    enum: ["applet", "vv", "html5", "xtermjs"],
  }),
  description: str("Datacenter description.", { maxLength: 65536 }),
  email_from: str("Specify email address to send notification from.", { format: "email-opt" }),
  fencing: str("Set the fencing mode of the HA cluster.", {
    enum: ["watchdog", "hardware", "both"],
  }),
  http_proxy: str("Specify external http proxy which is used for downloads.", {
    pattern: "http://.*",
  }),
  keyboard: str("Default keybord layout for vnc server.", {
    enum: "de de-ch da en-gb en-us es fi fr fr-be fr-ca fr-ch hu is it ja lt mk nl no pl pt pt-br sv sl tr".split(
      " ",
    ),
  }),
  language: str("Default GUI language.", {
    enum: "ar ca da de en es eu fa fr hr he it ja ka kr nb nl nn pl pt_BR ru sl sv tr ukr zh_CN zh_TW".split(
      " ",
    ),
  }),
  mac_prefix: str("Prefix for the auto-generated MAC addresses of virtual guests.", {
    format: "mac-prefix",
  }),
  max_workers: {
    type: "integer",
    optional: true,
    minimum: 1,
    description: "Defines how many workers (per node) are maximal started.",
  },
  migration_unsecure: {
    type: "boolean",
    optional: true,
    description: "Migration is secure using SSH tunnel by default.",
  },
  "registered-tags": str("A list of tags that require a `Sys.Modify` on '/' to set and delete.", {
    pattern: "(?:[a-z0-9_][a-z0-9_\\-+.]*;)*[a-z0-9_][a-z0-9_\\-+.]*",
  }),
};

export const clusterOptionRoutes: Route[] = [
  {
    method: "GET",
    path: "/cluster/options",
    description: "Get datacenter options.",
    permission: [{ path: "/", privs: ["Sys.Audit"] }],
    parameters: {},
    handler: ({ mock }) => {
      const out: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(mock.state.dc.objects.options)) {
        const format = PROPERTY[key];
        out[key] = format ? parseProperty(format, String(value)) : value;
      }
      return out;
    },
  },
  {
    method: "PUT",
    path: "/cluster/options",
    description: "Set datacenter options.",
    permission: [{ path: "/", privs: ["Sys.Modify"] }],
    parameters: {
      ...OPTIONS,
      delete: str("A list of settings you want to delete.", { format: "pve-configid-list" }),
    },
    handler: ({ mock, params }) => {
      const options = mock.state.dc.objects.options;
      for (const key of splitList(params.delete)) {
        if (!(key in OPTIONS)) throw fail(`unable to delete unknown option '${key}'`);
        delete options[key];
      }
      for (const [key, value] of Object.entries(params)) {
        if (key === "delete" || value === undefined) continue;
        options[key] = typeof value === "boolean" ? (value ? 1 : 0) : (value as string | number);
        // mac_prefix is stored upper case.
        if (key === "mac_prefix") options[key] = String(value).toUpperCase();
      }
      return null;
    },
  },
];
