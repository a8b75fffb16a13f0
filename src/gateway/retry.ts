import pRetry from "p-retry";
import {
  APIError,
  ConnectionError,
  InternalServerError,
  RateLimitError,
  RequestTimeoutError,
  UnexpectedResponseError,
} from "../errors/errors.js";
import { sleep } from "../internal/sleep.js";

/** First retry waits about this long; each later one doubles it. */
export const RETRY_BASE_DELAY_MS = 500;
/** No backoff sleep is longer than this. */
export const RETRY_MAX_DELAY_MS = 8_000;
/**
 * The longest `Retry-After` the SDK sleeps through by itself. A gateway asking for more is
 * answered by throwing its {@link RateLimitError} (with `retryAfterMs`), so a call never hangs
 * silently for minutes; the caller decides.
 */
export const MAX_RETRY_AFTER_MS = 60_000;

/**
 * A status read is idempotent: retry anything transient: the network, a timeout, 408, 429, 5xx,
 * and an undocumented reply (an HTML page or a cut-off body from a proxy in between).
 */
export function isRetryableRead(error: unknown): boolean {
  if (error instanceof ConnectionError || error instanceof RequestTimeoutError) return true;
  // A redirect is the gateway's deliberate answer, not a glitch: asking again changes nothing.
  if (error instanceof UnexpectedResponseError) return error.status < 300 || error.status >= 400;
  if (error instanceof APIError) return error.status === 408 || error.status === 429 || error.status >= 500;
  return false;
}

/**
 * A submit creates (and charges) a job, so it is resent only when the first one provably did not
 * create one: the connection was never made, or the gateway refused it with 429.
 */
export function isRetryableSubmit(error: unknown): boolean {
  if (error instanceof ConnectionError) return !error.mayHaveReachedGateway;
  return error instanceof RateLimitError;
}

/**
 * Whether a failed submit may still have created a job: the request may have reached the gateway
 * and no definite refusal came back.
 */
export function mayHaveCreatedJob(error: unknown): boolean {
  if (error instanceof ConnectionError) return error.mayHaveReachedGateway;
  return (
    error instanceof RequestTimeoutError ||
    error instanceof InternalServerError ||
    error instanceof UnexpectedResponseError
  );
}

/**
 * How long to sleep before retry number `retriesConsumed + 1`: the gateway's `Retry-After` when
 * it sent one, otherwise exponential backoff with jitter (half fixed, half random, so retries of
 * many clients spread out but never collapse to zero).
 *
 * @returns milliseconds, or `undefined` when the gateway asked for more than
 * {@link MAX_RETRY_AFTER_MS} and the error should surface instead.
 */
export function retryDelayMs(
  error: unknown,
  retriesConsumed: number,
  random: () => number = Math.random,
): number | undefined {
  if (error instanceof APIError && error.retryAfterMs !== undefined) {
    return error.retryAfterMs <= MAX_RETRY_AFTER_MS ? error.retryAfterMs : undefined;
  }
  const ceiling = Math.min(RETRY_MAX_DELAY_MS, RETRY_BASE_DELAY_MS * 2 ** retriesConsumed);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** How one operation is retried. */
export interface RetryOptions {
  /** Retries after the first attempt. */
  readonly maxRetries: number;
  /** Which failures are worth another attempt. */
  readonly isRetryable: (error: unknown) => boolean;
  /** Aborts the sleep between attempts as well as the attempt in flight. */
  readonly signal?: AbortSignal | undefined;
}

/**
 * Runs `attempt` up to `maxRetries + 1` times. The first attempt and first retry run directly;
 * p-retry drives the remaining loop. Delays are slept here, inside `shouldRetry`, because p-retry
 * has no notion of `Retry-After` and because sleeping there means no sleep happens when the answer
 * is "do not retry". Every sleep is abortable.
 */
export async function withRetries<T>(
  attempt: (signal: AbortSignal | undefined) => Promise<T>,
  options: RetryOptions,
): Promise<T> {
  // The first attempt runs directly: most requests succeed, and the retry machinery is only
  // worth its cost once one has failed.
  let firstFailure: unknown;
  try {
    return await attempt(options.signal);
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason;
    if (options.maxRetries === 0 || !options.isRetryable(error)) throw error;
    firstFailure = error;
  }
  const firstDelay = retryDelayMs(firstFailure, 0);
  if (firstDelay === undefined) throw firstFailure;
  await sleep(firstDelay, options.signal);
  try {
    return await pRetry(() => attempt(options.signal), {
      retries: options.maxRetries - 1,
      minTimeout: 0,
      maxTimeout: 0,
      signal: options.signal,
      shouldRetry: async ({ error, retriesConsumed }) => {
        if (!options.isRetryable(error)) return false;
        // Retry number retriesConsumed + 2 overall: the first retry happened above.
        const delay = retryDelayMs(error, retriesConsumed + 1);
        if (delay === undefined) return false;
        await sleep(delay, options.signal);
        return true;
      },
    });
  } catch (error) {
    // p-retry wraps a non-Error abort reason in a TypeError; the caller gets its own reason back.
    if (options.signal?.aborted) throw options.signal.reason;
    throw error;
  }
}
