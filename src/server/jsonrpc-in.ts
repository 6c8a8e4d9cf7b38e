// What a client sends, before the SDK reads it: `"params": null` is read as absent. Scripts (and
// the Rust seed's documented test client) send it for methods that take no params; JSON-RPC says
// params "MAY be omitted", and the SDK's schema would refuse the whole message as invalid.

export function withoutNullParams<T>(message: T): T {
  if (message === null || typeof message !== "object" || Array.isArray(message)) return message;
  if ((message as { params?: unknown }).params !== null) return message;
  const { params: _, ...rest } = message as Record<string, unknown>;
  return rest as T;
}

const NULL_PARAMS = /"params"\s*:\s*null/;

/** The same for one stdio line; parsed only when it may need it (few lines hold a null). */
export function lineWithoutNullParams(line: Buffer): Buffer {
  if (line.indexOf("null") === -1) return line;
  const text = line.toString("utf8");
  if (!NULL_PARAMS.test(text)) return line;
  try {
    const message: unknown = JSON.parse(text);
    const fixed = withoutNullParams(message);
    return fixed === message ? line : Buffer.from(`${JSON.stringify(fixed)}\n`);
  } catch {
    return line; // not JSON: the reader answers it with a parse error
  }
}
