// UPID:<node>:<pid>:<pstart>:<starttime>:<type>:<id>:<user>: (hex fields upper case, 8 digits).

export interface Upid {
  node: string;
  pid: number;
  pstart: number;
  starttime: number;
  type: string;
  id: string;
  /** As written in the UPID: user@realm or user@realm!token. */
  user: string;
}

const hex8 = (n: number): string => n.toString(16).toUpperCase().padStart(8, "0");

export function encodeUpid(u: Upid): string {
  return `UPID:${u.node}:${hex8(u.pid)}:${hex8(u.pstart)}:${hex8(u.starttime)}:${u.type}:${u.id}:${u.user}:`;
}

// pve-common's decode_upid regex; pstart may reach 9 digits.
const UPID_RE =
  /^UPID:([a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?):([0-9A-Fa-f]{8}):([0-9A-Fa-f]{8,9}):([0-9A-Fa-f]{8}):([^:\s]+):([^:\s]*):([^:\s]+):$/;

export function parseUpid(text: string): Upid | undefined {
  const m = UPID_RE.exec(text);
  if (!m) return undefined;
  return {
    node: m[1] as string,
    pid: Number.parseInt(m[3] as string, 16),
    pstart: Number.parseInt(m[4] as string, 16),
    starttime: Number.parseInt(m[5] as string, 16),
    type: m[6] as string,
    id: m[7] as string,
    user: m[8] as string,
  };
}
