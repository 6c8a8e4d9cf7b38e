// A node's system administration: systemd services, apt (refresh, updates, versions) and the
// subscription key.
import type { MockService } from "../datacenter.ts";
import { SERVICES } from "../datacenter-seed.ts";
import { fail } from "../errors.ts";
import { node } from "../params.ts";
import { hasPriv } from "../perms.ts";
import type { MockContext, Route } from "../router.ts";
import { spread } from "../tasks.ts";

const audit = [{ path: "/nodes/{node}", privs: ["Sys.Audit"] }];
const modify = [{ path: "/nodes/{node}", privs: ["Sys.Modify"] }];
const ESSENTIAL = new Set(["pveproxy", "pvedaemon", "pve-cluster"]);
const service = {
  type: "string",
  enum: SERVICES.map(([s]) => s),
  description: "Service ID",
} as const;

function system(mock: MockContext, nodeName: string) {
  const sys = mock.state.dc.system.get(nodeName);
  if (!sys) throw fail(`no such node '${nodeName}'`);
  return sys;
}

/** A service as `systemctl show` describes it to the API. */
export function serviceRow(s: MockService): Record<string, unknown> {
  return {
    service: s.service,
    name: s.service,
    desc: s.desc,
    state: s.state,
    "active-state": s.activeState,
    "unit-state": s.unitState,
  };
}

type Action = "start" | "stop" | "restart" | "reload";

function serviceRoute(action: Action): Route {
  const type = { start: "srvstart", stop: "srvstop", restart: "srvrestart", reload: "srvreload" }[
    action
  ];
  return {
    method: "POST",
    path: `/nodes/{node}/services/{service}/${action}`,
    description: `${action[0]?.toUpperCase()}${action.slice(1)} service.`,
    permission: modify,
    proxyto: "node",
    parameters: { node, service },
    handler: ({ mock, params, who }) => {
      const name = String(params.service);
      const s = system(mock, String(params.node)).services.get(name);
      return mock.tasks.start({
        node: String(params.node),
        type,
        id: name,
        who,
        ...(action === "stop" && ESSENTIAL.has(name)
          ? { error: `invalid service cmd '${name} stop': refusing to stop essential service!` }
          : {}),
        finish: () => {
          if (!s) return undefined;
          const running = action !== "stop";
          s.state = running ? "running" : "dead";
          s.activeState = running ? "active" : "inactive";
          return undefined;
        },
      }).upid;
    },
  };
}

/** Updates the package index knows: yesterday's index, plus what a refresh finds. */
function updates(mock: MockContext, nodeName: string) {
  const sys = system(mock, nodeName);
  const known = sys.aptRefreshed ? sys.upstream : sys.upstream.slice(0, -1);
  return known
    .map((u) => {
      const installed = sys.installed.find((p) => p.Package === u.Package);
      return installed && installed.Version !== u.Version
        ? { ...u, OldVersion: installed.Version }
        : undefined;
    })
    .filter((u) => u !== undefined)
    .map((u) => ({ ...u, Description: `${u.Title}.` }));
}

const LEVELS: Record<string, string> = { c: "Community", b: "Basic", s: "Standard", p: "Premium" };

export const nodeSystemRoutes: Route[] = [
  {
    method: "GET",
    path: "/nodes/{node}/services",
    description: "Service list.",
    permission: audit,
    proxyto: "node",
    parameters: { node },
    handler: ({ mock, params }) =>
      [...system(mock, String(params.node)).services.values()]
        .sort((a, b) => a.service.localeCompare(b.service))
        .map(serviceRow),
  },
  ...(["start", "stop", "restart", "reload"] as const).map(serviceRoute),
  {
    method: "GET",
    path: "/nodes/{node}/apt/update",
    description: "List available updates.",
    permission: modify,
    proxyto: "node",
    parameters: { node },
    handler: ({ mock, params }) => updates(mock, String(params.node)),
  },
  {
    method: "POST",
    path: "/nodes/{node}/apt/update",
    description:
      "This is used to resynchronize the package index files from their sources (apt-get update).",
    permission: modify,
    proxyto: "node",
    parameters: {
      node,
      notify: {
        type: "boolean",
        optional: true,
        default: 0,
        description: "Send notification about new packages.",
      },
      quiet: {
        type: "boolean",
        optional: true,
        default: 0,
        description: "Only produces output suitable for logging.",
      },
    },
    handler: ({ mock, params, who }) => {
      const sys = system(mock, String(params.node));
      const lines =
        params.quiet === true
          ? []
          : [
              "starting apt-get update",
              "Hit:1 http://deb.debian.org/debian trixie InRelease",
              "Get:2 http://security.debian.org/debian-security trixie-security InRelease [43.4 kB]",
              "Hit:3 http://download.proxmox.com/debian/pve trixie InRelease",
              "Get:4 http://security.debian.org/debian-security trixie-security/main amd64 Packages [61.2 kB]",
              "Fetched 105 kB in 1s (96.3 kB/s)",
              "Reading package lists...",
            ];
      return mock.tasks.start({
        node: String(params.node),
        type: "aptupdate",
        id: "",
        who,
        lines: spread(lines),
        finish: () => {
          sys.aptRefreshed = true;
          return undefined;
        },
      }).upid;
    },
  },
  {
    method: "GET",
    path: "/nodes/{node}/apt/versions",
    description: "Get package information for important Proxmox packages.",
    permission: audit,
    proxyto: "node",
    parameters: { node },
    handler: ({ mock, params }) => {
      const nodeName = String(params.node);
      const sys = system(mock, nodeName);
      const kernel = mock.state.nodes.get(nodeName)?.kversion.split(" ")[1] ?? "";
      const { version, repoid } = mock.state.version;
      return sys.installed.map((p) => {
        const candidate = sys.aptRefreshed
          ? sys.upstream.find((u) => u.Package === p.Package)
          : undefined;
        return {
          ...p,
          Description: `${p.Title}.`,
          Version: candidate?.Version ?? p.Version,
          OldVersion: p.Version,
          CurrentState: "Installed",
          ...(p.Package === "pve-manager" ? { ManagerVersion: `${version}/${repoid}` } : {}),
          ...(p.Package === "proxmox-ve" ? { RunningKernel: kernel } : {}),
        };
      });
    },
  },
  {
    method: "GET",
    path: "/nodes/{node}/subscription",
    description: "Read subscription info.",
    permission: "all",
    proxyto: "node",
    parameters: { node },
    handler: ({ mock, params, who }) => {
      const nodeName = String(params.node);
      const sys = system(mock, nodeName);
      const sub = sys.subscription;
      const url = "https://www.proxmox.com/en/proxmox-virtual-environment/pricing";
      // Key and server id only for those who may audit the node.
      const mayAudit = hasPriv(mock.state, who, `/nodes/${nodeName}`, ["Sys.Audit"]);
      if (!sub.key) {
        return {
          status: "notfound",
          message: "There is no subscription key",
          url,
          ...(mayAudit ? { serverid: sys.serverid } : {}),
        };
      }
      if (!mayAudit) return { status: sub.status, message: sub.message, url };
      return {
        ...sub,
        serverid: sys.serverid,
        sockets: mock.state.nodes.get(nodeName)?.sockets ?? 1,
        url,
      };
    },
  },
  {
    method: "PUT",
    path: "/nodes/{node}/subscription",
    description: "Set subscription key.",
    permission: modify,
    proxyto: "node",
    parameters: {
      node,
      key: {
        type: "string",
        maxLength: 32,
        pattern: "\\s*pve([1248])([cbsp])-[0-9a-f]{10}\\s*",
        description: "Proxmox VE subscription key",
      },
    },
    handler: ({ mock, params }) => {
      const nodeName = String(params.node);
      const sys = system(mock, nodeName);
      const key = String(params.key).trim();
      const m = /^pve([1248])([cbsp])-/.exec(key);
      const sockets = Number(m?.[1]);
      const need = mock.state.nodes.get(nodeName)?.sockets ?? 1;
      if (sockets < need) throw fail(`wrong number of sockets (${sockets} < ${need})`);
      const level = m?.[2] ?? "c";
      const now = Math.floor(Date.now() / 1000);
      const day = (t: number) => new Date(t * 1000).toISOString().slice(0, 10);
      sys.subscription = {
        status: "active",
        key,
        level,
        productname: `Proxmox VE ${LEVELS[level]} Subscription ${sockets} CPU${sockets > 1 ? "s" : ""}/year`,
        regdate: `${day(now)} 00:00:00`,
        nextduedate: day(now + 365 * 86400),
        checktime: now,
      };
      return null;
    },
  },
  {
    method: "POST",
    path: "/nodes/{node}/subscription",
    description: "Update subscription info.",
    permission: modify,
    proxyto: "node",
    parameters: {
      node,
      force: {
        type: "boolean",
        optional: true,
        default: 0,
        description: "Always connect to server, even if local cache is still valid.",
      },
    },
    handler: ({ mock, params }) => {
      const sub = system(mock, String(params.node)).subscription;
      if (!sub.key) return null;
      const now = Math.floor(Date.now() / 1000);
      // The shop is asked again only when forced or the last check is older than 5 days.
      if (params.force === true || now - (sub.checktime ?? 0) > 5 * 86400) sub.checktime = now;
      return null;
    },
  },
];
