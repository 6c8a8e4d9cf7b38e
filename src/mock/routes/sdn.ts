// Software-defined networking as configured (zones, vnets, subnets, IPAMs, controllers, DNS,
// fabrics) and as a node sees it (its zones, their vnets and bridges). The demo has one simple
// zone with a vnet and a subnet, and no fabrics.
import type { Section } from "../datacenter-objects.ts";
import { fail } from "../errors.ts";
import { sectionDigest } from "../format.ts";
import { node, type ParamSpec } from "../params.ts";
import type { MockContext, Route } from "../router.ts";

type Kind = "zones" | "vnets" | "controllers" | "ipams" | "dns";

/** The key each kind's id goes under in a row. */
const ID_KEY: Record<Kind, string> = {
  zones: "zone",
  vnets: "vnet",
  controllers: "controller",
  ipams: "ipam",
  dns: "dns",
};
const TYPES: Record<Kind, string[]> = {
  zones: ["evpn", "faucet", "qinq", "simple", "vlan", "vxlan"],
  vnets: ["vnet"],
  controllers: ["bgp", "evpn", "faucet", "isis"],
  ipams: ["netbox", "phpipam", "pve"],
  dns: ["powerdns"],
};
const audit = [{ path: "/sdn", privs: ["SDN.Audit"] }];
const flag = (description: string): ParamSpec => ({ type: "boolean", optional: true, description });
/** `pending` and `running` select which view of the config answers; the demo has applied all. */
const VIEWS = {
  pending: flag("Display pending config."),
  running: flag("Display running config."),
};

const row = (kind: Kind, id: string, s: Section, digest: string) => ({
  [ID_KEY[kind]]: id,
  ...s,
  type: String(s.type ?? kind.slice(0, -1)),
  digest,
});

function objectRoutes(kind: Kind): Route[] {
  const id = ID_KEY[kind];
  const views = kind === "ipams" || kind === "dns" ? {} : VIEWS;
  const all = (mock: MockContext) => mock.state.dc.objects.sdn[kind];
  return [
    {
      method: "GET",
      path: `/cluster/sdn/${kind}`,
      description: `SDN ${kind} index.`,
      permission: "all",
      parameters: {
        ...views,
        ...(kind === "vnets"
          ? {}
          : {
              type: {
                type: "string",
                optional: true,
                enum: TYPES[kind],
                description: "Only list entries of a specific type",
              },
            }),
      },
      handler: ({ mock, params }) => {
        const digest = sectionDigest(all(mock).entries());
        return [...all(mock)]
          .filter(([, s]) => params.type === undefined || s.type === params.type)
          .map(([key, s]) => row(kind, key, s, digest));
      },
    },
    {
      method: "GET",
      path: `/cluster/sdn/${kind}/{${id}}`,
      description: `Read sdn ${id} configuration.`,
      permission: audit,
      parameters: {
        ...views,
        [id]: { type: "string", description: `The SDN ${id} object identifier.` },
      },
      handler: ({ mock, params }) => {
        const key = String(params[id]);
        const s = all(mock).get(key);
        if (!s) throw fail(`sdn '${key}' does not exist`);
        return row(kind, key, s, sectionDigest(all(mock).entries()));
      },
    },
  ];
}

function subnetsOf(mock: MockContext, vnet: string) {
  if (!mock.state.dc.objects.sdn.vnets.has(vnet)) throw fail(`sdn '${vnet}' does not exist`);
  return [...mock.state.dc.objects.sdn.subnets].filter(([, s]) => s.vnet === vnet);
}

/** A subnet id (`zone1-10.10.10.0-24`) as the row's `cidr`, `network` and `mask`. */
function subnetRow(id: string, s: Section) {
  const [, network = "", mask = ""] = /^[^-]+-(.+)-(\d+)$/.exec(id) ?? [];
  return {
    subnet: id,
    ...s,
    cidr: `${network}/${mask}`,
    network,
    mask: Number(mask),
    zone: id.split("-")[0],
  };
}

const vnetParam: ParamSpec = { type: "string", description: "The SDN vnet object identifier." };
const zoneParam: ParamSpec = { type: "string", description: "The SDN zone object identifier." };

/** The vnets of a zone that exists. */
function vnetsIn(mock: MockContext, zone: string): string[] {
  if (!mock.state.dc.objects.sdn.zones.has(zone)) throw fail(`sdn '${zone}' does not exist`);
  return [...mock.state.dc.objects.sdn.vnets].filter(([, v]) => v.zone === zone).map(([id]) => id);
}

export const sdnRoutes: Route[] = [
  ...(["zones", "vnets", "controllers", "ipams", "dns"] as const).flatMap(objectRoutes),
  {
    method: "GET",
    path: "/cluster/sdn/vnets/{vnet}/subnets",
    description: "SDN subnets index.",
    permission: [{ path: "/sdn/zones/{vnet}", privs: ["SDN.Audit", "SDN.Allocate"], any: true }],
    parameters: { vnet: vnetParam, ...VIEWS },
    handler: ({ mock, params }) =>
      subnetsOf(mock, String(params.vnet)).map(([id, s]) => subnetRow(id, s)),
  },
  {
    method: "GET",
    path: "/cluster/sdn/vnets/{vnet}/subnets/{subnet}",
    description: "Read sdn subnet configuration.",
    permission: [{ path: "/sdn/zones/{vnet}", privs: ["SDN.Audit", "SDN.Allocate"], any: true }],
    parameters: {
      vnet: vnetParam,
      subnet: { type: "string", description: "The SDN subnet object identifier." },
      ...VIEWS,
    },
    handler: ({ mock, params }) => {
      const found = subnetsOf(mock, String(params.vnet)).find(([id]) => id === params.subnet);
      if (!found) throw fail(`sdn subnet '${params.subnet}' does not exist`);
      return {
        ...subnetRow(found[0], found[1]),
        digest: sectionDigest(mock.state.dc.objects.sdn.subnets.entries()),
      };
    },
  },
  {
    method: "GET",
    path: "/cluster/sdn/ipams/{ipam}/status",
    description: "List PVE IPAM Entries",
    permission: audit,
    parameters: { ipam: { type: "string", description: "The SDN ipam object identifier." } },
    handler: ({ mock, params }) => {
      if (!mock.state.dc.objects.sdn.ipams.has(String(params.ipam))) {
        throw fail(`sdn '${params.ipam}' does not exist`);
      }
      // The gateway of each subnet is the entry the PVE IPAM holds.
      return [...mock.state.dc.objects.sdn.subnets].map(([id, s]) => ({
        zone: id.split("-")[0],
        vnet: String(s.vnet),
        subnet: subnetRow(id, s).cidr,
        ip: String(s.gateway ?? ""),
        gateway: 1,
      }));
    },
  },
  {
    method: "GET",
    path: "/cluster/sdn/fabrics/fabric",
    description: "SDN Fabrics Index",
    permission: audit,
    parameters: VIEWS,
    handler: () => [],
  },
  {
    method: "GET",
    path: "/cluster/sdn/fabrics/node",
    description: "SDN Fabrics Nodes Index",
    permission: audit,
    parameters: VIEWS,
    handler: () => [],
  },
  {
    method: "GET",
    path: "/cluster/sdn/fabrics/all",
    description: "SDN Fabrics Index",
    permission: audit,
    parameters: VIEWS,
    handler: () => ({ fabrics: [], nodes: [] }),
  },
  {
    method: "GET",
    path: "/nodes/{node}/sdn/zones",
    description: "Get status for all zones.",
    permission: "all",
    proxyto: "node",
    parameters: { node },
    handler: ({ mock }) =>
      [...mock.state.dc.objects.sdn.zones.keys(), "localnetwork"].map((zone) => ({
        zone,
        status: "available",
      })),
  },
  {
    method: "GET",
    path: "/nodes/{node}/sdn/zones/{zone}/content",
    description: "List zone content.",
    permission: [{ path: "/sdn/zones/{zone}", privs: ["SDN.Audit"] }],
    proxyto: "node",
    parameters: { node, zone: zoneParam },
    handler: ({ mock, params }) =>
      vnetsIn(mock, String(params.zone)).map((vnet) => ({ vnet, status: "available" })),
  },
  {
    method: "GET",
    path: "/nodes/{node}/sdn/zones/{zone}/bridges",
    description:
      "Get a list of all bridges (vnets) that are part of a zone, as well as the ports that are members of that bridge.",
    permission: [{ path: "/sdn/zones/{zone}", privs: ["SDN.Audit"] }],
    proxyto: "node",
    parameters: { node, zone: zoneParam },
    handler: ({ mock, params }) =>
      vnetsIn(mock, String(params.zone)).map((vnet) => ({
        name: vnet,
        vlan_filtering: "0",
        // Guests on this node whose NICs use the vnet are its ports.
        ports: [...mock.state.guests.values()]
          .filter((g) => g.node === params.node)
          .flatMap((g) =>
            Object.entries(g.config)
              .filter(([k, v]) => /^net\d+$/.test(k) && String(v).includes(`bridge=${vnet}`))
              .map(([k]) => ({
                name: `tap${g.vmid}i${k.slice(3)}`,
                vmid: g.vmid,
                index: k.slice(3),
              })),
          ),
      })),
  },
];
