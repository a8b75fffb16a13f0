/** First retry waits about this long; each later one doubles it. */
export const RETRY_BASE_DELAY_MS = 500;
/** No backoff sleep is longer than this. */
export const RETRY_MAX_DELAY_MS = 8_000;

/**
 * Exponential backoff with jitter before retry number `retriesDone + 1`: half fixed, half random,
 * so retries of many clients spread out but never collapse to zero.
 *
 * @example
 * ```ts
 * backoffDelayMs(0, () => 1); // 500
 * backoffDelayMs(3, () => 0); // 2000
 * ```
 */
export function backoffDelayMs(retriesDone: number, random: () => number = Math.random): number {
  const ceiling = Math.min(RETRY_MAX_DELAY_MS, RETRY_BASE_DELAY_MS * 2 ** retriesDone);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
