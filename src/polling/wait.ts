import { ConnectionError, GenerationFailedError, RequestTimeoutError, WaitTimeoutError } from "../errors/errors.js";
import { completedJob } from "../gateway/gateway.js";
import { abortAt } from "../internal/abort-at.js";
import { abortable } from "../internal/abortable.js";
import { monotonicNow } from "../internal/clock.js";
import { linkSignals } from "../internal/signals.js";
import { pause } from "../internal/sleep.js";
import type { JobEventSource } from "../job/events.js";
import { type CompletedJob, isTerminal, type JobStatus } from "../job/status.js";
import type { CompletionEstimate } from "./estimate.js";
import { nextReadDelay, type PollIntervals } from "./schedule.js";

/** What `onStatus` is told besides the status. */
export interface WaitProgress {
  /**
   * When the job will likely end (see `estimateCompletion`): for a running job this client
   * submitted, once three of its model's jobs completed; `undefined` when there is nothing sensible to say.
   */
  readonly estimate: CompletionEstimate | undefined;
}

/** Settings of one wait, already validated. */
export interface WaitSettings extends PollIntervals {
  /** `Infinity` for no limit. */
  readonly timeoutMs: number;
  /** How long the last status read, made at the deadline, may take before the wait gives up. */
  readonly requestTimeoutMs: number;
  readonly signal?: AbortSignal | undefined;
  readonly onStatus?: ((status: JobStatus, progress: WaitProgress) => void | Promise<void>) | undefined;
  /** Pushed statuses that end a sleep early; polling continues as the fallback. */
  readonly events?: JobEventSource | undefined;
  /** When the wait began (`monotonicNow()` ms), if before this call: its deadline counts from there. */
  readonly begunAt?: number | undefined;
  /** When the job was submitted (`monotonicNow()` ms), for a job this client submitted. */
  readonly startedAt?: number | undefined;
  /** No job like this one is expected to end before it has run this long (see `RunTimes.quietMs`). */
  readonly quietMs?: number | undefined;
  /** Told once the job is seen to end; `lastRunningAt`: the last read that found it running (ms). */
  readonly onEnded?: ((status: JobStatus, lastRunningAt: number | undefined, endedAt: number) => void) | undefined;
  /** The job's completion estimate at `now` (`monotonicNow()` ms), when one can be made. */
  readonly estimate?: ((now: number) => CompletionEstimate | undefined) | undefined;
}

/**
 * Polls `readStatus` until the job is terminal. The wait settles by its deadline plus one request
 * timeout, whatever any input says: no sleep runs past the deadline, a read under way at it is
 * stopped, and one last read is made at it (so a job that completed in time is never reported
 * unfinished), cut a request timeout later. The caller's signal aborts whatever is under way. With
 * an event source, a pushed status ends the current sleep: a verified one is used as it is, an
 * unverified terminal one triggers a status read at once.
 *
 * @throws {GenerationFailedError} when the job ends `FAILED` or `ERROR`.
 * @throws {WaitTimeoutError} when the job has not ended by the deadline.
 * @throws the signal's reason when the caller aborts.
 */
export async function waitForJob(
  requestId: string,
  readStatus: (signal: AbortSignal) => Promise<JobStatus>,
  settings: WaitSettings,
): Promise<CompletedJob> {
  const begun = settings.begunAt ?? monotonicNow();
  const deadline = begun + settings.timeoutMs;
  const pushed: JobStatus[] = [];
  let readNow = false;
  let wake: (() => void) | undefined;
  const unsubscribe = settings.events?.subscribe(requestId, ({ status, verified }) => {
    if (verified) pushed.push(status);
    else if (isTerminal(status)) readNow = true;
    else return;
    wake?.();
  });
  const since = settings.startedAt ?? begun;
  let lastStatus: JobStatus | undefined;
  let lastRunningAt: number | undefined;
  let last = false;
  try {
    for (let reads = 0; ; reads++) {
      if (pushed.length === 0 && !readNow && !last) {
        const now = monotonicNow();
        const leftMs = deadline - now;
        const fallback = settings.events !== undefined;
        const delay = nextReadDelay(
          { ranMs: now - since, reads, quietMs: settings.quietMs, fallback, leftMs },
          settings,
        );
        let woken = false;
        await pause(delay, settings.signal, (resume) => {
          wake = () => {
            woken = true;
            resume();
          };
        });
        wake = undefined;
        // A sleep that ran to the deadline is followed by the last read.
        last = !woken && delay >= Math.floor(leftMs);
      }
      last ||= monotonicNow() >= deadline;
      const next = pushed.shift();
      // When the status was true: before the read was sent (a status read later could already
      // be out of date), so a running job's time is never counted past its end.
      const observedAt = monotonicNow();
      let status: JobStatus;
      if (next) {
        status = next;
      } else {
        readNow = false;
        const read = await readUntil(
          readStatus,
          settings.signal,
          last ? deadline + settings.requestTimeoutMs : deadline,
        );
        // A read the deadline stopped gives way to the last one.
        if (read === undefined && !last) continue;
        if (read === undefined) throw new WaitTimeoutError({ requestId, lastStatus, timeoutMs: settings.timeoutMs });
        status = read;
      }
      lastStatus = status;
      const ended = isTerminal(status);
      if (ended) settings.onEnded?.(status, lastRunningAt, monotonicNow());
      else lastRunningAt = observedAt;
      await settings.onStatus?.(status, { estimate: ended ? undefined : settings.estimate?.(monotonicNow()) });
      if (ended) {
        if (status.status === "COMPLETED") return completedJob(status);
        throw new GenerationFailedError(status as JobStatus & { status: "FAILED" | "ERROR" });
      }
      if (last) throw new WaitTimeoutError({ requestId, lastStatus, timeoutMs: settings.timeoutMs });
    }
  } catch (error) {
    // The last read failed on the wire: the job may still finish, so say that.
    if (
      last &&
      !settings.signal?.aborted &&
      (error instanceof RequestTimeoutError || error instanceof ConnectionError)
    ) {
      throw new WaitTimeoutError({ requestId, lastStatus, timeoutMs: settings.timeoutMs });
    }
    throw error;
  } finally {
    unsubscribe?.();
  }
}

/**
 * One status read, stopped at `until` (`monotonicNow()` ms): `undefined` when it was (or `until`
 * had passed). The caller's signal aborts it too, rejecting with the signal's reason.
 */
async function readUntil(
  readStatus: (signal: AbortSignal) => Promise<JobStatus>,
  signal: AbortSignal | undefined,
  until: number,
): Promise<JobStatus | undefined> {
  const stop = new AbortController();
  const disarm = abortAt(stop, until);
  const linked = linkSignals(signal, stop.signal);
  try {
    if (linked.signal.aborted) throw linked.signal.reason;
    // Raced against the stop, so the bound holds even for a read that ignores its signal.
    return await abortable(readStatus(linked.signal), linked.signal);
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    if (stop.signal.aborted) return undefined;
    throw error;
  } finally {
    disarm();
    linked.dispose();
  }
}
