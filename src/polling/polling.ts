import type { CompletedJob, JobStatus } from "../gateway/schemas.js";
import { RunTimes } from "./run-times.js";
import { SharedClock } from "./shared-clock.js";
import { type WaitSettings, waitForJob } from "./wait.js";

/** What a caller decides about one wait; the rest comes from the client's polling state. */
export type WaitRequest = Omit<WaitSettings, "clock" | "quietUntil" | "onEnded" | "estimate">;

/**
 * One client's polling: the shared clock every wait sleeps on, and (with adaptive polling) the
 * run times learned from the jobs this client submitted.
 */
export class Polling {
  readonly #clock = new SharedClock();
  /** `undefined` with `adaptivePolling: false`. */
  readonly #runTimes: RunTimes | undefined;

  constructor(adaptive: boolean) {
    this.#runTimes = adaptive ? new RunTimes() : undefined;
  }

  /**
   * Notes that this client submitted `requestId` to `modelId`, `startedAt` (`monotonicNow()`
   * ms), asking for `work` units (see `job-work.ts`).
   */
  submitted(requestId: string, modelId: string, startedAt: number, work?: number): void {
    this.#runTimes?.started(requestId, modelId, startedAt, work);
  }

  /**
   * Polls `readStatus` until the job ends, learning its run time when it was this client's.
   *
   * @throws as {@link waitForJob}.
   */
  wait(
    requestId: string,
    readStatus: (signal: AbortSignal) => Promise<JobStatus>,
    request: WaitRequest,
  ): Promise<CompletedJob> {
    const runTimes = this.#runTimes;
    return waitForJob(requestId, readStatus, {
      ...request,
      clock: this.#clock,
      quietUntil: runTimes?.quietUntil(requestId),
      estimate: runTimes && ((now) => runTimes.estimate(requestId, now)),
      onEnded: runTimes && ((status, lastRunningAt, endedAt) => runTimes.ended(status, lastRunningAt, endedAt)),
    });
  }
}
