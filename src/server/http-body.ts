// Reads a request body as text without ever holding more than the limit or waiting past the
// deadline: a declared Content-Length over the limit is refused unread, a streamed body is cut as
// soon as it passes the limit, and a body that stalls (a slow or stuck client holding a
// connection and its memory) is cut when the deadline passes.

export type BodyResult = { ok: true; text: string } | { ok: false; why: "too-large" | "timeout" };

export async function readBody(
  req: Request,
  maxBytes: number,
  deadlineMs: number,
): Promise<BodyResult> {
  if (Number(req.headers.get("content-length") ?? 0) > maxBytes) {
    return { ok: false, why: "too-large" };
  }
  if (!req.body) return { ok: true, text: "" };
  const reader = req.body.getReader();
  const decoder = new TextDecoder();
  let expire = () => {};
  const expired = new Promise<"expired">((resolve) => {
    expire = () => resolve("expired");
  });
  const timer = setTimeout(expire, deadlineMs);
  let received = 0;
  let text = "";
  try {
    for (;;) {
      const next = await Promise.race([reader.read(), expired]);
      if (next === "expired") {
        void reader.cancel().catch(() => {});
        return { ok: false, why: "timeout" };
      }
      if (next.done) break;
      received += next.value.byteLength;
      if (received > maxBytes) {
        void reader.cancel().catch(() => {});
        return { ok: false, why: "too-large" };
      }
      text += decoder.decode(next.value, { stream: true });
    }
  } finally {
    clearTimeout(timer);
    try {
      reader.releaseLock();
    } catch {
      // a read cut short may still hold the lock; the stream is cancelled anyway
    }
  }
  return { ok: true, text: text + decoder.decode() };
}
