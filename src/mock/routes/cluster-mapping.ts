// Resource mappings (PCI, USB, directories): cluster-wide names for host devices and paths.
import { fail } from "../errors.ts";
import { sectionDigest } from "../format.ts";
import { hasPriv } from "../perms.ts";
import type { Route } from "../router.ts";

const KINDS = ["pci", "usb", "dir"] as const;

export const clusterMappingRoutes: Route[] = KINDS.flatMap((kind): Route[] => [
  {
    method: "GET",
    path: `/cluster/mapping/${kind}`,
    description: `List ${kind.toUpperCase()} Hardware Mapping`,
    permission: "all",
    parameters: {
      "check-node": {
        type: "string",
        optional: true,
        description: "If given, checks the configurations on the given node for correctness.",
      },
    },
    handler: ({ mock, params, who }) =>
      [...mock.state.dc.objects.mappings[kind].entries()]
        .filter(([id]) =>
          hasPriv(
            mock.state,
            who,
            `/mapping/${kind}/${id}`,
            ["Mapping.Audit", "Mapping.Use", "Mapping.Modify"],
            true,
          ),
        )
        .map(([id, m]) => ({
          id,
          description: m.description,
          map: [...m.map],
          ...(typeof params["check-node"] === "string"
            ? kind === "usb"
              ? {}
              : {
                  checks: m.map.some((e) => e.includes(`node=${params["check-node"]},`))
                    ? []
                    : [
                        {
                          severity: "warning",
                          message: `No mapping for node '${params["check-node"]}'`,
                        },
                      ],
                }
            : {}),
        })),
  },
  {
    method: "GET",
    path: `/cluster/mapping/${kind}/{id}`,
    description: `Get ${kind.toUpperCase()} Mapping.`,
    permission: [
      {
        path: `/mapping/${kind}/{id}`,
        privs: ["Mapping.Audit", "Mapping.Use", "Mapping.Modify"],
        any: true,
      },
    ],
    parameters: {
      id: { type: "string", format: "pve-configid", description: "The ID of the logical mapping." },
    },
    handler: ({ mock, params }) => {
      const m = mock.state.dc.objects.mappings[kind].get(String(params.id));
      if (!m) throw fail(`${kind.toUpperCase()} mapping '${params.id}' not found`);
      return {
        id: params.id,
        description: m.description,
        map: [...m.map],
        digest: sectionDigest(mock.state.dc.objects.mappings[kind].entries()),
      };
    },
  },
]);
