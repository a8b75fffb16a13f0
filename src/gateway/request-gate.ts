import { abortable } from "../internal/abortable.js";
import { monotonicNow } from "../internal/clock.js";

/**
 * The door every gateway request of one client goes through: at most `maxInFlight` requests at
 * once (the rest queue in order), and a client-wide pause after a 429, so a rate limit slows
 * every caller together instead of each retrying on its own.
 */
export class RequestGate {
  readonly #maxInFlight: number;
  #inFlight = 0;
  readonly #queue: (() => void)[] = [];
  /** When the running pause ends, on the monotonic clock; meaningful only while the timer runs. */
  #pausedUntil = 0;
  /** Set exactly while a pause runs: the timer, not a clock reading, decides when it ends. */
  #pauseTimer: NodeJS.Timeout | undefined;
  #pauseOver: Promise<void> = Promise.resolve();
  /** Requests waiting for the pause to end; only they keep the process alive for it. */
  #pauseWaiters = 0;
  #endPause: () => void = () => {};

  constructor(maxInFlight: number) {
    this.#maxInFlight = maxInFlight;
  }

  /** Requests holding a slot now. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** Requests waiting for a slot now. */
  get queued(): number {
    return this.#queue.length;
  }

  /** Whether requests are held back by a rate-limit pause now. */
  get paused(): boolean {
    return this.#pauseTimer !== undefined;
  }

  /**
   * Takes a slot at once if one is free and no pause runs: the common case, with no promise.
   *
   * @returns the release function, or `undefined` when the caller must `acquire()` and wait.
   */
  tryAcquire(): (() => void) | undefined {
    if (this.#inFlight >= this.#maxInFlight || this.#queue.length > 0 || this.paused) return undefined;
    return this.#take();
  }

  #take(): () => void {
    this.#inFlight += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#inFlight -= 1;
      this.#queue.shift()?.();
    };
  }

  /**
   * Waits for the pause to end and a slot to free, then takes the slot.
   *
   * @returns the function that gives the slot back (call it exactly once).
   * @throws the signal's reason if it aborts while waiting; no slot is then held.
   */
  async acquire(signal?: AbortSignal): Promise<() => void> {
    for (;;) {
      if (this.paused) await this.#pauseEnd(signal);
      if (this.#inFlight < this.#maxInFlight && !this.paused) return this.#take();
      if (!this.paused) await this.#turn(signal);
    }
  }

  /** Holds every request back for `ms` (extending a pause already running). */
  pauseFor(ms: number): void {
    const until = monotonicNow() + ms;
    if (this.paused && until <= this.#pausedUntil) return;
    if (!this.paused) {
      this.#pauseOver = new Promise<void>((resolve) => {
        this.#endPause = resolve;
      });
    }
    this.#pausedUntil = until;
    clearTimeout(this.#pauseTimer);
    this.#pauseTimer = setTimeout(() => {
      this.#pauseTimer = undefined;
      this.#endPause();
      // Wake queued requests: slots may be free now that the pause is over.
      for (let free = this.#maxInFlight - this.#inFlight; free > 0 && this.#queue.length > 0; free--)
        this.#queue.shift()?.();
    }, ms);
    // A pause nobody waits on (the 429 was the caller's last try) must not hold the process
    // open for up to a minute after its work is done.
    if (this.#pauseWaiters === 0) this.#pauseTimer.unref();
  }

  /** Waits for the running pause to end, keeping the process alive meanwhile. */
  async #pauseEnd(signal: AbortSignal | undefined): Promise<void> {
    this.#pauseWaiters += 1;
    this.#pauseTimer?.ref();
    try {
      await abortable(this.#pauseOver, signal);
    } finally {
      this.#pauseWaiters -= 1;
      if (this.#pauseWaiters === 0) this.#pauseTimer?.unref();
    }
  }

  /** Resolves when a released slot is handed to this waiter. */
  #turn(signal: AbortSignal | undefined): Promise<void> {
    let wake: () => void = () => {};
    const turn = new Promise<void>((resolve) => {
      wake = resolve;
    });
    this.#queue.push(wake);
    return abortable(turn, signal).catch((reason: unknown) => {
      const index = this.#queue.indexOf(wake);
      if (index >= 0) this.#queue.splice(index, 1);
      throw reason;
    });
  }
}
