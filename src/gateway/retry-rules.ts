import {
  APIError,
  ConnectionError,
  InternalServerError,
  RateLimitError,
  RequestTimeoutError,
  UnexpectedResponseError,
} from "../errors/errors.js";
import { backoffDelayMs } from "../internal/backoff.js";

/*
 * The retry policy as plain rules: which failure is worth another attempt, how long to wait
 * first, how many attempts in all. The loop that applies them is `Gateway.#send`.
 */

/** A request that only reads (`status`), or one that creates and charges a job (`submit`). */
export type RequestKind = "status" | "submit" | "background-status";

/**
 * A `Pixazo` client's read for others than its own jobs' progress (a `WebhookReceiver`
 * verifying a delivery): a 429 fails it at once instead of pausing the client's requests and
 * retrying, so senders who make the receiver read cannot slow the client's submits and waits.
 * Keyed by a registered symbol, so it is found across the package's entry points and copies.
 */
export const BACKGROUND_STATUS = Symbol.for("pixazo-ltx.backgroundStatus");

/**
 * The longest `Retry-After` the SDK waits through by itself. A gateway asking for more is
 * answered by throwing its error (with `retryAfterMs`), so a call never hangs silently for
 * minutes; the caller decides.
 */
export const MAX_RETRY_AFTER_MS = 60_000;
/** How long every request of the client waits after a 429 that named no `Retry-After`. */
export const DEFAULT_RATE_LIMIT_PAUSE_MS = 1_000;

/**
 * A status read is idempotent: retry anything transient: the network, a timeout, 408, 429, 5xx,
 * and an undocumented reply (an HTML page, a cut-off body, an answer about another job).
 */
export function isRetryableRead(error: unknown): boolean {
  if (error instanceof ConnectionError || error instanceof RequestTimeoutError) return true;
  // A redirect is the gateway's deliberate answer, not a glitch: asking again changes nothing.
  if (error instanceof UnexpectedResponseError) return error.status < 300 || error.status >= 400;
  if (error instanceof APIError) return error.status === 408 || error.status === 429 || error.status >= 500;
  return false;
}

/**
 * A submit creates (and charges) a job, so it is resent only when the failed attempt provably
 * created none: no byte reached the gateway, or the gateway refused it with 429.
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
 * How long every request of the client holds back after `error`, a 429: the gateway's
 * `Retry-After`, at most {@link MAX_RETRY_AFTER_MS}.
 */
export function rateLimitPauseMs(error: RateLimitError): number {
  return Math.min(error.retryAfterMs ?? DEFAULT_RATE_LIMIT_PAUSE_MS, MAX_RETRY_AFTER_MS);
}

/**
 * Whether to try again after `error`, and how long to sleep first.
 *
 * - Not at all once `maxRetries` retries were made, or when the rules above say the failure is
 *   not worth another attempt for this kind of request.
 * - A 429 also started a client-wide pause ({@link rateLimitPauseMs}) that holds every request
 *   back; its retry waits that pause once, plus the usual backoff, so retries through a rate limit
 *   that outlasts `Retry-After` grow apart, and the requests one pause held back do not all leave
 *   at the same instant. One that asks for more than {@link MAX_RETRY_AFTER_MS} is not retried.
 * - Another reply with `Retry-After` (a 503) waits what it asked, within the same limit.
 * - Everything else waits {@link backoffDelayMs}.
 *
 * @returns milliseconds to sleep before the next attempt, or `undefined` to give up.
 */
export function retryDelayMs(
  kind: RequestKind,
  error: unknown,
  retriesDone: number,
  maxRetries: number,
  random: () => number = Math.random,
): number | undefined {
  if (retriesDone >= maxRetries) return undefined;
  if (!(kind === "submit" ? isRetryableSubmit(error) : isRetryableRead(error))) return undefined;
  // A background read gives way to the client's own work: a rate limit ends it.
  if (kind === "background-status" && error instanceof RateLimitError) return undefined;
  const asked = error instanceof APIError ? error.retryAfterMs : undefined;
  if (asked !== undefined && asked > MAX_RETRY_AFTER_MS) return undefined;
  if (error instanceof RateLimitError) return rateLimitPauseMs(error) + backoffDelayMs(retriesDone, random);
  return asked ?? backoffDelayMs(retriesDone, random);
}
