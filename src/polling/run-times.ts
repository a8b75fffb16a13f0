import { type JobStatus, parseGatewayTimestamp } from "../gateway/schemas.js";
import { type CompletionEstimate, estimateCompletion, runTimeDistribution } from "./estimate.js";
import { typicalWork } from "./job-work.js";
import type { RunTimesSnapshot } from "./run-time-store.js";

/*
 * Why a client learns job durations. A status read before any job could have ended is wasted:
 * with a fixed or ramping schedule every wait pays for the reads it makes before the fastest
 * job of its model finishes. The gateway does not say how long a model takes, so the client
 * remembers how long its recent jobs of each model took per unit of work (frames × pixels,
 * `job-work.ts`), and `wait` makes no read before the fastest of them would have ended at this
 * job's size, not even the early read that the plain schedule makes to catch an immediate ERROR. Failed jobs count too, so a model whose jobs sometimes fail within seconds learns no
 * quiet period, and a failure is never reported later than the model's fastest success would
 * have been. A job shorter than everything seen is found at the end of the quiet period instead
 * of sooner, and then shortens the quiet period for the jobs after it.
 */

/** Recent jobs per model whose durations are kept; the oldest is dropped first. */
export const DURATION_SAMPLES_PER_MODEL = 32;
/** Jobs of a model the client must have seen end before it skips any read. */
export const MIN_DURATION_SAMPLES = 5;
/**
 * Submissions remembered until their job is seen to end; the oldest is forgotten first. A wait
 * that was aborted or timed out keeps its entry, so a resumed `wait(requestId)` still benefits.
 */
const MAX_TRACKED_SUBMISSIONS = 10_000;

/** When a job was submitted, to which model, and how much work it asked for (see `job-work.ts`). */
interface Submission {
  readonly modelId: string;
  readonly startedAt: number;
  readonly work: number;
}

/**
 * What one client knows about how long each model's jobs run, from the jobs it submitted and
 * saw end. Holds no timers and no I/O.
 */
export class RunTimes {
  readonly #submissions = new Map<string, Submission>();
  readonly #samples = new Map<string, number[]>();
  /** Per model, the log of the seconds per unit of work of its recent completed jobs. */
  readonly #logRates = new Map<string, number[]>();
  /** Per model, the run times (ms) of its recent failed jobs, which say nothing of work. */
  readonly #failures = new Map<string, number[]>();

  /**
   * Records that `requestId` (of `modelId`, asking for `work` units) was submitted at
   * `startedAt` (`monotonicNow()` ms).
   */
  started(requestId: string, modelId: string, startedAt: number, work = typicalWork(modelId)): void {
    if (this.#submissions.size >= MAX_TRACKED_SUBMISSIONS) {
      // A tenth at a time: dropping one oldest entry per submit makes the map walk past every
      // earlier deletion to find the next oldest (a cost that grows for webhook-only callers
      // who submit without ever waiting).
      let drop = MAX_TRACKED_SUBMISSIONS / 10;
      for (const oldest of this.#submissions.keys()) {
        if (drop-- <= 0) break;
        this.#submissions.delete(oldest);
      }
    }
    this.#submissions.set(requestId, { modelId, startedAt, work });
  }

  /**
   * When the job `requestId` will likely end, seen at `now` (`monotonicNow()` ms), from the run
   * times of its model per unit of work; `undefined` for a job this client did not submit.
   */
  estimate(requestId: string, now: number): CompletionEstimate | undefined {
    const submission = this.#submissions.get(requestId);
    if (!submission) return undefined;
    const logRates = this.#logRates.get(submission.modelId) ?? [];
    const runTime = runTimeDistribution(logRates, submission.work, typicalWork(submission.modelId));
    return estimateCompletion(runTime, now - submission.startedAt, logRates.length);
  }

  /**
   * The time (`monotonicNow()` ms) before which no recent job of this one's model, scaled to this
   * job's work, would have ended, nor any recent failure did; `undefined` when the job was not
   * submitted by this client or too few of its model's jobs have been seen.
   */
  quietUntil(requestId: string): number | undefined {
    const submission = this.#submissions.get(requestId);
    if (!submission) return undefined;
    const samples = this.#samples.get(submission.modelId);
    if (!samples || samples.length < MIN_DURATION_SAMPLES) return undefined;
    // The fastest recent completion per unit of work, scaled to this job's work: a big job is not
    // held to the run time of the model's smallest one. A failure may come at any time, whatever
    // the work: the earliest recent one bounds the quiet period as it is.
    const logRates = this.#logRates.get(submission.modelId) ?? [];
    const fastest =
      logRates.length > 0 ? Math.round(Math.exp(Math.min(...logRates)) * submission.work * 1000) : Infinity;
    const quiet = Math.min(fastest, ...(this.#failures.get(submission.modelId) ?? []));
    return Number.isFinite(quiet) ? submission.startedAt + quiet : undefined;
  }

  /**
   * Learns from a job that reached a terminal status. The gateway's `created_at` and
   * `completed_at` give its run time; they are trusted only inside what the client saw itself
   * (after the last read that found the job running, before the read that found it ended), so a
   * missing timestamp or a server clock in another zone cannot teach a wrong duration.
   *
   * @param lastRunningAt `monotonicNow()` ms of the last read that found the job not yet ended,
   * if any.
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
    const duration = Math.min(latest, Math.max(earliest, reported));
    const samples = this.#samples.get(submission.modelId) ?? [];
    samples.push(duration);
    if (samples.length > DURATION_SAMPLES_PER_MODEL) samples.shift();
    this.#samples.set(submission.modelId, samples);
    // Only a job that completed says how long the work takes; a failure may end at any time.
    if (job.status !== "COMPLETED" || duration <= 0) {
      const failures = this.#failures.get(submission.modelId) ?? [];
      failures.push(duration);
      if (failures.length > DURATION_SAMPLES_PER_MODEL) failures.shift();
      this.#failures.set(submission.modelId, failures);
      return;
    }
    const logRates = this.#logRates.get(submission.modelId) ?? [];
    logRates.push(Math.log(duration / 1000 / submission.work));
    if (logRates.length > DURATION_SAMPLES_PER_MODEL) logRates.shift();
    this.#logRates.set(submission.modelId, logRates);
  }

  /** What was learned, per model, to keep across processes. */
  snapshot(): RunTimesSnapshot {
    const models = new Set([...this.#samples.keys(), ...this.#logRates.keys()]);
    return Object.fromEntries(
      [...models].map((modelId) => [
        modelId,
        {
          durationsMs: this.#samples.get(modelId) ?? [],
          logRates: this.#logRates.get(modelId) ?? [],
          failuresMs: this.#failures.get(modelId) ?? [],
        },
      ]),
    );
  }

  /**
   * Takes what an earlier process learned, before anything learned here: this process's own jobs
   * stay the most recent, and each list keeps its last 32.
   */
  restore(snapshot: RunTimesSnapshot): void {
    for (const [modelId, { durationsMs, logRates, failuresMs = [] }] of Object.entries(snapshot)) {
      this.#failures.set(
        modelId,
        [...failuresMs, ...(this.#failures.get(modelId) ?? [])].slice(-DURATION_SAMPLES_PER_MODEL),
      );
      this.#samples.set(
        modelId,
        [...durationsMs, ...(this.#samples.get(modelId) ?? [])].slice(-DURATION_SAMPLES_PER_MODEL),
      );
      this.#logRates.set(
        modelId,
        [...logRates, ...(this.#logRates.get(modelId) ?? [])].slice(-DURATION_SAMPLES_PER_MODEL),
      );
    }
  }

  /** Submissions tracked now (for leak checks). */
  get tracked(): number {
    return this.#submissions.size;
  }
}
