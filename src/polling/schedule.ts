/*
 * When a wait reads the job's status next: a few constants and four rules, chosen on the polling
 * bench (`bench/polling.ts`; the figures are in docs/performance.md).
 * 1. No read in the quiet span, before a job like this one could have ended (see `run-times.ts`).
 * 2. Otherwise a first read soon, after half of `pollIntervalMs`: it confirms the job and surfaces
 *    an immediate `ERROR`.
 * 3. Then intervals of half the time since the submit, from `pollIntervalMs` up to
 *    `maxPollIntervalMs` (×1.5 a read): a long or overdue job is read at the cap.
 * 4. Backing up a webhook, reads only cover a lost callback: the first a `pollIntervalMs` past the
 *    quiet span, none soon (the callback reports an immediate `ERROR` too).
 * Every delay is finite, ≥ 0 and never past the wait's deadline, whatever the inputs say.
 */

import { MAX_TIMER_MS } from "../internal/sleep.js";

/** Default base interval between status reads. */
export const DEFAULT_POLL_INTERVAL_MS = 2_000;
/** Default cap on the interval between status reads. */
export const DEFAULT_MAX_POLL_INTERVAL_MS = 8_000;
/** Default time `wait()` gives a job before rejecting with `WaitTimeoutError`. */
export const DEFAULT_WAIT_TIMEOUT_MS = 20 * 60_000;
/**
 * With webhooks the callback is the signal and polling only covers a lost one: a read 50 s after
 * the quiet span, then every 50–60 s, so a lost callback costs about half a minute of delay.
 */
export const WEBHOOK_FALLBACK_POLL_INTERVAL_MS = 50_000;
/** Cap of the fallback polling interval while waiting on webhooks. */
export const WEBHOOK_FALLBACK_MAX_POLL_INTERVAL_MS = 60_000;

/** The interval as a share of the time since the submit: 0.5 makes it ×1.5 a read. */
const RAMP = 0.5;
/** ±20 % on each interval, so waiters that started together do not read in lockstep. */
const JITTER = 0.2;

/** The interval settings of one wait. */
export interface PollIntervals {
  readonly pollIntervalMs: number;
  readonly maxPollIntervalMs: number;
}

/** Where a wait stands when it plans its next read. */
export interface ReadPosition {
  /** How long the job has run: since its submit, or since the wait began for a job submitted elsewhere. */
  readonly ranMs: number;
  /** Status reads this wait has made. */
  readonly reads: number;
  /** No job like this one is expected to end before it has run this long (see `RunTimes.quietMs`). */
  readonly quietMs?: number | undefined;
  /** Whether the reads only back up pushed events (a webhook receiver). */
  readonly fallback?: boolean | undefined;
  /** Time left before the wait's deadline; `Infinity` for none. */
  readonly leftMs: number;
}

/**
 * The sleep before the next status read, in ms: finite, ≥ 0 and at most `leftMs`.
 *
 * @example
 * ```ts
 * const pace = { pollIntervalMs: 2000, maxPollIntervalMs: 8000 };
 * nextReadDelay({ ranMs: 0, reads: 0, leftMs: Infinity }, pace, () => 0.5); // 1000: the first read soon
 * nextReadDelay({ ranMs: 3000, reads: 1, quietMs: 20000, leftMs: Infinity }, pace, () => 0); // 17000
 * nextReadDelay({ ranMs: 60000, reads: 9, leftMs: 5000 }, pace, () => 0.5); // 5000: the deadline comes first
 * ```
 */
export function nextReadDelay(position: ReadPosition, pace: PollIntervals, random: () => number = Math.random): number {
  const { ranMs, reads, fallback = false } = position;
  const { pollIntervalMs: base, maxPollIntervalMs: cap } = pace;
  const quiet = position.quietMs ?? 0;
  const quietMs = Number.isFinite(quiet) && quiet > 0 ? quiet : 0;
  const spread = () => 1 - JITTER + 2 * JITTER * random();
  let delay: number;
  if (ranMs < quietMs) {
    // Spread after the span only, never back into it.
    delay = quietMs - ranMs + (fallback ? base : 0) + JITTER * base * random();
  } else if (reads === 0) {
    delay = (fallback ? base : base / 2) * spread();
  } else {
    delay = Math.min(cap, Math.min(cap, Math.max(base, ranMs * RAMP)) * spread());
  }
  // Whatever the inputs were, the sleep is a number a timer can hold and ends by the deadline.
  const left = position.leftMs > 0 ? Math.floor(position.leftMs) : 0;
  return Math.min(Number.isFinite(delay) ? Math.max(0, Math.round(delay)) : cap, left, MAX_TIMER_MS);
}
