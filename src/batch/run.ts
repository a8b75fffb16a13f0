import {
  AuthenticationError,
  ConnectionError,
  GenerationFailedError,
  InsufficientBalanceError,
  PermissionDeniedError,
  PixazoError,
  RateLimitError,
  SubmitUncertainError,
  ValidationError,
} from "../errors/errors.js";
import type { CompletedJob, JobStatus, SubmittedJob } from "../job/status.js";
import type { CompletionEstimate } from "../polling/estimate.js";
import type { CheckedItem } from "./items.js";
import { type BatchManifest, type BatchRecord, checkManifest, replay, type SavedFile } from "./manifest.js";

/**
 * How a line of a batch ended in this run:
 * - `saved`: completed, its media on disk (with `out`).
 * - `completed`: completed (without `out`, nothing is saved).
 * - `failed`: the job ended `FAILED` or `ERROR`; never sent again.
 * - `held`: its submit may have reached the gateway and no id came back. It is never sent again
 *   on its own: a person checks whether a job exists, then reruns with `resubmitHeld`, or not.
 * - `not-sent`: the gateway refused the submit (a 400, say), so no job exists; a rerun sends it.
 * - `not-saved`: completed, and saving its media failed; a rerun saves it without a new job.
 * - `unfinished`: submitted and not finished here (timeout, abort, the batch stopped); a rerun waits on it.
 * - `pending`: never sent, the batch having stopped first; a rerun sends it.
 */
export type BatchOutcome =
  | "saved"
  | "completed"
  | "failed"
  | "held"
  | "not-sent"
  | "not-saved"
  | "unfinished"
  | "pending";

/** One line's result, yielded by `client.generateMany` as the line finishes. */
export interface BatchResult {
  /** The item's position, counting from 1 (the CLI's line number). */
  readonly line: number;
  /** The item's `name`, when it has one. */
  readonly name: string | undefined;
  /** How the line ended in this run (see {@link BatchOutcome}). */
  readonly outcome: BatchOutcome;
  /** The line's job, when it has one. */
  readonly requestId: string | undefined;
  /** The job's last status read in this run (`undefined` for a line finished by an earlier run). */
  readonly job: JobStatus | undefined;
  /** The files saved for the line (`saved` only). */
  readonly files: readonly SavedFile[];
  /** Why the line did not end `saved` or `completed`: a `PixazoError`, or the signal's reason. */
  readonly error: unknown;
  /** The outcome was reached by an earlier run, as the manifest records; nothing was sent for it. */
  readonly earlier: boolean;
}

/** The batch as a whole, passed to `onProgress` at every change. */
export interface BatchProgress {
  /** Lines in the batch. */
  readonly total: number;
  /** Not yet submitted in this run. */
  readonly queued: number;
  /** Submitted (or being submitted), not finished. */
  readonly running: number;
  /** `saved` or `completed`. */
  readonly done: number;
  /** `failed`, `not-sent` or `not-saved`. */
  readonly failed: number;
  /** `held`: submits that may have reached the gateway with no id back. */
  readonly held: number;
  /** `unfinished` or `pending`. */
  readonly unfinished: number;
  /** The record just kept, when a line's state changed; `undefined` for a line that ended without one. */
  readonly change: BatchRecord | undefined;
  /**
   * About how long until the last line ends, from the estimates of the running jobs and the run
   * times of this run's completed ones; `undefined` until there is something to go on, and while
   * a job runs past its estimate (nothing sensible to say then).
   */
  readonly remainingMs: number | undefined;
}

/** What the batch asks of the client. */
export interface BatchJobs {
  submit(item: CheckedItem): Promise<SubmittedJob>;
  wait(
    requestId: string,
    signal: AbortSignal,
    onEstimate: (estimate: CompletionEstimate | undefined) => void,
  ): Promise<CompletedJob>;
  /** Saves a completed job's media under the item's stem; `undefined` without `out`. */
  save: ((job: CompletedJob, item: CheckedItem, signal: AbortSignal) => Promise<SavedFile[]>) | undefined;
  /** Whether files an earlier run saved are still there, whole (else the line is saved again). */
  stillSaved(files: readonly SavedFile[]): Promise<boolean>;
}

/** Settings of a run, already validated. */
export interface BatchSettings {
  readonly concurrency: number;
  readonly resubmitHeld: boolean;
  readonly signal: AbortSignal | undefined;
  readonly onProgress: ((progress: BatchProgress) => void) | undefined;
}

/** How far a line got, for the result of one whose record could not be kept. */
interface LineProgress {
  /** Its submit may have been sent. */
  sent: boolean;
  requestId: string | undefined;
}

/** A line refused by 429 more often than this (after the client's own retries) is `not-sent`. */
const MAX_RATE_LIMITED_ROUNDS = 20;

/** Kept in manifests: an error's kind and message, cut to a bounded size. */
function errorText(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : "unknown error";
  return text.length > 500 ? `${text.slice(0, 497)}...` : text;
}

/** Refusals that every later submit would meet too: the batch stops sending. */
function stopsTheBatch(error: unknown): boolean {
  return (
    error instanceof AuthenticationError ||
    error instanceof PermissionDeniedError ||
    error instanceof InsufficientBalanceError ||
    error instanceof ValidationError ||
    (error instanceof ConnectionError && !error.mayHaveReachedGateway)
  );
}

/**
 * Runs a batch: lines the manifest shows as submitted are waited on (never sent again), lines
 * never sent are submitted, at most `concurrency` at a time, and every change is recorded before
 * the batch relies on it. Yields each line's result as it ends; after a stop (abort, a refusal
 * every submit would meet, a manifest that cannot be written) the rest come as `unfinished` or
 * `pending`, and then the refusal, if any, is thrown.
 */
export async function* runBatch(
  jobs: BatchJobs,
  items: readonly CheckedItem[],
  manifest: BatchManifest,
  settings: BatchSettings,
): AsyncGenerator<BatchResult, void, undefined> {
  let lines: ReturnType<typeof replay>;
  try {
    lines = replay(await manifest.read());
    checkManifest(lines, items);
  } catch (error) {
    await manifest.close?.();
    throw error;
  }

  // Waits and saves stop at once on abort; submits already sent are let finish (bounded by the
  // client's request timeout), so the id of a job that exists is recorded rather than held.
  const stop = new AbortController();
  const onAbort = () => stop.abort(settings.signal?.reason);
  settings.signal?.addEventListener("abort", onAbort, { once: true });
  if (settings.signal?.aborted) onAbort();
  let fatal: unknown;

  const ready: BatchResult[] = [];
  let wake: (() => void) | undefined;
  // Lines not yet ended, and how many ended each way: the progress is read off these.
  const active = new Map<number, "queued" | "running">();
  const ended = { done: 0, failed: 0, held: 0, unfinished: 0 };
  const estimates = new Map<number, { remainingMs: number; madeAt: number }>();
  // Lines running past their estimate: while there are any, the batch's estimate says nothing.
  const overrun = new Set<number>();
  const runTimes: number[] = [];
  let started = false;

  const progress = (change?: BatchRecord) => {
    if (!settings.onProgress || !started) return;
    let queued = 0;
    for (const phase of active.values()) if (phase === "queued") queued++;
    // A display's error must not cost a line its record or its result: it is dropped.
    try {
      settings.onProgress({
        total: items.length,
        queued,
        running: active.size - queued,
        ...ended,
        change,
        remainingMs: remaining(queued),
      });
    } catch {}
  };
  const remaining = (queued: number): number | undefined => {
    if (overrun.size > 0) return undefined;
    const now = Date.now();
    const left = [...estimates.values()].map(({ remainingMs, madeAt }) => Math.max(0, remainingMs - (now - madeAt)));
    if (queued === 0) return left.length > 0 ? Math.max(...left) : undefined;
    if (runTimes.length === 0) return undefined;
    const typical = [...runTimes].sort((a, b) => a - b)[Math.floor(runTimes.length / 2)] as number;
    return (left.length > 0 ? Math.min(...left) : 0) + Math.ceil(queued / settings.concurrency) * typical;
  };
  const finish = (result: Omit<BatchResult, "earlier" | "files" | "job" | "error"> & Partial<BatchResult>) => {
    const outcome = result.outcome;
    if (outcome === "saved" || outcome === "completed") ended.done++;
    else if (outcome === "held") ended.held++;
    else if (outcome === "unfinished" || outcome === "pending") ended.unfinished++;
    else ended.failed++;
    active.delete(result.line);
    estimates.delete(result.line);
    overrun.delete(result.line);
    ready.push({ files: [], job: undefined, error: undefined, earlier: false, ...result });
    wake?.();
    progress();
  };
  const stopWith = (error: unknown) => {
    fatal ??= error;
    stop.abort(error);
  };
  const record = async (entry: BatchRecord) => {
    try {
      await manifest.append(entry);
    } catch (error) {
      // Without a true record the batch cannot go on safely: it stops, and says why.
      stopWith(error);
      throw error;
    }
    progress(entry);
  };
  const now = () => new Date().toISOString();

  type Entry = { readonly item: CheckedItem; readonly requestId?: string | undefined; readonly rateLimited: number };
  const queue: Entry[] = [];
  const toSubmit: Entry[] = [];
  for (const item of items) {
    const state = lines.get(item.line);
    const base = { line: item.line, name: item.name, earlier: true };
    if (state === undefined || state.last === "not-sent") toSubmit.push({ item, rateLimited: 0 });
    else if (state.last === "submitting" || state.last === "uncertain") {
      if (settings.resubmitHeld) toSubmit.push({ item, rateLimited: 0 });
      else finish({ ...base, outcome: "held", requestId: undefined });
    } else if (state.last === "saved" && (await jobs.stillSaved(state.files)))
      finish({ ...base, outcome: "saved", requestId: state.requestId, files: state.files });
    else if (state.last === "failed") finish({ ...base, outcome: "failed", requestId: state.requestId });
    else if (state.last === "completed" && !jobs.save)
      finish({ ...base, outcome: "completed", requestId: state.requestId });
    // Submitted, or completed and not (or no longer) saved: waited on, its first read ends it.
    else queue.push({ item, requestId: state.requestId, rateLimited: 0 });
  }
  // Jobs already paid for come first, new ones after.
  for (const entry of queue) active.set(entry.item.line, "running");
  for (const entry of toSubmit) active.set(entry.item.line, "queued");
  queue.push(...toSubmit);
  started = true;
  progress();

  /** One line, from its submit (when it has no job yet) to its saved files. */
  const runLine = async (entry: Entry, line: LineProgress): Promise<void> => {
    const { item } = entry;
    const end = (outcome: BatchOutcome, more: Partial<BatchResult> = {}) =>
      finish({ line: item.line, name: item.name, outcome, requestId, ...more });
    let requestId = entry.requestId;
    if (requestId === undefined) {
      active.set(item.line, "running");
      await record({
        line: item.line,
        state: "submitting",
        model: item.modelId,
        fingerprint: item.fingerprint,
        at: now(),
      });
      line.sent = true;
      let submitted: SubmittedJob;
      try {
        submitted = await jobs.submit(item);
      } catch (error) {
        if (error instanceof SubmitUncertainError || !(error instanceof PixazoError)) {
          await record({ line: item.line, state: "uncertain", error: errorText(error), at: now() });
          return end("held", { error });
        }
        await record({ line: item.line, state: "not-sent", error: errorText(error), at: now() });
        if (error instanceof RateLimitError && entry.rateLimited < MAX_RATE_LIMITED_ROUNDS && !stop.signal.aborted) {
          // The client's shared pause holds every request until the gateway's Retry-After: the
          // line goes to the back of the queue and the batch slows, it does not fail.
          active.set(item.line, "queued");
          queue.push({ item, rateLimited: entry.rateLimited + 1 });
          progress();
          return;
        }
        if (stopsTheBatch(error)) stopWith(error);
        return end("not-sent", { error });
      }
      requestId = submitted.request_id;
      line.requestId = requestId;
      await record({ line: item.line, state: "submitted", request_id: requestId, at: now() });
    }
    const startedAt = Date.now();
    let job: CompletedJob;
    try {
      job = await jobs.wait(requestId, stop.signal, (estimate) => {
        if (estimate) {
          estimates.set(item.line, { remainingMs: estimate.remainingMs, madeAt: Date.now() });
          overrun.delete(item.line);
        } else if (estimates.delete(item.line)) overrun.add(item.line);
        else return;
        progress();
      });
    } catch (error) {
      if (error instanceof GenerationFailedError) {
        const { status } = error.job;
        // The gateway's own words, kept for a person, cut to a bounded size.
        const reason = error.job.error === null ? null : error.job.error.slice(0, 1_000);
        await record({
          line: item.line,
          state: "failed",
          request_id: requestId,
          status,
          error: reason,
          at: now(),
        });
        return end("failed", { job: error.job, error });
      }
      if (stopsTheBatch(error)) stopWith(error);
      return end("unfinished", { error });
    }
    if (entry.requestId === undefined) runTimes.push(Date.now() - startedAt);
    await record({ line: item.line, state: "completed", request_id: requestId, at: now() });
    if (!jobs.save) return end("completed", { job });
    let files: SavedFile[];
    try {
      files = await jobs.save(job, item, stop.signal);
    } catch (error) {
      return end(stop.signal.aborted ? "unfinished" : "not-saved", { job, error });
    }
    await record({ line: item.line, state: "saved", request_id: requestId, files, at: now() });
    end("saved", { job, files });
  };

  const worker = async (): Promise<void> => {
    for (let entry = queue.shift(); entry !== undefined; entry = queue.shift()) {
      const { item, requestId } = entry;
      if (stop.signal.aborted) {
        finish({
          line: item.line,
          name: item.name,
          outcome: requestId === undefined ? "pending" : "unfinished",
          requestId,
          error: fatal ?? stop.signal.reason,
        });
        continue;
      }
      const line: LineProgress = { sent: requestId !== undefined, requestId };
      await runLine(entry, line).catch((error: unknown) => {
        // Only a record that could not be kept lands here, and it has stopped the batch. A submit
        // sent without its id recorded is held on the next run: its id is reported here.
        if (!active.has(item.line)) return;
        const outcome = line.requestId !== undefined ? "unfinished" : line.sent ? "held" : "pending";
        finish({ line: item.line, name: item.name, outcome, requestId: line.requestId, error });
      });
    }
  };

  const workers = Promise.all(
    Array.from({ length: Math.min(settings.concurrency, Math.max(1, queue.length)) }, worker),
  );
  let settled = false;
  void workers.finally(() => {
    settled = true;
    wake?.();
  });
  try {
    while (true) {
      const next = ready.shift();
      if (next) {
        yield next;
        continue;
      }
      if (settled) break;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
      wake = undefined;
    }
    await workers;
    if (fatal !== undefined) throw fatal;
  } finally {
    // A caller that stops iterating stops the batch too; nothing is left running behind it.
    stop.abort(new Error("the batch's results are no longer read"));
    settings.signal?.removeEventListener("abort", onAbort);
    await workers.catch(() => {});
    await manifest.close?.();
  }
}
