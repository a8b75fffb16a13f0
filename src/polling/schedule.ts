/*
 * Why these defaults. LTX jobs take from about 20 seconds to a few minutes, and the reference
 * advises polling every 5–10 s.
 * - For a job this client submitted, reads are placed by its likely run time (`read-plan.ts`),
 *   bounded by the settings below: never closer than `pollIntervalMs`, at most `maxPollIntervalMs`
 *   apart once an end is plausible.
 * - The plain schedule (a job submitted elsewhere, or `adaptivePolling: false`) reads first after
 *   half an interval (1 s): a job is never done that fast, but the read confirms the job exists
 *   and surfaces an immediate ERROR at once. Then the interval grows ×1.5 from 2 s: 2, 3, 4.5,
 *   6.75 s. The sum of the ramp (~17 s) is under the shortest job, so short jobs are not
 *   overshot by a long sleep.
 * - From there it holds at 8 s, inside the reference's 5–10 s: for the long jobs the caller learns
 *   of completion about 4 s late on average, at roughly one request per 8 s.
 * - ±20% jitter keeps many waiters that started together from polling in lockstep.
 */

import { balancedReadAt, IMPROBABLE_END_QUANTILE, type JobOutlook, runTimeQuantile } from "./read-plan.js";

/** Default base interval between status reads. */
export const DEFAULT_POLL_INTERVAL_MS = 2_000;
/** Default cap on the interval between status reads. */
export const DEFAULT_MAX_POLL_INTERVAL_MS = 8_000;
/** Default time `wait()` gives a job before rejecting with `WaitTimeoutError`. */
export const DEFAULT_WAIT_TIMEOUT_MS = 20 * 60_000;

/**
 * With webhooks the callback is the signal and polling only covers a lost callback. For a job
 * this client submitted the fallback reads are placed by its run time (see `nextPoll`); for
 * another, the first comes after 15 s, then every 30–60 s, so a lost callback costs at most about
 * a minute of delay.
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

/** Where a wait stands in its schedule. */
export interface PollPosition {
  /** 0 for the first read. */
  readonly pollIndex: number;
  /** What is known of the job's run time, for a job this client submitted (adaptive polling). */
  readonly outlook?: JobOutlook | undefined;
  /** Now, in ms on the client's monotonic clock (`monotonicNow()`). */
  readonly now: number;
}

/**
 * What one read is worth, in seconds of expected delay, per second of `pollIntervalMs`: with the
 * default 2 s, a read is placed when the caller can expect to have waited 0.3 s more than needed
 * since the last one (see `read-plan.ts`). Chosen so the default's mean delay stays near the ramp's.
 */
export const READ_COST_PER_INTERVAL_SECOND = 0.15;

/**
 * The share of callbacks assumed lost when a wait has a webhook receiver: the reference states no
 * delivery guarantee, so this is the SDK's assumption, on the side of reading more.
 */
export const ASSUMED_CALLBACK_LOSS = 0.05;

/**
 * Run-time quantile past which a job is overdue: the distribution says no more about when it ends
 * (reads ramp up from `pollIntervalMs` to the cap), and a callback backing it is late.
 */
export const OVERDUE_QUANTILE = 0.95;

/** With the prior alone, the longest gap between reads, in caps. */
const PRIOR_GAP_CAPS = 2;

/** Longest look-ahead of one placed read: past it the cap governs anyway. */
const HORIZON_SECONDS = 3_600;

/**
 * The sleep before the next status read and the index of the read after it. Without an outlook
 * (a job submitted elsewhere, or `adaptivePolling: false`) this is {@link pollDelayMs}. With one,
 * the read is placed by the job's run-time distribution (see `read-plan.ts`): far apart while an
 * end is improbable, close together where jobs of its shape end, at most `maxPollIntervalMs`
 * apart from there on (ramping up to it again once the job is overdue), never closer than
 * `pollIntervalMs`, never after the model's earliest recent failure; the early read a second
 * after submit only when the outlook asks for it.
 *
 * @example
 * ```ts
 * const intervals = { pollIntervalMs: 2000, maxPollIntervalMs: 8000 };
 * nextPoll({ pollIndex: 3, now: 1_000 }, intervals, () => 0.5); // { delayMs: 4500, nextIndex: 4 }
 * ```
 */
export function nextPoll(
  position: PollPosition,
  intervals: PollIntervals,
  random: () => number = Math.random,
): { delayMs: number; nextIndex: number } {
  const { pollIndex, outlook, now } = position;
  const nextIndex = pollIndex + 1;
  if (!outlook || (pollIndex === 0 && outlook.earlyRead && !outlook.fallback)) {
    return { delayMs: pollDelayMs(pollIndex, intervals, random), nextIndex };
  }
  // Backing up a webhook, a read only pays when the callback was lost: its cost is weighed
  // against that chance, and the cap binds only once the callback is overdue.
  const fallback = outlook.fallback === true;
  const ran = Math.max(0, now - outlook.startedAt) / 1000;
  const shortest = intervals.pollIntervalMs / 1000;
  const cap = intervals.maxPollIntervalMs / 1000;
  const overdue = runTimeQuantile(outlook.runTime, OVERDUE_QUANTILE);
  let readAt: number;
  if (ran >= overdue) {
    // Past nearly every job of its shape, the distribution no longer says when this one ends (the
    // gateway may have slowed down, or the prior guessed wrong): reads start again at the
    // shortest interval and grow by half the time overdue (×1.5 a read) up to the cap.
    readAt = ran + Math.min(cap, Math.max(shortest, (ran - overdue) / 2));
  } else {
    const readCost = (READ_COST_PER_INTERVAL_SECOND * shortest) / (fallback ? ASSUMED_CALLBACK_LOSS : 1);
    readAt = balancedReadAt(outlook.runTime, ran, readCost, shortest, HORIZON_SECONDS);
    // The cap binds once a job of this shape could plausibly have ended, or, backing up a
    // webhook, once its callback is overdue. Before that a learned distribution may space reads
    // as far apart as it says; the prior, a guess, at most twice the cap.
    const capFrom = fallback ? overdue : runTimeQuantile(outlook.runTime, IMPROBABLE_END_QUANTILE);
    const longest = outlook.learned ? Number.POSITIVE_INFINITY : PRIOR_GAP_CAPS * cap;
    readAt = Math.min(readAt, Math.max(ran + cap, Math.min(capFrom, ran + longest)));
  }
  // A failure may come at any time, whatever the work: the first read (however long the submit
  // took) and any read before the earliest recent failure come by then. A callback reports a
  // failure too, so a wait backed by one needs no such read.
  const failure = fallback ? undefined : outlook.earliestFailureMs;
  if (failure !== undefined && (pollIndex === 0 || ran * 1000 < failure)) {
    readAt = Math.min(readAt, Math.max(failure / 1000, ran + shortest));
  }
  const gapMs = (readAt - ran) * 1000;
  // Jitter keeps waiters that started together apart; a read that jumps a span where an end is
  // improbable is spread after its target only, never back into the span.
  const delayMs =
    gapMs > intervals.maxPollIntervalMs
      ? gapMs + JITTER * intervals.maxPollIntervalMs * random()
      : Math.min(gapMs * (1 - JITTER + 2 * JITTER * random()), intervals.maxPollIntervalMs);
  return { delayMs: Math.round(delayMs), nextIndex };
}
