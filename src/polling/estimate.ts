/*
 * When a job will be done. A model's run time per unit of work (see `job-work.ts`) is taken as
 * log-normal: run times are positive, skewed to the right, and vary by a factor rather than by
 * seconds. Its parameters come from the jobs of the model this client saw end, or, before three
 * have, from a wide prior. The estimate of a running job is the distribution of its run time
 * given that it has not ended yet, so it never promises a time already past: a job slower than
 * its peers sees its estimate move out instead of stick at zero.
 */

/** A job's expected completion, in milliseconds from now. */
export interface CompletionEstimate {
  /** The most likely time left: the median of the remaining run time. */
  readonly remainingMs: number;
  /** Eight jobs in ten like this one end between `lowMs` and `highMs` from now. */
  readonly lowMs: number;
  /** See `lowMs`. */
  readonly highMs: number;
  /** Jobs of this model the estimate learned from; `0` when it rests on the prior alone. */
  readonly basedOnJobs: number;
}

/** A log-normal run time: the mean and spread of its natural log (seconds). */
export interface LogNormal {
  readonly mu: number;
  readonly sigma: number;
}

/**
 * The prior: about 90 s for a job of its model's usual size, give or take a factor of 2.5
 * either way (σ = 0.9 in log space), at the default `pollIntervalMs` (2 s); a client that asks
 * for reads more or less often scales it alike (45 × `pollIntervalMs`), so a test client polling
 * a fake every 10 ms does not plan for 90-second jobs. The reference states no run times; LTX
 * jobs take "about 20 seconds to a few minutes", and this is the SDK's guess inside that range,
 * to be replaced by what the client learns.
 */
export const PRIOR_MEDIAN_SECONDS = 90;
const PRIOR_SIGMA = 0.9;

/** Jobs of a model seen end before the estimate uses them instead of the prior. */
export const MIN_ESTIMATE_SAMPLES = 3;

/** Narrowest spread assumed, even when every job so far took the same time. */
const MIN_SIGMA = 0.1;

/** Standard normal distribution function (Abramowitz and Stegun 7.1.26, error < 1.5e-7). */
export function normalCdf(x: number): number {
  const t = 1 / (1 + 0.3275911 * (Math.abs(x) / Math.SQRT2));
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-(x * x) / 2);
  return x >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/** The standard normal quantile (Acklam's rational approximation, relative error < 1.2e-9). */
export function normalQuantile(p: number): number {
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239,
  ];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const q = Math.min(Math.max(p, 1e-12), 1 - 1e-12);
  const tail = (r: number) =>
    ((((((c[0] as number) * r + (c[1] as number)) * r + (c[2] as number)) * r + (c[3] as number)) * r +
      (c[4] as number)) *
      r +
      (c[5] as number)) /
    (((((d[0] as number) * r + (d[1] as number)) * r + (d[2] as number)) * r + (d[3] as number)) * r + 1);
  if (q < 0.02425) return tail(Math.sqrt(-2 * Math.log(q)));
  if (q > 1 - 0.02425) return -tail(Math.sqrt(-2 * Math.log(1 - q)));
  const r = (q - 0.5) ** 2;
  const x = q - 0.5;
  return (
    (((((((a[0] as number) * r + (a[1] as number)) * r + (a[2] as number)) * r + (a[3] as number)) * r +
      (a[4] as number)) *
      r +
      (a[5] as number)) *
      x) /
    ((((((b[0] as number) * r + (b[1] as number)) * r + (b[2] as number)) * r + (b[3] as number)) * r +
      (b[4] as number)) *
      r +
      1)
  );
}

/**
 * The run-time distribution of a job of `work` units, from the logs of the seconds per unit of
 * the model's recent jobs, or the prior (scaled from `typicalWork`, and by `priorScale`) when
 * there are too few.
 */
export function runTimeDistribution(
  logRates: readonly number[],
  work: number,
  typicalWork: number,
  priorScale = 1,
): LogNormal {
  const n = logRates.length;
  if (n < MIN_ESTIMATE_SAMPLES) {
    return { mu: Math.log(PRIOR_MEDIAN_SECONDS * priorScale * (work / typicalWork)), sigma: PRIOR_SIGMA };
  }
  const mean = logRates.reduce((sum, value) => sum + value, 0) / n;
  const variance = logRates.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (n - 1);
  // A few samples understate the spread: widened as the next sample's predictive spread would be.
  const sigma = Math.max(MIN_SIGMA, Math.sqrt(variance * (1 + 1 / n)));
  return { mu: mean + Math.log(work), sigma };
}

/**
 * When a job of run-time distribution `runTime` that has run `elapsedMs` without ending will
 * end: the median and the 10th and 90th percentiles of what is left, given it is still running.
 */
export function estimateCompletion(runTime: LogNormal, elapsedMs: number, basedOnJobs: number): CompletionEstimate {
  const elapsed = Math.max(elapsedMs, 0) / 1000;
  const endedBy = elapsed > 0 ? normalCdf((Math.log(elapsed) - runTime.mu) / runTime.sigma) : 0;
  const remainingAt = (quantile: number) => {
    const seconds = Math.exp(runTime.mu + runTime.sigma * normalQuantile(endedBy + quantile * (1 - endedBy)));
    return Math.max(0, Math.round((seconds - elapsed) * 1000));
  };
  return { remainingMs: remainingAt(0.5), lowMs: remainingAt(0.1), highMs: remainingAt(0.9), basedOnJobs };
}
