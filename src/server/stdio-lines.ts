// stdin for the stdio transport, in whole lines of bounded size. The SDK's reader closes the
// transport (and so ends the server) when one line exceeds its buffer; here a line over the
// limit is dropped instead, and the caller answers it with an error.

import { Transform, type TransformCallback } from "node:stream";

export function boundedLines(limit: number, onDropped: (bytes: number) => void): Transform {
  let parts: Buffer[] = [];
  let size = 0;
  let dropping = false;
  let dropped = 0;

  return new Transform({
    transform(chunk: Buffer, _encoding, done: TransformCallback) {
      let start = 0;
      for (let nl = chunk.indexOf(10); nl !== -1; nl = chunk.indexOf(10, start)) {
        take(chunk.subarray(start, nl + 1));
        if (dropping) onDropped(dropped);
        else this.push(Buffer.concat(parts));
        parts = [];
        size = 0;
        dropping = false;
        dropped = 0;
        start = nl + 1;
      }
      if (start < chunk.length) take(chunk.subarray(start));
      done();
    },
  });

  function take(piece: Buffer): void {
    if (dropping) {
      dropped += piece.length;
      return;
    }
    size += piece.length;
    if (size > limit) {
      dropping = true;
      dropped = size;
      parts = [];
      return;
    }
    parts.push(piece);
  }
}
