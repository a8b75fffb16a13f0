import { monotonicNow } from "../internal/clock.js";
import { onAbort } from "../internal/signals.js";

/** One sleeping waiter. */
interface Sleeper {
  readonly due: number;
  readonly wake: () => void;
  settled: boolean;
}

/**
 * The shared clock of one client's waits: every sleep between polls is an entry in one heap
 * served by a single timer, instead of a timer per wait, so a thousand waits cost one timer.
 */
export class SharedClock {
  #heap: Sleeper[] = [];
  /** Settled sleepers still in the heap (removed lazily, or all at once when they pile up). */
  #settled = 0;
  #timer: NodeJS.Timeout | undefined;
  #timerDue = Number.POSITIVE_INFINITY;
  #firing = false;

  /** Sleepers waiting now (for measurements and leak checks). */
  get size(): number {
    return this.#heap.length - this.#settled;
  }

  /** Entries held, settled ones not yet dropped included (for leak checks). */
  get entries(): number {
    return this.#heap.length;
  }

  /**
   * Sleeps `ms`, or less when the function handed to `onWakeHandle` is called; rejects with the
   * signal's reason on abort. Nothing of it stays scheduled once it settles.
   */
  sleep(ms: number, signal: AbortSignal | undefined, onWakeHandle?: (wake: () => void) => void): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const settle = (outcome: () => void): void => {
        if (sleeper.settled) return;
        sleeper.settled = true;
        this.#settled += 1;
        stopListening();
        onWakeHandle?.(() => {});
        outcome();
        if (!this.#firing) this.#dropSettledHead();
      };
      const sleeper: Sleeper = { due: monotonicNow() + Math.max(0, ms), wake: () => settle(resolve), settled: false };
      const stopListening = signal ? onAbort(signal, () => settle(() => reject(signal.reason))) : () => {};
      onWakeHandle?.(sleeper.wake);
      this.#push(sleeper);
    });
  }

  #push(sleeper: Sleeper): void {
    const heap = this.#heap;
    heap.push(sleeper);
    for (let index = heap.length - 1; index > 0; ) {
      const parent = (index - 1) >> 1;
      if ((heap[parent] as Sleeper).due <= sleeper.due) break;
      heap[index] = heap[parent] as Sleeper;
      heap[parent] = sleeper;
      index = parent;
    }
    this.#arm();
  }

  #pop(): Sleeper | undefined {
    const heap = this.#heap;
    const top = heap[0];
    const last = heap.pop();
    if (heap.length > 0 && last) {
      heap[0] = last;
      for (let index = 0; ; ) {
        const left = 2 * index + 1;
        const right = left + 1;
        let smallest = index;
        if (left < heap.length && (heap[left] as Sleeper).due < (heap[smallest] as Sleeper).due) smallest = left;
        if (right < heap.length && (heap[right] as Sleeper).due < (heap[smallest] as Sleeper).due) smallest = right;
        if (smallest === index) break;
        [heap[index], heap[smallest]] = [heap[smallest] as Sleeper, heap[index] as Sleeper];
        index = smallest;
      }
    }
    return top;
  }

  /**
   * Removes settled sleepers from the top, so an aborted wait does not keep the timer armed, and
   * rebuilds the heap when settled ones (finished waits' deadlines) make up most of it.
   */
  #dropSettledHead(): void {
    while (this.#heap[0]?.settled) {
      this.#pop();
      this.#settled -= 1;
    }
    if (this.#settled > 64 && this.#settled * 2 > this.#heap.length) {
      const live = this.#heap.filter((sleeper) => !sleeper.settled);
      this.#heap = [];
      this.#settled = 0;
      for (const sleeper of live) this.#push(sleeper);
    }
    this.#arm();
  }

  /** Keeps the single timer aimed at the earliest live sleeper (none when the heap is empty). */
  #arm(): void {
    const next = this.#heap[0];
    if (!next) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
      this.#timerDue = Number.POSITIVE_INFINITY;
      return;
    }
    if (this.#timer && this.#timerDue <= next.due) return;
    clearTimeout(this.#timer);
    this.#timerDue = next.due;
    this.#timer = setTimeout(() => this.#fire(), Math.max(0, Math.ceil(next.due - monotonicNow())));
  }

  #fire(): void {
    this.#timer = undefined;
    this.#timerDue = Number.POSITIVE_INFINITY;
    const now = monotonicNow();
    this.#firing = true;
    while (this.#heap[0] && (this.#heap[0] as Sleeper).due <= now) {
      const sleeper = this.#pop() as Sleeper;
      // Waking counts the sleeper as settled; it has already left the heap either way.
      if (!sleeper.settled) sleeper.wake();
      this.#settled -= 1;
    }
    this.#firing = false;
    this.#dropSettledHead();
  }
}
