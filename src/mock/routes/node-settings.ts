// A node's own settings: DNS resolvers, /etc/hosts, time zone and the node config (description,
// wake-on-LAN MAC, ACME domains, start-all delay).
import { createHash } from "node:crypto";
import { fail } from "../errors.ts";
import { configDigest } from "../format.ts";
import { splitList } from "../formats/index.ts";
import { node, type ParamSpec } from "../params.ts";
import type { MockContext, Route } from "../router.ts";

const audit = [{ path: "/nodes/{node}", privs: ["Sys.Audit"] }];
const modify = [{ path: "/nodes/{node}", privs: ["Sys.Modify"] }];

function system(mock: MockContext, name: string) {
  const sys = mock.state.dc.system.get(name);
  if (!sys) throw fail(`no such node '${name}'`);
  return sys;
}

const opt = (description: string, more: Partial<ParamSpec> = {}): ParamSpec => ({
  type: "string",
  optional: true,
  description,
  ...more,
});

const CONFIG: Record<string, ParamSpec> = {
  acme: opt("Node specific ACME settings."),
  "acmedomain[n]": { ...opt("ACME domain and validation plugin"), count: 6 },
  "ballooning-target": {
    type: "integer",
    optional: true,
    minimum: 0,
    maximum: 100,
    description: "RAM usage target for ballooning (in percent of total memory)",
  },
  description: opt("Description for the Node.", { maxLength: 65536 }),
  "startall-onboot-delay": {
    type: "integer",
    optional: true,
    minimum: 0,
    maximum: 300,
    description:
      "Initial delay in seconds, before starting all the Virtual Guests with on-boot enabled.",
  },
  wakeonlan: opt("Node specific wake on LAN settings."),
};

const sha1 = (text: string) => createHash("sha1").update(text).digest("hex");

export const nodeSettingRoutes: Route[] = [
  {
    method: "GET",
    path: "/nodes/{node}/dns",
    description: "Read DNS settings.",
    permission: "all",
    proxyto: "node",
    parameters: { node },
    handler: ({ mock, params }) => ({ ...system(mock, String(params.node)).dns }),
  },
  {
    method: "PUT",
    path: "/nodes/{node}/dns",
    description: "Write DNS settings.",
    permission: modify,
    proxyto: "node",
    parameters: {
      node,
      search: { type: "string", description: "Search domain for host-name lookup." },
      dns1: opt("First name server IP address.", { format: "ip" }),
      dns2: opt("Second name server IP address.", { format: "ip" }),
      dns3: opt("Third name server IP address.", { format: "ip" }),
    },
    handler: ({ mock, params }) => {
      const sys = system(mock, String(params.node));
      // update_dns rewrites resolv.conf: servers not given are dropped.
      sys.dns = { search: String(params.search) };
      for (const key of ["dns1", "dns2", "dns3"]) {
        if (typeof params[key] === "string") sys.dns[key] = params[key] as string;
      }
      return null;
    },
  },
  {
    method: "GET",
    path: "/nodes/{node}/hosts",
    description: "Get the content of /etc/hosts.",
    permission: audit,
    proxyto: "node",
    parameters: { node },
    handler: ({ mock, params }) => {
      const hosts = system(mock, String(params.node)).hosts;
      return { data: hosts, digest: sha1(hosts) };
    },
  },
  {
    method: "POST",
    path: "/nodes/{node}/hosts",
    description: "Write /etc/hosts.",
    permission: modify,
    proxyto: "node",
    parameters: {
      node,
      data: { type: "string", description: "The target content of /etc/hosts." },
      digest: opt("Prevent changes if current configuration file has a different digest.", {
        maxLength: 40,
      }),
    },
    handler: ({ mock, params }) => {
      const sys = system(mock, String(params.node));
      if (typeof params.digest === "string" && params.digest !== sha1(sys.hosts)) {
        throw fail("hosts file changed by other user - try again");
      }
      sys.hosts = String(params.data);
      return null;
    },
  },
  {
    method: "GET",
    path: "/nodes/{node}/time",
    description: "Read server time and time zone settings.",
    permission: "all",
    proxyto: "node",
    parameters: { node },
    handler: ({ mock, params }) => {
      const sys = system(mock, String(params.node));
      const time = Math.floor(Date.now() / 1000);
      const offset = zoneOffsetSeconds(sys.timezone, time);
      return { timezone: sys.timezone, time, localtime: time + offset };
    },
  },
  {
    method: "PUT",
    path: "/nodes/{node}/time",
    description: "Set time zone.",
    permission: modify,
    proxyto: "node",
    parameters: {
      node,
      timezone: { type: "string", format: "timezone", description: "Time zone." },
    },
    handler: ({ mock, params }) => {
      system(mock, String(params.node)).timezone = String(params.timezone);
      return null;
    },
  },
  {
    method: "GET",
    path: "/nodes/{node}/config",
    description: "Get node configuration options.",
    permission: audit,
    proxyto: "node",
    parameters: {
      node,
      property: {
        type: "string",
        optional: true,
        default: "all",
        enum: [
          "acme",
          "acmedomain0",
          "acmedomain1",
          "acmedomain2",
          "acmedomain3",
          "acmedomain4",
          "acmedomain5",
          "ballooning-target",
          "description",
          "startall-onboot-delay",
          "wakeonlan",
        ],
        description: "Return only a specific property from the node configuration.",
      },
    },
    handler: ({ mock, params }) => {
      const config = system(mock, String(params.node)).config;
      if (typeof params.property === "string" && params.property !== "all") {
        const v = config[params.property];
        return v === undefined ? {} : { [params.property]: v };
      }
      return { ...config, digest: configDigest(config) };
    },
  },
  {
    method: "PUT",
    path: "/nodes/{node}/config",
    description: "Set node configuration options.",
    permission: modify,
    proxyto: "node",
    parameters: {
      node,
      ...CONFIG,
      delete: opt("A list of settings you want to delete.", { format: "pve-configid-list" }),
      digest: opt("Prevent changes if current configuration file has a different digest.", {
        maxLength: 40,
      }),
    },
    handler: ({ mock, params }) => {
      const config = system(mock, String(params.node)).config;
      if (typeof params.digest === "string" && params.digest !== configDigest(config)) {
        throw fail("detected modified configuration - file changed by other user? Try again.");
      }
      for (const key of splitList(params.delete)) delete config[key];
      for (const [key, value] of Object.entries(params)) {
        if (["node", "delete", "digest"].includes(key) || value === undefined) continue;
        config[key] = typeof value === "number" ? value : String(value);
      }
      return null;
    },
  },
];

/** The offset of a time zone from UTC at a moment, from the runtime's zone database. */
function zoneOffsetSeconds(zone: string, unix: number): number {
  try {
    const parts = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    }).formatToParts(new Date(unix * 1000));
    const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
    const local = Date.UTC(
      get("year"),
      get("month") - 1,
      get("day"),
      get("hour"),
      get("minute"),
      get("second"),
    );
    return Math.round(local / 1000 - unix);
  } catch {
    return 0;
  }
}
