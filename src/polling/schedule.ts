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
 * - Once the client has seen jobs of a model end, no read comes before the earliest of them, the
 *   first one included: see `run-times.ts`. From there reads come every `maxPollIntervalMs`.
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

/** Where a wait stands in its schedule: the next read's index, and the learned quiet period. */
export interface PollPosition {
  /** 0 for the first read. */
  readonly pollIndex: number;
  /** Time (ms, the clock of `now`) before which no job of this model has ended lately, if known. */
  readonly quietUntil?: number | undefined;
  /** Now, in ms on the client's monotonic clock (`monotonicNow()`). */
  readonly now: number;
}

/**
 * The sleep before the next status read and the index of the read after it. Like
 * {@link pollDelayMs}, except that a read that would land before `quietUntil` (the first one
 * included) moves to just after it, and the reads after that come at the cap, since the job is
 * now in the span where jobs of its model end.
 *
 * @example
 * ```ts
 * const intervals = { pollIntervalMs: 2000, maxPollIntervalMs: 8000 };
 * nextPoll({ pollIndex: 1, quietUntil: 20_000, now: 1_000 }, intervals, () => 0); // { delayMs: 19000, nextIndex: 1000 }
 * ```
 */
export function nextPoll(
  position: PollPosition,
  intervals: PollIntervals,
  random: () => number = Math.random,
): { delayMs: number; nextIndex: number } {
  const { pollIndex, quietUntil, now } = position;
  const delayMs = pollDelayMs(pollIndex, intervals, random);
  if (quietUntil === undefined || now + delayMs >= quietUntil) {
    return { delayMs, nextIndex: pollIndex + 1 };
  }
  // Spread over a fifth of the cap after the quiet period, so jobs submitted together do not
  // all read at the same instant.
  const spread = Math.round(JITTER * intervals.maxPollIntervalMs * random());
  return { delayMs: quietUntil - now + spread, nextIndex: STEADY_POLL_INDEX };
}

/** A poll index far enough along the ramp that its interval is the cap. */
const STEADY_POLL_INDEX = 1_000;
