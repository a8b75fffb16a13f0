import type { CompletedJob, JobStatus } from "../gateway/schemas.js";
import { warn } from "../internal/warn.js";
import { loadRunTimeFile } from "./load-run-time-file.js";
import { parseRunTimes, type RunTimeStore, serialiseRunTimes } from "./run-time-store.js";
import { RunTimes } from "./run-times.js";
import { SharedClock } from "./shared-clock.js";
import { type WaitSettings, waitForJob } from "./wait.js";

/** Longest wait for a `runTimeStore` to load before the first wait goes on without it. */
export const STORE_LOAD_TIMEOUT_MS = 2_000;

/** What a caller decides about one wait; the rest comes from the client's polling state. */
export type WaitRequest = Omit<WaitSettings, "clock" | "outlook" | "onEnded" | "estimate">;

/**
 * One client's polling: the shared clock every wait sleeps on, and (with adaptive polling) the
 * run times learned from the jobs this client submitted, loaded from and saved to a
 * `runTimeStore` when there is one.
 */
export class Polling {
  readonly #clock = new SharedClock();
  /** `undefined` with `adaptivePolling: false`. */
  readonly #runTimes: RunTimes | undefined;
  readonly #store: RunTimeStore | string | undefined;
  /** The store's content, read once before the first wait. */
  #loaded: Promise<void> | undefined;
  /** The save under way; `#dirty` asks for one more when it ends. */
  #saving: Promise<void> | undefined;
  #dirty = false;
  #warnedSave = false;
  #resolved: Promise<RunTimeStore | undefined> | undefined;

  /**
   * @param priorScale scales the prior run time before anything is learned (the client's
   * `pollIntervalMs` over its default; see `PRIOR_MEDIAN_SECONDS`).
   */
  constructor(adaptive: boolean, store?: RunTimeStore | string, priorScale = 1) {
    this.#runTimes = adaptive ? new RunTimes(priorScale) : undefined;
    this.#store = adaptive ? store : undefined;
  }

  /**
   * Notes that this client submitted `requestId` to `modelId`, `startedAt` (`monotonicNow()`
   * ms), asking for `work` units (see `job-work.ts`), naming input files the gateway must fetch
   * or not.
   */
  submitted(requestId: string, modelId: string, startedAt: number, work?: number, fetchesInputs?: boolean): void {
    this.#runTimes?.started(requestId, modelId, startedAt, work, fetchesInputs);
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
    if (this.#store !== undefined) {
      this.#loaded ??= this.#load();
      await this.#loaded;
    }
    return waitForJob(requestId, readStatus, {
      ...request,
      clock: this.#clock,
      outlook: runTimes?.outlook(requestId),
      estimate: runTimes && ((now) => runTimes.estimate(requestId, now)),
      onEnded:
        runTimes &&
        ((status, lastRunningAt, endedAt) => {
          runTimes.ended(status, lastRunningAt, endedAt);
          this.#save();
        }),
    });
  }

  /** Waits for the last save of what was learned, if one is under way. */
  async flush(): Promise<void> {
    while (this.#saving) await this.#saving;
  }

  /** The store itself, or the file store over a path, made once on first use and reused. */
  #resolvedStore(): Promise<RunTimeStore | undefined> {
    const store = this.#store;
    this.#resolved ??=
      typeof store === "string"
        ? loadRunTimeFile().then(({ fileRunTimeStore }) => fileRunTimeStore(store))
        : Promise.resolve(store);
    return this.#resolved;
  }

  /**
   * Reads the store once; anything unusable is ignored with a warning, never trusted. A store
   * that does not answer within {@link STORE_LOAD_TIMEOUT_MS} is given up on, so a hung store
   * cannot hold a wait past its signal or deadline.
   */
  async #load(): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const giveUp = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no answer within ${STORE_LOAD_TIMEOUT_MS} ms`)),
        STORE_LOAD_TIMEOUT_MS,
      );
    });
    try {
      const reading = this.#resolvedStore().then((resolved) => resolved?.load());
      const text = await Promise.race([reading, giveUp]);
      if (text === undefined) return;
      const stored = parseRunTimes(text);
      if (stored.problem !== undefined) {
        warn(`pixazo-ltx: the stored run times were ignored (${stored.problem}); they are rewritten as jobs end`);
        return;
      }
      this.#runTimes?.restore(stored.snapshot);
    } catch (error) {
      warn(`pixazo-ltx: the stored run times could not be read (${describe(error)}); starting without them`);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Saves what was learned, one save at a time; a job ending meanwhile asks for one more. */
  #save(): void {
    if (this.#store === undefined || !this.#runTimes) return;
    if (this.#saving) {
      this.#dirty = true;
      return;
    }
    const runTimes = this.#runTimes;
    this.#saving = (async () => {
      try {
        await (await this.#resolvedStore())?.save(serialiseRunTimes(runTimes.snapshot()));
      } catch (error) {
        // Once per client: a store that keeps failing must not fill the logs.
        if (!this.#warnedSave) warn(`pixazo-ltx: the run times could not be saved (${describe(error)})`);
        this.#warnedSave = true;
      } finally {
        this.#saving = undefined;
        if (this.#dirty) {
          this.#dirty = false;
          this.#save();
        }
      }
    })();
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
