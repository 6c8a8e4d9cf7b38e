// The QEMU guest agent of a VM: ping, run programs, read and write files, OS information.

import { answer, guestEndpoint } from "../endpoint.ts";

export interface ExecStatus {
  exited: number;
  exitcode?: number;
  "out-data"?: string;
  "err-data"?: string;
  "out-truncated"?: number;
  "err-truncated"?: number;
  signal?: number;
}

export interface AgentInterface {
  name: string;
  "hardware-address"?: string;
  "ip-addresses"?: { "ip-address": string; "ip-address-type": string; prefix: number }[];
}

/**
 * guest-info: the agent's version and commands. It answers only when the agent does, like
 * guest-ping, but it is a GET: a read-only server may send it (ping is a POST).
 */
export const AGENT_INFO = guestEndpoint(
  "GET",
  "/agent/info",
  [],
  answer<{ result: { version?: string } }>(),
).only("qemu");
export const AGENT_EXEC = guestEndpoint(
  "POST",
  "/agent/exec",
  ["command", "input-data"],
  answer<{ pid: number }>(),
).only("qemu");
export const AGENT_EXEC_STATUS = guestEndpoint(
  "GET",
  "/agent/exec-status",
  ["pid"],
  answer<ExecStatus>(),
).only("qemu");
export const AGENT_FILE_READ = guestEndpoint(
  "GET",
  "/agent/file-read",
  ["file", "offset", "count", "decode"],
  answer<{ content: string; truncated?: number | boolean }>(),
).only("qemu");
export const AGENT_FILE_WRITE = guestEndpoint("POST", "/agent/file-write", [
  "file",
  "content",
  "encode",
]).only("qemu");
export const AGENT_OSINFO = guestEndpoint(
  "GET",
  "/agent/get-osinfo",
  [],
  answer<{ result: Record<string, string> }>(),
).only("qemu");
export const AGENT_INTERFACES = guestEndpoint(
  "GET",
  "/agent/network-get-interfaces",
  [],
  answer<{ result: AgentInterface[] }>(),
).only("qemu");
