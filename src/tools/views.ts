// The MCP Apps views (ui:// resources) that tools declare for their results. Kept free of
// imports: the server's resource list reads these at start.

export const CLUSTER_VIEW = "ui://proxmox/cluster";
export const GUEST_VIEW = "ui://proxmox/guest";
