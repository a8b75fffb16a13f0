import { monotonicNow } from "../internal/clock.js";
import type { CompletedJob, JobStatus } from "../job/status.js";
import type { RunTimeStore } from "../run-time-store/format.js";
import { StoreSync } from "../run-time-store/sync.js";
import { GATEWAY_PRIOR_QUIET_MS, RunTimes } from "./run-times.js";
import { type WaitSettings, waitForJob } from "./wait.js";

/** What a caller decides about one wait; the rest comes from the client's polling state. */
export type WaitRequest = Omit<WaitSettings, "begunAt" | "startedAt" | "quietMs" | "onEnded" | "estimate">;

/**
 * One client's waits and, with adaptive polling, the run times learned from the jobs it submitted,
 * kept in step with a `runTimeStore` when there is one.
 */
export class Polling {
  /** `undefined` with `adaptivePolling: false`. */
  readonly #runTimes: RunTimes | undefined;
  readonly #store: StoreSync | undefined;

  /**
   * @param adaptive whether to learn run times; `openStore` gives the store that keeps them
   * between processes.
   * @param gateway whether the base URL is the Pixazo gateway's, whose pace the prior describes.
   */
  constructor(adaptive: boolean, openStore: (() => Promise<RunTimeStore>) | undefined, gateway: boolean) {
    this.#runTimes = adaptive ? new RunTimes(gateway ? GATEWAY_PRIOR_QUIET_MS : undefined) : undefined;
    this.#store = this.#runTimes && openStore ? new StoreSync(openStore, this.#runTimes) : undefined;
  }

  /** Notes that this client submitted `requestId` to `modelId` at `startedAt` (`monotonicNow()` ms), `size` × the default work. */
  submitted(requestId: string, modelId: string, startedAt: number, size: number): void {
    this.#runTimes?.started(requestId, modelId, startedAt, size);
  }

  /**
   * Polls `readStatus` until the job ends, learning its run time when it was this client's.
   *
   * @throws as {@link waitForJob}.
   */
  async wait(
    requestId: string,
    readStatus: (signal: AbortSignal) => Promise<JobStatus>,
    request: WaitRequest,
  ): Promise<CompletedJob> {
    const runTimes = this.#runTimes;
    const begunAt = monotonicNow();
    // The wait's deadline runs meanwhile: a slow store never holds a wait past it.
    await this.#store?.loaded(request.timeoutMs);
    return waitForJob(requestId, readStatus, {
      ...request,
      begunAt,
      startedAt: runTimes?.startedAt(requestId),
      quietMs: runTimes?.quietMs(requestId),
      estimate: runTimes && ((now) => runTimes.estimate(requestId, now)),
      onEnded:
        runTimes &&
        ((status, lastRunningAt, endedAt) => {
          runTimes.ended(status, lastRunningAt, endedAt);
          this.#store?.save();
        }),
    });
  }

  /** Waits for the last save of what was learned, if one is under way. */
  flush(): Promise<void> | undefined {
    return this.#store?.flush();
  }
}
