import { type LogNormal, normalCdf, normalQuantile } from "./estimate.js";

/*
 * Where to place the next status read of a job whose run time has a known distribution (learned,
 * or the prior before anything is). A read costs one request from the key's rate limit; a read
 * placed late costs the caller the time between the job's end and the read. The next read comes
 * when the delay the caller can expect to have accumulated since now, if the job ends meanwhile,
 * reaches what one read is worth (`readCostSeconds`):
 *
 *     E[(x − T)⁺ ; T ≤ x | T > t] = readCostSeconds
 *
 * T is the run time, t the time run so far, x the next read. Where jobs seldom end the left side
 * grows slowly and reads are far apart; around the likely end it grows fast and reads crowd
 * together. With a constant hazard h this is the classic interval √(2c/h). The bounds around it
 * (`pollIntervalMs`, the cap, an overdue job, the earliest failure) are applied by `nextPoll`.
 */

/** Run-time quantile before which reads may be further apart than the cap: the improbable span. */
export const IMPROBABLE_END_QUANTILE = 0.05;

/** What a wait knows of its job's run time. */
export interface JobOutlook {
  /** When the job was submitted, `monotonicNow()` ms. */
  readonly startedAt: number;
  /** Its run time's distribution (log seconds). */
  readonly runTime: LogNormal;
  /**
   * Whether `runTime` was learned from the model's jobs rather than the prior. A learned
   * distribution may space reads as far apart as its improbable span; the prior, a guess paced by
   * `pollIntervalMs`, at most twice the cap.
   */
  readonly learned: boolean;
  /** Run time (ms) of the model's earliest recent failure, which may come whatever the work. */
  readonly earliestFailureMs?: number | undefined;
  /** Whether a first read soon after submit pays for itself (see `RunTimes.outlook`). */
  readonly earlyRead: boolean;
  /** Whether the reads only back up pushed events (a webhook receiver), which bring the end. */
  readonly fallback?: boolean | undefined;
}

/** E[T ; T ≤ x] of a log-normal run time (seconds): its partial expectation. */
function partialMean({ mu, sigma }: LogNormal, x: number): number {
  if (x <= 0) return 0;
  return Math.exp(mu + (sigma * sigma) / 2) * normalCdf((Math.log(x) - mu - sigma * sigma) / sigma);
}

function cdf({ mu, sigma }: LogNormal, x: number): number {
  return x <= 0 ? 0 : normalCdf((Math.log(x) - mu) / sigma);
}

/**
 * The expected delay (seconds) accumulated between `t` and `x` by a job still running at `t`:
 * E[(x − T)⁺ ; T ≤ x | T > t].
 */
export function accumulatedDelay(runTime: LogNormal, t: number, x: number): number {
  const survival = 1 - cdf(runTime, t);
  if (survival <= 1e-9) return 0;
  const endedBetween = cdf(runTime, x) - cdf(runTime, t);
  return Math.max(0, (x * endedBetween - (partialMean(runTime, x) - partialMean(runTime, t))) / survival);
}

/**
 * The run time (seconds) at which to read next, for a job that has run `t` seconds: the earliest
 * `x` at which the expected accumulated delay reaches `readCostSeconds`, within
 * `[t + minSeconds, t + horizonSeconds]`.
 */
export function balancedReadAt(
  runTime: LogNormal,
  t: number,
  readCostSeconds: number,
  minSeconds: number,
  horizonSeconds: number,
): number {
  let low = t + minSeconds;
  let high = t + horizonSeconds;
  if (accumulatedDelay(runTime, t, low) >= readCostSeconds) return low;
  if (accumulatedDelay(runTime, t, high) < readCostSeconds) return high;
  // The accumulated delay grows with x: bisection to a tenth of a second.
  while (high - low > 0.1) {
    const middle = (low + high) / 2;
    if (accumulatedDelay(runTime, t, middle) >= readCostSeconds) high = middle;
    else low = middle;
  }
  return high;
}

/** The run time (seconds) before which a job of this distribution ends with probability `p`. */
export function runTimeQuantile({ mu, sigma }: LogNormal, p: number): number {
  return Math.exp(mu + sigma * normalQuantile(p));
}
