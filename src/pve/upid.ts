// UPID:<node>:<pid>:<pstart>:<starttime>:<type>:<id>:<user>:  (hex fields, trailing colon)

export interface Upid {
  upid: string;
  node: string;
  pid: number;
  pstart: number;
  starttime: number;
  type: string;
  id: string;
  user: string;
}

const UPID = /^UPID:([^:]+):([0-9A-F]{8}):([0-9A-F]{8,9}):([0-9A-F]{8}):([^:]+):([^:]*):([^:]+):$/i;

export function parseUpid(upid: string): Upid | undefined {
  const m = UPID.exec(upid.trim());
  if (!m) return undefined;
  const [, node, pid, pstart, starttime, type, id, user] = m as unknown as string[];
  return {
    upid: upid.trim(),
    node: node as string,
    pid: Number.parseInt(pid as string, 16),
    pstart: Number.parseInt(pstart as string, 16),
    starttime: Number.parseInt(starttime as string, 16),
    type: type as string,
    id: id as string,
    user: user as string,
  };
}

export const isUpid = (value: unknown): value is string =>
  typeof value === "string" && parseUpid(value) !== undefined;
