// Reads a request body as text without ever holding more than the limit: a declared
// Content-Length over it is refused unread, a streamed body is cut as soon as it passes it.

export type BodyResult = { ok: true; text: string } | { ok: false };

export async function readBody(req: Request, maxBytes: number): Promise<BodyResult> {
  if (Number(req.headers.get("content-length") ?? 0) > maxBytes) return { ok: false };
  if (!req.body) return { ok: true, text: "" };
  const reader = req.body.getReader();
  const decoder = new TextDecoder();
  let received = 0;
  let text = "";
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      received += value.byteLength;
      if (received > maxBytes) {
        void reader.cancel().catch(() => {});
        return { ok: false };
      }
      text += decoder.decode(value, { stream: true });
    }
  } finally {
    reader.releaseLock();
  }
  return { ok: true, text: text + decoder.decode() };
}
