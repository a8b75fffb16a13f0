/*
 * Why these defaults. LTX jobs take from about 20 seconds to a few minutes, and the reference
 * advises polling every 5–10 s.
 * - The first read comes after half an interval (1 s): a job is never done that fast, but the read
 *   confirms the job exists and surfaces an immediate ERROR (an unreachable input URL) at once.
 * - Then the interval grows ×1.5 from 2 s: 2, 3, 4.5, 6.75 s. The sum of the ramp (~17 s) is under
 *   the shortest job, so short jobs are not overshot by a long sleep.
 * - From there it holds at 8 s, inside the reference's 5–10 s: for the long jobs the caller learns
 *   of completion about 4 s late on average, at roughly one request per 8 s.
 * - ±20% jitter keeps many waiters that started together from polling in lockstep.
 */

/** Default base interval between status reads. */
export const DEFAULT_POLL_INTERVAL_MS = 2_000;
/** Default cap on the interval between status reads. */
export const DEFAULT_MAX_POLL_INTERVAL_MS = 8_000;
/** Default time `wait()` gives a job before rejecting with `WaitTimeoutError`. */
export const DEFAULT_WAIT_TIMEOUT_MS = 20 * 60_000;

/**
 * With webhooks the callback is the signal and polling only covers a lost callback: the first
 * fallback read comes after 15 s, then every 30–60 s, so a lost callback costs at most about a
 * minute of delay and a delivered one costs no polling at all.
 */
export const WEBHOOK_FALLBACK_POLL_INTERVAL_MS = 30_000;
/** Cap of the fallback polling interval while waiting on webhooks. */
export const WEBHOOK_FALLBACK_MAX_POLL_INTERVAL_MS = 60_000;

const GROWTH = 1.5;
const JITTER = 0.2;

/** The interval settings of one wait. */
export interface PollIntervals {
  readonly pollIntervalMs: number;
  readonly maxPollIntervalMs: number;
}

/**
 * The sleep before status read number `pollIndex` (0 for the first read).
 *
 * @example
 * ```ts
 * pollDelayMs(0, { pollIntervalMs: 2000, maxPollIntervalMs: 8000 }, () => 0.5); // 1000
 * pollDelayMs(3, { pollIntervalMs: 2000, maxPollIntervalMs: 8000 }, () => 0.5); // 4500
 * ```
 */
export function pollDelayMs(pollIndex: number, intervals: PollIntervals, random: () => number = Math.random): number {
  const base =
    pollIndex === 0
      ? intervals.pollIntervalMs / 2
      : Math.min(intervals.maxPollIntervalMs, intervals.pollIntervalMs * GROWTH ** (pollIndex - 1));
  const jittered = base * (1 - JITTER + 2 * JITTER * random());
  return Math.round(Math.min(jittered, intervals.maxPollIntervalMs));
}
