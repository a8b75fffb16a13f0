import type { JobEvent } from "../job/events.js";

/**
 * The latest event of each job, for waiters that subscribe after the callback came: bounded by
 * count and by bytes (oldest dropped first), since every entry holds a body a sender chose.
 */
export class LatestEvents {
  readonly #maxCount: number;
  readonly #maxBytes: number;
  readonly #entries = new Map<string, { event: JobEvent; bytes: number }>();
  #bytes = 0;

  constructor(maxCount: number, maxBytes: number) {
    this.#maxCount = maxCount;
    this.#maxBytes = maxBytes;
  }

  get(requestId: string): JobEvent | undefined {
    return this.#entries.get(requestId)?.event;
  }

  set(requestId: string, event: JobEvent): void {
    this.#remove(requestId);
    // UTF-16 text of the object and its key, and a little for the map's own bookkeeping.
    const bytes = 2 * (JSON.stringify(event.status).length + requestId.length) + 128;
    this.#entries.set(requestId, { event, bytes });
    this.#bytes += bytes;
    for (const oldest of this.#entries.keys()) {
      if (this.#entries.size <= this.#maxCount && this.#bytes <= this.#maxBytes) break;
      this.#remove(oldest);
    }
  }

  /** Bytes held now, as estimated. */
  get bytes(): number {
    return this.#bytes;
  }

  #remove(requestId: string): void {
    const entry = this.#entries.get(requestId);
    if (!entry) return;
    this.#entries.delete(requestId);
    this.#bytes -= entry.bytes;
  }
}
