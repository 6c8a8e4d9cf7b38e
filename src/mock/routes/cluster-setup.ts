// /cluster/config: create a cluster on a standalone node, the join information of a cluster,
// and joining a standalone node to one. Create and join are root@pam with a ticket only.
import { createHash } from "node:crypto";
import { fail, PveError } from "../errors.ts";
import { opt } from "../params.ts";
import type { MockContext, Route } from "../router.ts";
import { LOCAL_NODE } from "../seed.ts";
import { spread } from "../tasks.ts";

const nodeName = {
  type: "string",
  format: "pve-node",
  description: "The cluster node name.",
} as const;
const link = {
  type: "string",
  optional: true,
  description:
    "Address and priority information of a single corosync link. (up to 8 links supported; link0..link7)",
} as const;
const fingerprint = {
  type: "string",
  pattern: "([A-Fa-f0-9]{2}:){31}[A-Fa-f0-9]{2}",
  description: "Certificate SHA 256 fingerprint.",
} as const;
const CONF = "/etc/pve/corosync.conf";

/** The nodes corosync.conf lists (none on a standalone node). */
const clusterNodes = (mock: MockContext) =>
  mock.state.dc.clustered ? [...mock.state.nodes.values()] : [];

/** corosync.conf's totem section, values as the parser reads them (strings). */
function totem(mock: MockContext): Record<string, unknown> {
  return {
    cluster_name: mock.state.clusterName,
    config_version: String(mock.state.nodes.size + 2),
    interface: { 0: { linknumber: "0" } },
    ip_version: "ipv4-6",
    link_mode: "passive",
    secauth: "on",
    version: "2",
  };
}

export const clusterSetupRoutes: Route[] = [
  {
    method: "POST",
    path: "/cluster/config",
    description:
      "Generate new cluster configuration. If no links given, default to local IP address as link0.",
    permission: "root",
    parameters: {
      clustername: { ...nodeName, maxLength: 15, description: "The name of the cluster." },
      "link[n]": link,
      nodeid: {
        type: "integer",
        optional: true,
        minimum: 1,
        description: "Node id for this node.",
      },
      votes: {
        type: "integer",
        optional: true,
        minimum: 1,
        description: "Number of votes for this node.",
      },
      "token-coefficient": { type: "integer", optional: true, minimum: 0, default: 125 },
    },
    handler: ({ mock, params, who }) => {
      const dc = mock.state.dc;
      if (dc.clustered) throw fail(`cluster config '${CONF}' already exists`);
      const name = String(params.clustername);
      return mock.tasks.start({
        node: LOCAL_NODE,
        type: "clustercreate",
        id: name,
        who,
        lines: spread([
          `Writing corosync config to ${CONF}`,
          "Restart corosync and cluster filesystem",
        ]),
        finish: () => {
          dc.clustered = true;
          mock.state.clusterName = name;
          return undefined;
        },
      }).upid;
    },
  },
  {
    method: "GET",
    path: "/cluster/config/apiversion",
    description: "Return the version of the cluster join API available on this node.",
    permission: [{ path: "/", privs: ["Sys.Audit"] }],
    parameters: {},
    handler: () => 1,
  },
  {
    method: "GET",
    path: "/cluster/config/nodes",
    description: "Corosync node list.",
    permission: [{ path: "/", privs: ["Sys.Audit"] }],
    parameters: {},
    handler: ({ mock }) =>
      clusterNodes(mock).map((n) => ({
        node: n.name,
        name: n.name,
        nodeid: String(n.nodeid),
        quorum_votes: "1",
        ring0_addr: n.ip,
      })),
  },
  {
    method: "GET",
    path: "/cluster/config/totem",
    description: "Get corosync totem protocol settings.",
    permission: [{ path: "/", privs: ["Sys.Audit"] }],
    parameters: {},
    handler: ({ mock }) => (mock.state.dc.clustered ? totem(mock) : {}),
  },
  {
    method: "GET",
    path: "/cluster/config/qdevice",
    description: "Get QDevice status",
    permission: [{ path: "/", privs: ["Sys.Audit"] }],
    parameters: {},
    // No QDevice is configured in the demo cluster.
    handler: () => ({}),
  },
  {
    method: "GET",
    path: "/cluster/config/join",
    description: "Get information needed to join this cluster over the connected node.",
    permission: [{ path: "/", privs: ["Sys.Audit"] }],
    parameters: { node: opt(nodeName, "The node for which the joinee gets the nodeinfo. ") },
    handler: ({ mock, params }) => {
      if (!mock.state.dc.clustered) {
        throw new PveError(424, "node is not in a cluster, no join info available!");
      }
      const preferred = typeof params.node === "string" ? params.node : LOCAL_NODE;
      if (!mock.state.nodes.has(preferred)) throw fail(`unknown node '${preferred}'`);
      const nodes = [...mock.state.nodes.values()];
      return {
        nodelist: nodes.map((n) => ({
          name: n.name,
          nodeid: String(n.nodeid),
          quorum_votes: "1",
          ring0_addr: n.ip,
          pve_addr: n.ip,
          pve_fp: n.sslFingerprint,
        })),
        preferred_node: preferred,
        totem: totem(mock),
        config_digest: createHash("sha1")
          .update(nodes.map((n) => n.name).join(","))
          .digest("hex"),
      };
    },
  },
  {
    method: "POST",
    path: "/cluster/config/join",
    description: "Joins this node into an existing cluster.",
    permission: "root",
    parameters: {
      hostname: { type: "string", description: "Hostname (or IP) of an existing cluster member." },
      password: {
        type: "string",
        maxLength: 128,
        description: "Superuser (root) password of peer node.",
      },
      fingerprint,
      force: {
        type: "boolean",
        optional: true,
        description: "Do not throw error if node already exists.",
      },
      "link[n]": link,
      nodeid: {
        type: "integer",
        optional: true,
        minimum: 1,
        description: "Node id for this node.",
      },
      votes: {
        type: "integer",
        optional: true,
        minimum: 0,
        description: "Number of votes for this node",
      },
    },
    handler: ({ mock, params, who }) => {
      const dc = mock.state.dc;
      const host = String(params.hostname);
      // assert_joinable: what makes this node unfit to join, all listed at once.
      const problems = [
        ...(dc.clustered
          ? [
              "authentication key '/etc/corosync/authkey' already exists",
              `cluster config '${CONF}' already exists`,
            ]
          : []),
        ...(mock.state.guests.size > 0 ? ["this host already contains virtual guests"] : []),
        ...(dc.clustered
          ? ["corosync is already running, is this node already in a cluster?!"]
          : []),
      ];
      const lines =
        problems.length > 0 && params.force !== true
          ? ["detected the following error(s):", ...problems.map((p) => `* ${p}`)]
          : [
              `Establishing API connection with host '${host}'`,
              "Login succeeded.",
              "check cluster join API version",
              "Request addition of this node",
              "Join request OK, finishing setup locally",
              "stopping pve-cluster service",
              `backup old database to '/var/lib/pve-cluster/backup/config-${Math.floor(Date.now() / 1000)}.sql.gz'`,
              "waiting for quorum...OK",
              "(re)generate node files",
              "generate new node certificate",
              "merge authorized SSH keys",
              "generated new node certificate, restart pveproxy and pvedaemon services",
              `successfully added node '${LOCAL_NODE}' to cluster.`,
            ];
      return mock.tasks.start({
        node: LOCAL_NODE,
        type: "clusterjoin",
        id: "",
        who,
        lines: spread(lines),
        ...(problems.length > 0 && params.force !== true
          ? { error: "Check if node may join a cluster failed!" }
          : {}),
        finish: () => {
          dc.clustered = true;
          return undefined;
        },
      }).upid;
    },
  },
];
