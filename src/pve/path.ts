// Every value that goes into an API path is checked against what PVE allows and URL-encoded,
// so a node named `../access` or a vmid of `1/../../x` can never reach another endpoint.

const PATTERNS = {
  node: /^[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$/,
  vmid: /^[1-9][0-9]{2,8}$/,
  storage: /^[a-zA-Z][a-zA-Z0-9\-_.]*[a-zA-Z0-9]$/,
  snapname: /^[a-zA-Z][a-zA-Z0-9_-]{1,39}$/,
  upid: /^UPID:[a-zA-Z0-9-]+:[0-9A-F]{8}:[0-9A-F]{8,9}:[0-9A-F]{8}:[^:\s/]+:[^:\s/]*:[^:\s/]+:$/,
  // A volume id (storage:name) is one segment, encoded whole: its name may hold a '/'.
  volume: /^[a-zA-Z][a-zA-Z0-9\-_.]*[a-zA-Z0-9]:[^\s?#%\\]+$/,
  // Free-form ids (pools, users, roles, HA sids) still must not contain a path separator.
  id: /^[^/\\\s?#%]+$/,
} as const;

export type SegmentKind = keyof typeof PATTERNS;

const EXPLAIN: Record<SegmentKind, string> = {
  node: "a node name (letters, digits, '-')",
  vmid: "a VM id between 100 and 999999999",
  storage: "a storage id (letters, digits, - _ .)",
  snapname: "a snapshot name (a letter, then letters, digits, _ or -)",
  upid: "a task UPID (UPID:node:pid:pstart:starttime:type:id:user:)",
  volume: "a volume id storage:name, e.g. local:iso/debian.iso",
  id: "an id without '/', '\\', spaces, '?', '#' or '%'",
};

export class InvalidSegmentError extends Error {
  override name = "InvalidSegmentError";
}

/** Returns the encoded segment, or throws when the value is not a valid `kind`. */
export function segment(kind: SegmentKind, value: string | number): string {
  const text = String(value);
  // A volume's name has parts (iso/x.iso): none may climb out of its directory either.
  const parts = kind === "volume" ? text.split(/[:/]/) : [text];
  if (!PATTERNS[kind].test(text) || parts.some((p) => p === "." || p === "..")) {
    throw new InvalidSegmentError(
      `invalid ${kind} ${JSON.stringify(text)}: expected ${EXPLAIN[kind]}`,
    );
  }
  return encodeURIComponent(text);
}

export const isValid = (kind: SegmentKind, value: string | number): boolean =>
  PATTERNS[kind].test(String(value));
