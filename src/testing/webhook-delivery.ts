import type { JobStatus } from "../gateway/schemas.js";
import { isLoopbackHost } from "../internal/loopback.js";
import { type FakeJob, isFinished, isTimed, statusObjectOf } from "./jobs.js";

/** One webhook callback the fake gateway made (or dropped). */
export interface RecordedDelivery {
  readonly requestId: string;
  readonly url: string;
  /** The payload POSTed: the job's status object at that moment. */
  readonly body: JobStatus;
  /** HTTP status the receiver answered, when it answered. */
  response?: number;
  /** Why nothing was delivered, or how delivery failed. */
  error?: string;
}

/** The gateway's queue: moves webhook jobs on a clock and POSTs their callbacks. */
export class WebhookQueue {
  readonly deliveries: RecordedDelivery[] = [];
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #inFlight = new AbortController();
  #origin = "";

  /** Sets the origin of the media URLs in payloads (the fake CDN). */
  setOrigin(origin: string): void {
    this.#origin = origin;
  }

  /**
   * Starts a job's clock: each tick is one poll cycle of the queue. In `sync` mode every cycle
   * POSTs the current status; in `terminal` mode only the final status is POSTed.
   */
  run(job: FakeJob): void {
    const webhook = job.webhook;
    if (!webhook) return;
    const timer = setInterval(() => {
      const finished = isFinished(job);
      if (webhook.mode === "sync" || finished)
        this.#deliver(job, webhook.url, statusObjectOf(job, this.#origin, "callback"));
      if (finished) {
        clearInterval(timer);
        this.#timers.delete(timer);
      } else if (!isTimed(job)) {
        job.step += 1;
      }
    }, job.script.stepMs ?? 25);
    this.#timers.add(timer);
  }

  /** Stops every clock and every callback in flight. */
  stop(): void {
    for (const timer of this.#timers) clearInterval(timer);
    this.#timers.clear();
    this.#inFlight.abort();
  }

  #deliver(job: FakeJob, url: string, body: JobStatus): void {
    const copies = job.script.deliveries?.copies ?? 1;
    for (let copy = 0; copy < copies; copy++) {
      const record: RecordedDelivery = { requestId: job.requestId, url, body };
      this.deliveries.push(record);
      if (job.script.deliveries?.lose) {
        record.error = "lost (scripted)";
        continue;
      }
      // A test kit must never call out of the machine, whatever URL a test registers.
      if (!isLoopbackHost(new URL(url).hostname)) {
        record.error = "not delivered: the fake gateway only calls loopback hosts";
        continue;
      }
      fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
        signal: AbortSignal.any([this.#inFlight.signal, AbortSignal.timeout(5_000)]),
      }).then(
        async (response) => {
          record.response = response.status;
          await response.arrayBuffer();
        },
        (error: unknown) => {
          record.error = error instanceof Error ? error.message : String(error);
        },
      );
    }
  }
}
