import type { FileHandle } from "node:fs/promises";
import { Readable } from "node:stream";
import { finished } from "node:stream/promises";

/** Bytes that may wait in memory for the disk before the body is paused. */
const WRITE_BUFFER_BYTES = 1024 * 1024;

/**
 * Writes chunks to a file from a position on, one `writev` at a time: chunks that arrive while
 * a write is on its way are gathered and written together by the next, so a large file goes at
 * disk speed with at most ~1 MiB waiting in memory. Counts only what reached the disk.
 *
 * A write stream does the same through more layers; on the first large file of a process, run
 * before the JIT has warmed up, this measured 14–23 % faster (`npm run bench`).
 */
export class FileSink {
  /** Bytes written to the file so far. */
  bytesWritten = 0;
  /** The first write's failure; chunks after it are dropped. */
  error: unknown;
  readonly #file: FileHandle;
  #position: number;
  #queued: Uint8Array[] = [];
  #queuedBytes = 0;
  #writing: Promise<void> | undefined;
  #onRoom: (() => void) | undefined;

  constructor(file: FileHandle, position: number) {
    this.#file = file;
    this.#position = position;
  }

  /** Queues a chunk; `false` when the buffer is full, as a stream's `write()` says. */
  write(chunk: Uint8Array): boolean {
    if (this.error !== undefined) return false;
    this.#queued.push(chunk);
    this.#queuedBytes += chunk.byteLength;
    this.#writing ??= this.#writeQueued();
    return this.#queuedBytes < WRITE_BUFFER_BYTES;
  }

  /** Resolves when there is room again, or a write failed. */
  room(): Promise<void> {
    if (this.#queuedBytes < WRITE_BUFFER_BYTES || this.error !== undefined) return Promise.resolve();
    return new Promise((resolve) => (this.#onRoom = resolve));
  }

  /** Resolves once nothing is queued or on its way to disk, whatever the outcome. */
  async settled(): Promise<void> {
    while (this.#writing) await this.#writing;
  }

  async #writeQueued(): Promise<void> {
    try {
      while (this.#queued.length > 0) {
        let batch = this.#queued;
        this.#queued = [];
        this.#queuedBytes = 0;
        this.#wake();
        while (batch.length > 0) {
          const { bytesWritten } = await this.#file.writev(batch, this.#position);
          this.#position += bytesWritten;
          this.bytesWritten += bytesWritten;
          batch = afterBytes(batch, bytesWritten);
        }
      }
    } catch (error) {
      this.error = error;
      this.#queued = [];
      this.#queuedBytes = 0;
      this.#wake();
    } finally {
      this.#writing = undefined;
    }
  }

  #wake(): void {
    const onRoom = this.#onRoom;
    this.#onRoom = undefined;
    onRoom?.();
  }
}

/** What remains of `chunks` after their first `written` bytes (a short `writev`). */
function afterBytes(chunks: Uint8Array[], written: number): Uint8Array[] {
  let index = 0;
  let skip = written;
  while (index < chunks.length && skip >= (chunks[index]?.byteLength ?? 0)) {
    skip -= chunks[index]?.byteLength ?? 0;
    index++;
  }
  const left = chunks.slice(index);
  const first = left[0];
  if (first && skip > 0) left[0] = first.subarray(skip);
  return left;
}

/**
 * Copies a body into `sink`, telling `count` of each chunk, and waits until all of it is on
 * disk. A Node stream body (undici's) is read by a `data` listener, paused while the sink is
 * full: no promise per chunk. Any other async iterable (a fetch body) is copied chunk by chunk.
 *
 * @throws the body's failure (a cut connection, an abort) or the sink's (a full disk); the
 * chunks that arrived before it are still written.
 */
export async function copyInto(
  body: AsyncIterable<Uint8Array>,
  sink: FileSink,
  count: (chunk: Uint8Array) => void,
): Promise<void> {
  try {
    if (body instanceof Readable) {
      body.on("data", (chunk: Uint8Array) => {
        count(chunk);
        if (sink.write(chunk)) return;
        body.pause();
        void sink.room().then(() => (sink.error === undefined ? body.resume() : body.destroy(sink.error as Error)));
      });
      // `finished` also settles for a body that failed before the listener was attached.
      await finished(body);
    } else {
      for await (const chunk of body) {
        count(chunk);
        if (!sink.write(chunk)) await sink.room();
        if (sink.error !== undefined) break;
      }
    }
  } finally {
    await sink.settled();
  }
  if (sink.error !== undefined) throw sink.error;
}
