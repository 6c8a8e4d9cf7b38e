// Resumable Streamable HTTP: the SSE events of one session, kept so that a client whose
// connection dropped can come back with Last-Event-ID and get what it missed, in order (the SDK's
// transport writes the ids handed out here, and the `retry:` field). Bounded memory per
// session: the newest MAX_EVENTS events within MAX_BYTES; older ones go first (a client that
// comes back later than that gets 400 and sends its request again).

import type { EventStore } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";

const MAX_EVENTS = 200;
const MAX_BYTES = 64 * 1024;

interface StoredEvent {
  streamId: string;
  /** The message as JSON text: far smaller than the object it came from, and read back rarely. */
  json: string;
}

export class BoundedEventStore implements EventStore {
  /** By event id, oldest first (a Map keeps insertion order). */
  readonly #events = new Map<string, StoredEvent>();
  #bytes = 0;
  #next = 0;

  constructor(
    private readonly maxEvents = MAX_EVENTS,
    private readonly maxBytes = MAX_BYTES,
  ) {}

  get size(): number {
    return this.#events.size;
  }

  get bytes(): number {
    return this.#bytes;
  }

  async storeEvent(streamId: string, message: JSONRPCMessage): Promise<string> {
    const id = String(++this.#next);
    const json = JSON.stringify(message);
    this.#events.set(id, { streamId, json });
    this.#bytes += json.length; // UTF-16 units: a bound, not an exact byte count
    for (const [oldest, event] of this.#events) {
      if (this.#events.size <= 1) break; // the newest stays, whatever its size
      if (this.#events.size <= this.maxEvents && this.#bytes <= this.maxBytes) break;
      this.#events.delete(oldest);
      this.#bytes -= event.json.length;
    }
    return id;
  }

  async getStreamIdForEventId(eventId: string): Promise<string | undefined> {
    return this.#events.get(eventId)?.streamId;
  }

  async replayEventsAfter(
    lastEventId: string,
    { send }: { send: (eventId: string, message: JSONRPCMessage) => Promise<void> },
  ): Promise<string> {
    const last = this.#events.get(lastEventId);
    if (!last) return "";
    let after = false;
    for (const [id, event] of [...this.#events]) {
      if (id === lastEventId) after = true;
      // Priming events (empty, only there to hand out an id) carry nothing to replay.
      else if (after && event.streamId === last.streamId && event.json !== "{}") {
        await send(id, JSON.parse(event.json) as JSONRPCMessage);
      }
    }
    return last.streamId;
  }
}
