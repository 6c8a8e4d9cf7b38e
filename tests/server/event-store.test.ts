// The resumable-stream event store holds a bounded amount per session and replays, in order,
// only the events of the stream asked for, after the id given.

import { expect, test } from "bun:test";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import { BoundedEventStore } from "../../src/server/event-store.ts";

const note = (n: number, pad = 0): JSONRPCMessage => ({
  jsonrpc: "2.0",
  method: "notifications/progress",
  params: { progressToken: 1, progress: n, message: "x".repeat(pad) },
});

async function replay(store: BoundedEventStore, after: string) {
  const sent: [string, JSONRPCMessage][] = [];
  const stream = await store.replayEventsAfter(after, {
    send: async (id, message) => {
      sent.push([id, message]);
    },
  });
  return { stream, sent };
}

test("replays what followed an id on its own stream, without priming events", async () => {
  const store = new BoundedEventStore();
  const priming = await store.storeEvent("a", {} as JSONRPCMessage);
  const first = await store.storeEvent("a", note(1));
  await store.storeEvent("b", note(100));
  await store.storeEvent("a", {} as JSONRPCMessage);
  const third = await store.storeEvent("a", note(3));
  expect(await store.getStreamIdForEventId(first)).toBe("a");
  const { stream, sent } = await replay(store, priming);
  expect(stream).toBe("a");
  expect(sent).toEqual([
    [first, note(1)],
    [third, note(3)],
  ]);
});

test("keeps at most its event and byte bounds, oldest out first; an evicted id replays nothing", async () => {
  const store = new BoundedEventStore(50, 10_000);
  const ids: string[] = [];
  for (let i = 0; i < 200; i++) ids.push(await store.storeEvent("a", note(i, 100)));
  expect(store.size).toBeLessThanOrEqual(50);
  expect(store.bytes).toBeLessThanOrEqual(10_000);
  expect(await store.getStreamIdForEventId(ids[0] as string)).toBeUndefined();
  expect((await replay(store, ids[0] as string)).stream).toBe("");
  const { sent } = await replay(store, ids[198] as string);
  expect(sent.map(([id]) => id)).toEqual([ids[199] as string]);
});

test("one event larger than the byte bound is still kept, alone", async () => {
  const store = new BoundedEventStore(50, 1_000);
  await store.storeEvent("a", note(1));
  const big = await store.storeEvent("a", note(2, 5_000));
  expect(store.size).toBe(1);
  expect(await store.getStreamIdForEventId(big)).toBe("a");
});
