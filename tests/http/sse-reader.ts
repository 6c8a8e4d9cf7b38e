// Reads a raw text/event-stream body event by event (comments included), for tests that check
// the wire format itself rather than what an SDK client makes of it.

export interface SseEvent {
  event?: string;
  data?: string;
  comment?: string;
  id?: string;
  retry?: number;
}

export class SseReader {
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  readonly #decoder = new TextDecoder();
  #buffer = "";

  constructor(res: Response) {
    if (!res.body) throw new Error("no body");
    this.#reader = res.body.getReader() as ReadableStreamDefaultReader<Uint8Array>;
  }

  /** The next event or comment block; undefined when the stream ended. */
  async next(): Promise<SseEvent | undefined> {
    for (;;) {
      const end = this.#buffer.indexOf("\n\n");
      if (end >= 0) {
        const block = this.#buffer.slice(0, end);
        this.#buffer = this.#buffer.slice(end + 2);
        const event: SseEvent = {};
        for (const line of block.split("\n")) {
          if (line.startsWith(":")) event.comment = line.slice(1).trim();
          else if (line.startsWith("event:")) event.event = line.slice(6).trim();
          else if (line.startsWith("data:")) event.data = line.slice(5).trim();
          else if (line.startsWith("id:")) event.id = line.slice(3).trim();
          else if (line.startsWith("retry:")) event.retry = Number(line.slice(6).trim());
        }
        return event;
      }
      const { done, value } = await this.#reader.read();
      if (done) return undefined;
      this.#buffer += this.#decoder.decode(value, { stream: true });
    }
  }

  /** The next `message` event's JSON. */
  async message(): Promise<Record<string, unknown>> {
    for (;;) {
      const e = await this.next();
      if (!e) throw new Error("stream ended");
      if (e.event === "message" && e.data) return JSON.parse(e.data);
    }
  }

  cancel(): Promise<void> {
    return this.#reader.cancel();
  }
}
