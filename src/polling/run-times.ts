import { type JobStatus, parseGatewayTimestamp } from "../gateway/schemas.js";
import {
  type CompletionEstimate,
  estimateCompletion,
  type LogNormal,
  MIN_ESTIMATE_SAMPLES,
  runTimeDistribution,
} from "./estimate.js";
import { typicalWork } from "./job-work.js";
import type { JobOutlook } from "./read-plan.js";
import type { RunTimesSnapshot } from "./run-time-store.js";

/*
 * Why a client learns job durations. A status read before any job could have ended is wasted,
 * and one long after the likely end costs the caller time. The gateway does not say how long a
 * model takes, so the client remembers how long its recent jobs of each model took per unit of
 * work (frames × pixels, `job-work.ts`), and each wait places its reads by the resulting run-time
 * distribution at its job's size (`read-plan.ts`). Failed jobs are kept apart: a failure says
 * nothing of the work, and may come at any time, so the earliest recent one bounds the first
 * read as it is, and a failure is never reported later than that.
 */

/** Recent jobs per model whose durations are kept; the oldest is dropped first. */
export const DURATION_SAMPLES_PER_MODEL = 32;
/** Jobs of a model the client must have seen end before it skips the early read. */
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
  /** Whether the input names a file the gateway must fetch (see `RunTimes.outlook`). */
  readonly fetchesInputs: boolean;
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
  readonly #priorScale: number;

  /** @param priorScale scales the prior run time (see `PRIOR_MEDIAN_SECONDS`); 1 by default. */
  constructor(priorScale = 1) {
    this.#priorScale = priorScale;
  }

  /**
   * Records that `requestId` (of `modelId`, asking for `work` units, naming input files the
   * gateway must fetch or not) was submitted at `startedAt` (`monotonicNow()` ms).
   */
  started(
    requestId: string,
    modelId: string,
    startedAt: number,
    work = typicalWork(modelId),
    fetchesInputs = false,
  ): void {
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
    this.#submissions.set(requestId, { modelId, startedAt, work, fetchesInputs });
  }

  /**
   * When the job `requestId` will likely end, seen at `now` (`monotonicNow()` ms), from the run
   * times of its model per unit of work; `undefined` for a job this client did not submit.
   */
  estimate(requestId: string, now: number): CompletionEstimate | undefined {
    const submission = this.#submissions.get(requestId);
    if (!submission) return undefined;
    const { runTime, learnedFrom } = this.#runTime(submission);
    return estimateCompletion(runTime, now - submission.startedAt, learnedFrom);
  }

  /**
   * What a wait on `requestId` knows of its run time: when it started, the run-time distribution
   * of its model at its work, the earliest recent failure, and whether an early read still pays
   * (see `read-plan.ts`); `undefined` for a job this client did not submit.
   */
  outlook(requestId: string): JobOutlook | undefined {
    const submission = this.#submissions.get(requestId);
    if (!submission) return undefined;
    const failures = this.#failures.get(submission.modelId) ?? [];
    const ended = this.#samples.get(submission.modelId)?.length ?? 0;
    const { runTime, learnedFrom } = this.#runTime(submission);
    return {
      startedAt: submission.startedAt,
      runTime,
      learned: learnedFrom > 0,
      // A failure may come at any time, whatever the work: the earliest recent one bounds the
      // first read as it is.
      earliestFailureMs: failures.length > 0 ? Math.min(...failures) : undefined,
      // The read a second after submit is there to catch an immediate ERROR, and the one such
      // error the SDK can foresee is an input file the gateway cannot fetch (the reference does
      // not say when ERROR comes). So it is made only for inputs that name a file, and only until
      // the model's jobs have been seen end a few times: from then on an early failure shows in
      // `earliestFailureMs`, which brings the first read forward by itself.
      earlyRead: submission.fetchesInputs && ended < MIN_DURATION_SAMPLES,
    };
  }

  /**
   * The run-time distribution of a submitted job at its work, and how many of its model's
   * completed jobs it was learned from (`0` while the prior stands in, before three).
   */
  #runTime(submission: Submission): { runTime: LogNormal; learnedFrom: number } {
    const logRates = this.#logRates.get(submission.modelId) ?? [];
    return {
      runTime: runTimeDistribution(logRates, submission.work, typicalWork(submission.modelId), this.#priorScale),
      learnedFrom: logRates.length >= MIN_ESTIMATE_SAMPLES ? logRates.length : 0,
    };
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
