/**
 * A 429 pause shared by the clients of one key in several processes. A rate limit belongs to the
 * key, not to the process that met it: when one client is told to wait, every client that shares
 * this object waits too, instead of each meeting the limit on its own. `pixazo-ltx/redis` has one
 * over Redis pub/sub (`RedisRateLimitPause`).
 *
 * @example
 * ```ts
 * const pause = new RedisRateLimitPause({ redis });
 * const client = new Pixazo({ sharedRateLimitPause: pause });
 * ```
 */
export interface SharedRateLimitPause {
  /** Tells the other clients that this one was told to wait `ms` (a 429's `Retry-After`, bounded). */
  announce(ms: number): void | Promise<void>;
  /**
   * Calls `onPause(ms)` when another client announces a pause. Returns the function that stops
   * the calls (the client calls it on `close()`).
   */
  subscribe(onPause: (ms: number) => void): () => void;
}
