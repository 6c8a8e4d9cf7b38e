// Every API endpoint this project calls, as typed values (see ../endpoint.ts), by area.

export * from "./access.ts";
export * from "./agent.ts";
export * from "./cluster.ts";
export * from "./firewall.ts";
export * from "./guests.ts";
export * from "./ha.ts";
export * from "./nodes.ts";
export * from "./storage.ts";
export * from "./tasks.ts";
