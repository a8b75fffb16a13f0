import { GenerationFailedError, WaitTimeoutError } from "../errors/errors.js";
import { linkSignals } from "../internal/signals.js";
import { sleep } from "../internal/sleep.js";
import { type PollIntervals, pollDelayMs } from "./poll-schedule.js";
import { type CompletedJob, type JobStatus, TERMINAL_JOB_STATUSES } from "./schemas.js";

/** Settings of one wait, already validated. */
export interface WaitSettings extends PollIntervals {
  /** `Infinity` for no limit. */
  readonly timeoutMs: number;
  readonly signal?: AbortSignal | undefined;
  readonly onStatus?: ((status: JobStatus) => void | Promise<void>) | undefined;
}

/**
 * Polls `readStatus` until the job is terminal. The deadline and the caller's signal both abort
 * whatever is under way (a sleep or a request in flight), so nothing follows either.
 *
 * @throws {GenerationFailedError} when the job ends `FAILED` or `ERROR`.
 * @throws {WaitTimeoutError} when `timeoutMs` runs out.
 * @throws the signal's reason when the caller aborts.
 */
export async function waitForJob(
  requestId: string,
  readStatus: (signal: AbortSignal) => Promise<JobStatus>,
  settings: WaitSettings,
): Promise<CompletedJob> {
  const deadline = new AbortController();
  const timer = Number.isFinite(settings.timeoutMs)
    ? setTimeout(() => deadline.abort(), settings.timeoutMs)
    : undefined;
  const linked = linkSignals(settings.signal, deadline.signal);
  let lastStatus: JobStatus | undefined;
  try {
    for (let pollIndex = 0; ; pollIndex++) {
      await sleep(pollDelayMs(pollIndex, settings), linked.signal);
      const status = await readStatus(linked.signal);
      lastStatus = status;
      await settings.onStatus?.(status);
      if (TERMINAL_JOB_STATUSES.has(status.status)) {
        if (status.status === "COMPLETED") return status as CompletedJob;
        throw new GenerationFailedError(status as JobStatus & { status: "FAILED" | "ERROR" });
      }
    }
  } catch (error) {
    // The job's own verdict outranks an abort or a deadline that raced it.
    if (error instanceof GenerationFailedError) throw error;
    if (settings.signal?.aborted) throw settings.signal.reason;
    if (deadline.signal.aborted) throw new WaitTimeoutError({ requestId, lastStatus, timeoutMs: settings.timeoutMs });
    throw error;
  } finally {
    clearTimeout(timer);
    linked.dispose();
  }
}
