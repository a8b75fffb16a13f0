import { abortable } from "../internal/abortable.js";

/**
 * The door every gateway request of one client goes through: at most `maxInFlight` requests at
 * once (the rest queue in order), and a client-wide pause after a 429, so a rate limit slows
 * every caller together instead of each retrying on its own.
 */
export class RequestGate {
  readonly #maxInFlight: number;
  #inFlight = 0;
  readonly #queue: (() => void)[] = [];
  #pausedUntil = 0;
  #pauseTimer: NodeJS.Timeout | undefined;
  #pauseOver: Promise<void> = Promise.resolve();
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
    return this.#pausedUntil !== 0 && Date.now() < this.#pausedUntil;
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
      if (this.paused) await abortable(this.#pauseOver, signal);
      if (this.#inFlight < this.#maxInFlight && !this.paused) return this.#take();
      if (!this.paused) await this.#turn(signal);
    }
  }

  /** Holds every request back for `ms` (extending a pause already running). */
  pauseFor(ms: number): void {
    const until = Date.now() + ms;
    if (until <= this.#pausedUntil) return;
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
