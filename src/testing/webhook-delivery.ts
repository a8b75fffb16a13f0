import { connect } from "node:net";
import { isLoopbackHost } from "../internal/loopback.js";
import type { JobStatus } from "../job/status.js";
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
      postCallback(
        new URL(url),
        JSON.stringify(body),
        AbortSignal.any([this.#inFlight.signal, AbortSignal.timeout(5_000)]),
      ).then(
        (status) => {
          record.response = status;
        },
        (error: unknown) => {
          record.error = error instanceof Error ? error.message : "the callback failed";
        },
      );
    }
  }
}

/**
 * POSTs one callback over a plain socket, as HTTP/1.1 with `Connection: close`, and resolves with
 * the answer's status code once its headers arrived (the socket is then closed: some servers keep
 * it open whatever the request says). Not through `fetch` or `node:http`, which
 * test libraries (msw, nock) intercept: a user's interceptor in strict mode would refuse the
 * fake's own callbacks, and the waits they should end would time out.
 */
function postCallback(url: URL, body: string, signal: AbortSignal): Promise<number> {
  return new Promise((resolve, reject) => {
    const host = url.hostname.replace(/^\[|\]$/g, "");
    const socket = connect(Number(url.port || 80), host);
    let answer = "";
    const stop = (error: Error) => {
      signal.removeEventListener("abort", onAbort);
      socket.destroy();
      reject(error);
    };
    const onAbort = () => stop(new Error("the callback was cut: the gateway closed, or 5 s passed"));
    signal.addEventListener("abort", onAbort, { once: true });
    socket.setEncoding("latin1");
    socket.on("connect", () => {
      socket.write(
        `POST ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: application/json\r\n` +
          `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    });
    socket.on("data", (chunk: string) => {
      answer += chunk;
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(answer)?.[1];
      if (status === undefined && answer.length < 8192 && !answer.includes("\r\n\r\n")) return;
      signal.removeEventListener("abort", onAbort);
      socket.destroy();
      if (status === undefined) reject(new Error("the receiver did not answer in HTTP"));
      else resolve(Number(status));
    });
    socket.on("error", (error) => stop(error));
    socket.on("close", () => stop(new Error("the receiver closed without an HTTP answer")));
  });
}
