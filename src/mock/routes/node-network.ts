// /nodes/{node}/network: the node's interfaces (lo, NICs, bridges) as ifupdown2 reports them.
import { node } from "../params.ts";
import type { Route } from "../router.ts";

const TYPES = [
  "bridge",
  "bond",
  "eth",
  "alias",
  "vlan",
  "fabric",
  "OVSBridge",
  "OVSBond",
  "OVSPort",
  "OVSIntPort",
  "vnet",
  "any_bridge",
  "any_local_bridge",
  "include_sdn",
];

function matches(ifaceType: string, wanted: string): boolean {
  if (wanted === "any_bridge" || wanted === "any_local_bridge") {
    return ifaceType === "bridge" || ifaceType === "OVSBridge";
  }
  if (wanted === "include_sdn") return true;
  return ifaceType === wanted;
}

export const nodeNetworkRoutes: Route[] = [
  {
    method: "GET",
    path: "/nodes/{node}/network",
    description: "List available networks",
    permission: "all",
    proxyto: "node",
    parameters: {
      node,
      type: {
        type: "string",
        optional: true,
        enum: TYPES,
        description: "Only list specific interface types.",
      },
    },
    handler: ({ mock, params }) => {
      const all = mock.state.dc.system.get(String(params.node))?.network ?? [];
      const wanted = typeof params.type === "string" ? params.type : undefined;
      return all.filter((i) => !wanted || matches(String(i.type), wanted)).map((i) => ({ ...i }));
    },
  },
];
