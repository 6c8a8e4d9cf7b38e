// The GET endpoints of PVE 9.1 (outside Ceph) the simulated cluster does not answer, in one list:
// they answer 501 "... not implemented by the simulator". Everything else outside Ceph is
// simulated from the cluster's state. A test holds this list to at most 30 entries.

export const NOT_SIMULATED: readonly string[] = [
  // Migration tunnels between clusters (remote_migrate) speak their own protocol.
  "/nodes/{node}/qemu/{vmid}/mtunnelwebsocket",
  "/nodes/{node}/lxc/{vmid}/mtunnelwebsocket",
  // Downloading a file out of a Proxmox Backup Server archive (a stream, not JSON); ESXi imports.
  "/nodes/{node}/storage/{storage}/file-restore/download",
  "/nodes/{node}/storage/{storage}/import-metadata",
  // Questions to the internet: a registry's tags, a URL's headers.
  "/nodes/{node}/query-oci-repo-tags",
  "/nodes/{node}/query-url-metadata",
  // SDN fabrics (OpenFabric/OSPF routing state) and EVPN routing tables: the demo has none.
  "/cluster/sdn/fabrics/fabric/{id}",
  "/cluster/sdn/fabrics/node/{fabric_id}",
  "/cluster/sdn/fabrics/node/{fabric_id}/{node_id}",
  "/nodes/{node}/sdn/fabrics/{fabric}",
  "/nodes/{node}/sdn/fabrics/{fabric}/routes",
  "/nodes/{node}/sdn/fabrics/{fabric}/neighbors",
  "/nodes/{node}/sdn/fabrics/{fabric}/interfaces",
  "/nodes/{node}/sdn/zones/{zone}/ip-vrf",
  "/nodes/{node}/sdn/vnets/{vnet}/mac-vrf",
  "/cluster/sdn/dry-run",
];

const patterns = NOT_SIMULATED.map(
  (t) => new RegExp(`^${t.replace(/[.+]/g, "\\$&").replace(/\{[^}]+\}/g, "[^/]+")}$`),
);

/** Whether a GET path is one of the endpoints the simulator leaves out. */
export function notSimulated(path: string): boolean {
  return patterns.some((re) => re.test(path));
}
