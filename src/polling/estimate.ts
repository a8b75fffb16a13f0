/*
 * When a job will be done, read off the run times of its model's recent jobs, scaled to its size:
 * of those that ran longer than this job has so far, the spread of what they had left. Pure, apart
 * from the schedule, and with nothing sensible to say (too few jobs seen, a job running longer than
 * every recent one) it says nothing rather than guess.
 */

/** A job's expected completion, in milliseconds from now. */
export interface CompletionEstimate {
  /** The most likely time left: the median of what recent jobs still running at this point had left. */
  readonly remainingMs: number;
  /** About eight jobs in ten like this one end between `lowMs` and `highMs` from now. */
  readonly lowMs: number;
  /** See `lowMs`. */
  readonly highMs: number;
  /** The model's recent completed jobs known (≥ 3); the figures come from those that ran longer. */
  readonly basedOnJobs: number;
}

/** Completed jobs of a model seen before any estimate is made, or any quiet span learned. */
export const MIN_ESTIMATE_SAMPLES = 3;

/**
 * The estimate for a job that has run `elapsedMs` without ending, from the run times (ms, already
 * scaled to its size) of its model's recent completed jobs; `undefined` when there is nothing
 * sensible to say. Every figure is a finite whole number of milliseconds, > 0.
 */
export function estimateCompletion(runTimesMs: readonly number[], elapsedMs: number): CompletionEstimate | undefined {
  if (runTimesMs.length < MIN_ESTIMATE_SAMPLES || !Number.isFinite(elapsedMs)) return undefined;
  const left = runTimesMs
    .map((ms) => Math.round(ms - Math.max(0, elapsedMs)))
    .filter((ms) => ms > 0 && Number.isFinite(ms))
    .sort((a, b) => a - b);
  if (left.length === 0) return undefined;
  const at = (share: number) => left[Math.min(left.length - 1, Math.floor(share * left.length))] as number;
  return { remainingMs: at(0.5), lowMs: at(0.1), highMs: at(0.9), basedOnJobs: runTimesMs.length };
}
