import * as z from "zod/mini";
import { checkOptions, numberFrom } from "../options/checks.js";

const CAPACITY = z.object({ capacity: numberFrom(1, Number.MAX_SAFE_INTEGER, "an integer ≥ 1", { integer: true }) });

/**
 * Remembers which webhook deliveries were already handled, so a redelivery is dropped. The
 * default keeps them in memory; implement this over a shared store (Redis, a database) when
 * several processes receive callbacks for the same jobs.
 *
 * @example
 * ```ts
 * // Redis: SET NX answers whether the key was new; EX lets old keys expire.
 * const store: DeliveryStore = {
 *   markSeen: async (key) => (await redis.set(`pixazo:${key}`, "1", { NX: true, EX: 86_400 })) === "OK",
 * };
 * ```
 */
export interface DeliveryStore {
  /** Records `key` and answers `true` if it was new, `false` if it had been seen before. */
  markSeen(key: string): boolean | Promise<boolean>;
}

/**
 * The default {@link DeliveryStore}: the most recent keys in memory, oldest dropped first, so
 * memory stays bounded however many jobs pass.
 */
export class MemoryDeliveryStore implements DeliveryStore {
  readonly #capacity: number;
  readonly #seen = new Set<string>();

  /**
   * @param capacity how many keys to remember.
   * @default 10000
   * @throws {ValidationError} for a capacity that is not a positive integer.
   */
  constructor(capacity = 10_000) {
    checkOptions(CAPACITY, { capacity });
    this.#capacity = capacity;
  }

  markSeen(key: string): boolean {
    if (this.#seen.has(key)) return false;
    this.#seen.add(key);
    if (this.#seen.size > this.#capacity) {
      const oldest = this.#seen.values().next().value;
      if (oldest !== undefined) this.#seen.delete(oldest);
    }
    return true;
  }

  /** How many keys are remembered now. */
  get size(): number {
    return this.#seen.size;
  }
}
