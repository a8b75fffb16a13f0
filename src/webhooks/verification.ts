import { VerificationSkippedError } from "../errors/errors.js";
import { BACKGROUND_STATUS } from "../gateway/retry-rules.js";
import { monotonicNow } from "../internal/clock.js";
import { isTerminal, type JobStatus } from "../job/status.js";

/** What `verify` needs: a way to read a job's status from the gateway with your key (a `Pixazo` client). */
export interface StatusReader {
  /** Reads the job's status from the gateway. */
  status(requestId: string): Promise<JobStatus>;
}

/** A reader's background read where it has one (a `Pixazo` client), else its plain read. */
function readInBackground(reader: StatusReader, requestId: string): Promise<JobStatus> {
  const background = (reader as { [BACKGROUND_STATUS]?: (requestId: string) => Promise<JobStatus> })[BACKGROUND_STATUS];
  return typeof background === "function" ? background.call(reader, requestId) : reader.status(requestId);
}

/** Deliveries of one job within this window of a read share it (or the one read after it). */
export const VERIFY_WINDOW_MS = 2_000;

/**
 * Confirms deliveries with the gateway without letting senders multiply the reads: concurrent
 * deliveries of one job share one read, deliveries within {@link VERIFY_WINDOW_MS} after it
 * share it (whatever its outcome: a failed read too) or one follow-up read at the window's end,
 * and reads are capped per second.
 */
export class Verifier {
  readonly #reader: StatusReader;
  readonly #readsPerSecond: number;
  #tokens: number;
  #refilledAt = monotonicNow();
  readonly #inFlight = new Map<string, Promise<JobStatus>>();
  /**
   * The last read of each job, oldest first (its status, or its failure: a failed read is shared
   * like a successful one), and the read scheduled for the end of its window when a delivery since
   * claimed what it did not show; entries older than the window go.
   */
  readonly #recent = new Map<
    string,
    { at: number; status?: JobStatus; failure?: unknown; followUp?: Promise<JobStatus> }
  >();

  constructor(reader: StatusReader, readsPerSecond: number) {
    this.#reader = reader;
    this.#readsPerSecond = readsPerSecond;
    this.#tokens = readsPerSecond;
  }

  /**
   * The gateway's status of the delivered job.
   * @throws {VerificationSkippedError} when reads are at their cap; errors of the read itself.
   */
  verify(claimed: JobStatus): Promise<JobStatus> {
    const id = claimed.request_id;
    const running = this.#inFlight.get(id);
    if (running) return running;
    const now = monotonicNow();
    this.#forgetBefore(now - VERIFY_WINDOW_MS);
    const recent = this.#recent.get(id);
    if (!recent) return this.#read(id, now);
    if (recent.status === undefined) return Promise.reject(recent.failure);
    if (recent.status.status === claimed.status || isTerminal(recent.status)) return Promise.resolve(recent.status);
    // A claim the last read did not show, within its window: one more read when the window
    // ends, shared by every such claim. A forger repeating a claim buys nothing, and a genuine
    // callback that came just after a forgery is still confirmed, a moment later.
    recent.followUp ??= new Promise<void>((resolve) => {
      setTimeout(resolve, recent.at + VERIFY_WINDOW_MS - now).unref();
    }).then(() => this.#read(id, monotonicNow()));
    return recent.followUp;
  }

  #read(id: string, now: number): Promise<JobStatus> {
    if (!this.#takeRead(now)) {
      return Promise.reject(
        new VerificationSkippedError(
          `Delivery for ${id} not verified: more than ${this.#readsPerSecond} verification reads a second; waits fall back to polling`,
          { requestId: id },
        ),
      );
    }
    const remember = (outcome: { status: JobStatus } | { failure: unknown }) => {
      this.#recent.delete(id);
      this.#recent.set(id, { at: monotonicNow(), ...outcome });
    };
    const read = readInBackground(this.#reader, id).then(
      (status) => {
        remember({ status });
        return status;
      },
      (failure: unknown) => {
        remember({ failure });
        throw failure;
      },
    );
    this.#inFlight.set(id, read);
    const done = () => this.#inFlight.delete(id);
    read.then(done, done);
    return read;
  }

  /** A token bucket: `readsPerSecond` a second, with bursts of as many. */
  #takeRead(now: number): boolean {
    const elapsed = (now - this.#refilledAt) / 1000;
    this.#refilledAt = now;
    this.#tokens = Math.min(this.#readsPerSecond, this.#tokens + elapsed * this.#readsPerSecond);
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }

  #forgetBefore(time: number): void {
    for (const [id, entry] of this.#recent) {
      if (entry.at >= time) return;
      this.#recent.delete(id);
    }
  }
}
