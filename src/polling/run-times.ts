import { type JobStatus, parseGatewayTimestamp } from "../job/status.js";
import { mergeRunTimes, RANGE_S, type RunTimesSnapshot } from "../run-time-store/format.js";
import { type CompletionEstimate, estimateCompletion, MIN_ESTIMATE_SAMPLES } from "./estimate.js";

/*
 * Why a client learns run times: a status read before any job like this one could have ended is
 * the one waste a schedule can remove. The gateway does not say how long a model takes, so the
 * client keeps, per model, the run times of its recent jobs at the model's default size (a job's
 * run time over its work relative to the defaults, see `models/work.ts`), and a wait reads nothing
 * before the fastest of them, scaled to its job. A job faster than the model's last 32 is rare, and
 * then read late by less than the gap to the fastest. Failures are kept apart: one says nothing of
 * the work and may come at any time, so the earliest recent one bounds the quiet span as it is.
 */

/**
 * Before a model's run times are known, the quiet span assumed on the Pixazo gateway itself, for a
 * job of the model's default size: the reference states no run times, and its example job took
 * 15 s. The SDK's assumption; against any other base URL (a fake, a test gateway) none is made.
 */
export const GATEWAY_PRIOR_QUIET_MS = 15_000;
/** Longest quiet span, whatever was learned or stored. */
const MAX_QUIET_MS = 10 * 60_000;
/** Submissions remembered until their job ends (a resumed wait still benefits); the oldest tenth goes when full. */
const MAX_TRACKED_SUBMISSIONS = 10_000;

/** When a job was submitted, to which model, and its work relative to the model's defaults. */
interface Submission {
  readonly modelId: string;
  readonly startedAt: number;
  readonly size: number;
}

/**
 * What one client knows about how long each model's jobs run, from the jobs it submitted and saw
 * end and from a store. Holds no timers and no I/O.
 */
export class RunTimes {
  readonly #submissions = new Map<string, Submission>();
  #known: RunTimesSnapshot = {};
  /** When the last sample was taken: each gets its own ms, so two equal run times stay two samples. */
  #lastSampleAt = 0;

  /** @param priorQuietMs the quiet span assumed before anything is learned (see `GATEWAY_PRIOR_QUIET_MS`). */
  constructor(private readonly priorQuietMs?: number) {}

  /** Records that `requestId` of `modelId` was submitted at `startedAt` (`monotonicNow()` ms), `size` × the default work. */
  started(requestId: string, modelId: string, startedAt: number, size = 1): void {
    if (this.#submissions.size >= MAX_TRACKED_SUBMISSIONS) {
      let drop = MAX_TRACKED_SUBMISSIONS / 10;
      for (const oldest of this.#submissions.keys()) {
        if (drop-- <= 0) break;
        this.#submissions.delete(oldest);
      }
    }
    this.#submissions.set(requestId, { modelId, startedAt, size });
  }

  /** When `requestId` was submitted (`monotonicNow()` ms), if this client did. */
  startedAt(requestId: string): number | undefined {
    return this.#submissions.get(requestId)?.startedAt;
  }

  /**
   * How long no job like `requestId` is expected to end: the fastest of its model's recent run
   * times scaled to its size, or the prior before three are known; never past the model's earliest
   * recent failure, never over ten minutes. `undefined` when nothing is known.
   */
  quietMs(requestId: string): number | undefined {
    const submission = this.#submissions.get(requestId);
    if (!submission) return undefined;
    const { completed = [], failed = [] } = this.#model(submission.modelId) ?? {};
    // The prior, a guess, is scaled down for a small job, never stretched for a big one.
    const quiet =
      completed.length >= MIN_ESTIMATE_SAMPLES
        ? Math.min(...completed.map(([, s]) => s * 1000)) * submission.size
        : this.priorQuietMs && this.priorQuietMs * Math.min(1, submission.size);
    if (quiet === undefined) return undefined;
    return Math.min(quiet, ...failed.map(([, s]) => s * 1000), MAX_QUIET_MS);
  }

  /** When `requestId` will likely end, seen at `now` (`monotonicNow()` ms); see `estimateCompletion`. */
  estimate(requestId: string, now: number): CompletionEstimate | undefined {
    const submission = this.#submissions.get(requestId);
    if (!submission) return undefined;
    const completed = this.#model(submission.modelId)?.completed ?? [];
    return estimateCompletion(
      completed.map(([, s]) => s * 1000 * submission.size),
      now - submission.startedAt,
    );
  }

  /**
   * Learns from a job that reached a terminal status. The gateway's `created_at` and
   * `completed_at` give its run time; they are trusted only inside what the client saw itself
   * (after the last read that found the job running, before the read that found it ended), so a
   * missing timestamp or a server clock in another zone cannot teach a wrong duration. Only a
   * completed job says how long the work takes; a run time out of range teaches nothing.
   *
   * @param lastRunningAt `monotonicNow()` ms of the last read that found the job not yet ended, if any.
   * @param endedAt `monotonicNow()` ms at which the client learned the job had ended.
   */
  ended(job: JobStatus, lastRunningAt: number | undefined, endedAt: number): void {
    const submission = this.#submissions.get(job.request_id);
    if (!submission) return;
    this.#submissions.delete(job.request_id);
    const earliest = Math.max(0, (lastRunningAt ?? submission.startedAt) - submission.startedAt);
    const latest = Math.max(earliest, endedAt - submission.startedAt);
    const created = parseGatewayTimestamp(job.created_at)?.getTime();
    const completed = parseGatewayTimestamp(job.completed_at)?.getTime();
    const reported = created !== undefined && completed !== undefined ? completed - created : earliest;
    const seconds = Math.min(latest, Math.max(earliest, reported)) / 1000;
    const list = job.status === "COMPLETED" ? "completed" : "failed";
    const value = list === "completed" ? seconds / submission.size : seconds;
    if (!(value >= RANGE_S[list][0] && value <= RANGE_S[list][1])) return;
    this.#lastSampleAt = Math.max(Date.now(), this.#lastSampleAt + 1);
    const entry = { completed: [], failed: [], [list]: [[this.#lastSampleAt, value]] };
    this.absorb({ [submission.modelId]: entry });
  }

  /** Everything known now, to keep across processes. */
  snapshot(): RunTimesSnapshot {
    return this.#known;
  }

  /** Adds what a store (or this client) knows; every sample is kept once, the latest 32 per list. */
  absorb(snapshot: RunTimesSnapshot): void {
    this.#known = mergeRunTimes(this.#known, snapshot);
  }

  /** Submissions tracked now (for leak checks). */
  get tracked(): number {
    return this.#submissions.size;
  }

  #model(modelId: string): RunTimesSnapshot[string] | undefined {
    return Object.hasOwn(this.#known, modelId) ? this.#known[modelId] : undefined;
  }
}
