// stdin for the stdio transport, in whole lines of bounded size. The SDK's reader closes the
// transport (and so ends the server) when one line exceeds its buffer; here a line over the
// limit is dropped instead, and the caller answers it with an error. A last line without its
// newline (`printf '…' | proxmox-mcp`) still counts; `mapLine` may rewrite each line.

import { Transform, type TransformCallback } from "node:stream";

export function boundedLines(
  limit: number,
  onDropped: (bytes: number) => void,
  mapLine: (line: Buffer) => Buffer = (line) => line,
): Transform {
  let parts: Buffer[] = [];
  let size = 0;
  let dropping = false;
  let dropped = 0;

  return new Transform({
    transform(chunk: Buffer, _encoding, done: TransformCallback) {
      let start = 0;
      for (let nl = chunk.indexOf(10); nl !== -1; nl = chunk.indexOf(10, start)) {
        take(chunk.subarray(start, nl + 1));
        end(this);
        start = nl + 1;
      }
      if (start < chunk.length) take(chunk.subarray(start));
      done();
    },
    flush(done: TransformCallback) {
      const blank = Buffer.concat(parts).toString("utf8").trim() === "";
      if (dropping || !blank) {
        take(Buffer.from("\n"));
        end(this);
      }
      done();
    },
  });

  function end(stream: Transform): void {
    if (dropping) onDropped(dropped);
    else stream.push(mapLine(Buffer.concat(parts)));
    parts = [];
    size = 0;
    dropping = false;
    dropped = 0;
  }

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
