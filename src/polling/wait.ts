import { GenerationFailedError, UnexpectedResponseError, WaitTimeoutError } from "../errors/errors.js";
import { statusPath } from "../gateway/gateway.js";
import { type CompletedJob, type JobStatus, TERMINAL_JOB_STATUSES } from "../gateway/schemas.js";
import { monotonicNow } from "../internal/clock.js";
import { excerptOf } from "../internal/excerpt.js";
import { linkSignals } from "../internal/signals.js";
import type { CompletionEstimate } from "./estimate.js";
import type { JobOutlook } from "./read-plan.js";
import { nextPoll, type PollIntervals } from "./schedule.js";
import type { SharedClock } from "./shared-clock.js";

/** A status pushed to a waiter, e.g. by a webhook delivery. */
export interface JobEvent {
  readonly status: JobStatus;
  /**
   * Whether the status came from the gateway with the caller's key (a verified webhook). An
   * unverified event only prompts an immediate status read; it is never trusted as the result.
   */
  readonly verified: boolean;
}

/** Something that pushes job statuses as they happen: a `WebhookReceiver`. */
export interface JobEventSource {
  /**
   * Calls `listener` with each event for `requestId` from now on, and at once with the latest one
   * already received, if any. Returns a function that stops the calls.
   */
  subscribe(requestId: string, listener: (event: JobEvent) => void): () => void;
}

/** What `onStatus` is told besides the status. */
export interface WaitProgress {
  /**
   * When the job will likely end, while it runs: for jobs this client submitted (with
   * `adaptivePolling`, the default), from the run times of the model's recent jobs, or a wide
   * prior before three have ended. `undefined` for a job submitted elsewhere and once it ended.
   */
  readonly estimate: CompletionEstimate | undefined;
}

/** Settings of one wait, already validated. */
export interface WaitSettings extends PollIntervals {
  /** `Infinity` for no limit. */
  readonly timeoutMs: number;
  readonly signal?: AbortSignal | undefined;
  readonly onStatus?: ((status: JobStatus, progress: WaitProgress) => void | Promise<void>) | undefined;
  /** Pushed statuses that end a sleep early; polling continues as the fallback. */
  readonly events?: JobEventSource | undefined;
  /** The client's shared clock for the sleeps between polls. */
  readonly clock: SharedClock;
  /** What is known of the job's run time, which places the reads (see `read-plan.ts`). */
  readonly outlook?: JobOutlook | undefined;
  /**
   * Told once when the job is seen to end: the terminal status, when the last read found it
   * still running (`monotonicNow()` ms, if any read did), and when its end was seen.
   */
  readonly onEnded?: ((status: JobStatus, lastRunningAt: number | undefined, endedAt: number) => void) | undefined;
  /** The job's completion estimate at `now` (`monotonicNow()` ms), when one can be made. */
  readonly estimate?: ((now: number) => CompletionEstimate | undefined) | undefined;
}

/**
 * Polls `readStatus` until the job is terminal. The deadline and the caller's signal both abort
 * whatever is under way (a sleep or a request in flight), so nothing follows either. With an
 * event source, a pushed status ends the current sleep: a verified one is used as it is, an
 * unverified terminal one triggers a status read at once.
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
  // The deadline rides the shared clock too: a thousand waits, still one timer.
  const finished = new AbortController();
  if (Number.isFinite(settings.timeoutMs)) {
    settings.clock.sleep(settings.timeoutMs, finished.signal).then(
      () => deadline.abort(),
      () => {},
    );
  }
  const linked = linkSignals(settings.signal, deadline.signal);
  const pushed: JobStatus[] = [];
  let readNow = false;
  let wake: (() => void) | undefined;
  const unsubscribe = settings.events?.subscribe(requestId, ({ status, verified }) => {
    if (verified) pushed.push(status);
    else if (TERMINAL_JOB_STATUSES.has(status.status)) readNow = true;
    else return;
    wake?.();
  });
  // With events the reads only back up the callbacks, which report an immediate ERROR too.
  const outlook = settings.outlook && settings.events ? { ...settings.outlook, fallback: true } : settings.outlook;
  let lastStatus: JobStatus | undefined;
  let lastRunningAt: number | undefined;
  try {
    for (let pollIndex = 0; ; ) {
      if (pushed.length === 0 && !readNow) {
        const planned = nextPoll({ pollIndex, outlook, now: monotonicNow() }, settings);
        pollIndex = planned.nextIndex;
        await settings.clock.sleep(planned.delayMs, linked.signal, (resume) => {
          wake = resume;
        });
      }
      const next = pushed.shift();
      // When the status was true: before the read was sent (a status read later could already
      // be out of date), so a running job's time is never counted past its end.
      const observedAt = monotonicNow();
      let status: JobStatus;
      if (next) {
        status = next;
      } else {
        readNow = false;
        status = await readStatus(linked.signal);
      }
      lastStatus = status;
      const ended = TERMINAL_JOB_STATUSES.has(status.status);
      if (ended) settings.onEnded?.(status, lastRunningAt, monotonicNow());
      else lastRunningAt = observedAt;
      await settings.onStatus?.(status, { estimate: ended ? undefined : settings.estimate?.(monotonicNow()) });
      if (ended) {
        if (status.status === "COMPLETED") return completedJob(status);
        throw new GenerationFailedError(status as JobStatus & { status: "FAILED" | "ERROR" });
      }
    }
  } catch (error) {
    // The job's own verdict outranks an abort or a deadline that raced it.
    if (error instanceof GenerationFailedError || error instanceof UnexpectedResponseError) throw error;
    if (settings.signal?.aborted) throw settings.signal.reason;
    if (deadline.signal.aborted) throw new WaitTimeoutError({ requestId, lastStatus, timeoutMs: settings.timeoutMs });
    throw error;
  } finally {
    finished.abort();
    linked.dispose();
    unsubscribe?.();
  }
}

/**
 * A `COMPLETED` status as a completed job with its output. The reference's completed status
 * always carries `output.media_url`; one without it is reported rather than handed on as a
 * success that has no video.
 *
 * @throws {UnexpectedResponseError} when the status has no `output.media_url` entry.
 */
function completedJob(status: JobStatus): CompletedJob {
  const urls = status.output?.media_url;
  if (status.output && Array.isArray(urls) && urls.length > 0) return status as CompletedJob;
  const shown = JSON.stringify(status);
  throw new UnexpectedResponseError({
    message: `Job ${status.request_id} is COMPLETED, but its status carries no output.media_url, which the reference's completed status always has; read it again later with client.status("${status.request_id}")`,
    status: 200,
    excerpt: excerptOf(shown),
    request: { method: "GET", path: statusPath(status.request_id) },
    requestId: status.request_id,
  });
}
