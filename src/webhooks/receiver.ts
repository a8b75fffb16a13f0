import * as z from "zod/mini";
import { fnv1a64 } from "../internal/fnv1a.js";
import { callIsolated } from "../internal/isolated.js";
import type { JobEvent, JobEventSource } from "../job/events.js";
import { isTerminal, type JobStatus } from "../job/status.js";
import { callback, checkOptions, hasMethods, milliseconds, numberFrom, option } from "../options/checks.js";
import { type Answer, answerFor, asPayloadError, type BodyLimits, limitedBody } from "./body.js";
import { type DeliveryStore, MemoryDeliveryStore } from "./delivery-store.js";
import { warningWriter } from "./error-log.js";
import { type FetchWebhookHandler, fetchWebhookHandler, type KeepAlive, responseOf } from "./fetch-handler.js";
import { LatestEvents } from "./latest-events.js";
import { type NodeWebhookHandler, nodeWebhookHandler } from "./node-handler.js";
import { parseWebhook } from "./payload.js";
import { type StatusReader, Verifier } from "./verification.js";

export type { StatusReader } from "./verification.js";

/** Default limit on a webhook body. A status object is a few hundred bytes. */
export const DEFAULT_MAX_WEBHOOK_BODY_BYTES = 64 * 1024;
/** Default limit on the time a webhook body may take to arrive. */
export const DEFAULT_WEBHOOK_BODY_TIMEOUT_MS = 10_000;
/** Default cap on `verify` status reads per second (bursts of as many). */
export const DEFAULT_VERIFY_READS_PER_SECOND = 10;

const count = numberFrom(1, Number.MAX_SAFE_INTEGER, "an integer ≥ 1", { integer: true });

/** The receiver's options, each checked when it is made. */
const RECEIVER_OPTIONS = z.object({
  onEvent: callback,
  verify: option((value) => hasMethods(value, "status"), "has no status() method", "a Pixazo client", false),
  verifyReadsPerSecond: numberFrom(Number.MIN_VALUE, 1_000_000, "a number of reads > 0"),
  store: option((value) => hasMethods(value, "markSeen"), "has no markSeen() method", "a DeliveryStore", false),
  onError: callback,
  maxBodyBytes: count,
  bodyTimeoutMs: milliseconds,
  latestCapacity: count,
  latestMaxBytes: count,
});

/** Options of {@link WebhookReceiver}. */
export interface WebhookReceiverOptions {
  /**
   * Called once per new event (duplicates dropped), after the HTTP answer was sent. With
   * `verify`, it receives the gateway's answer rather than the delivered body, and `verified`
   * is `true`. Hand the event to other processes here, e.g. `RedisJobEvents.publish`.
   * @default undefined
   */
  onEvent?: ((status: JobStatus, event: JobEvent) => void | Promise<void>) | undefined;
  /**
   * A client to confirm each delivery with: the job's status is re-read from the gateway with
   * your key (a `background` read, which never pauses your own requests on a 429) and that
   * answer is passed on, so a forged POST cannot fake a completed job. Deliveries of one job
   * within 2 s share one read, a job already seen in a final status costs none, and reads are
   * capped by `verifyReadsPerSecond`.
   * @default undefined (deliveries are passed on as received, unverified)
   */
  verify?: StatusReader | undefined;
  /**
   * Most `verify` reads a second (and in a burst). Deliveries beyond it are answered 200, not
   * passed on, and reported to `onError` as a `VerificationSkippedError`; a `wait` on the job
   * still learns its outcome by polling.
   * @default 10
   */
  verifyReadsPerSecond?: number | undefined;
  /**
   * Where handled deliveries are remembered, to drop exact redeliveries. A delivery counts as
   * new when its status, `updated_at` or `output` differ from every one seen for the job (so
   * `sync` mode's progress callbacks pass); the key is the `request_id` and a hash of those.
   * @default a MemoryDeliveryStore of 10000 keys
   */
  store?: DeliveryStore | undefined;
  /**
   * Called when a delivery is refused (not a status object, too large, too slow, unreadable
   * because of how the handler was mounted) or its processing fails (`onEvent` threw,
   * verification failed or was skipped, the store failed). The HTTP answer was already decided.
   * `delivered` is the parsed delivery, when there was one.
   * @default one process warning per error, one line each (control characters escaped, 300
   * characters at most), at most ten a minute
   */
  onError?: ((error: unknown, delivered: JobStatus | undefined) => void) | undefined;
  /**
   * Largest body accepted; a larger one is answered 413 and its connection closed, unread.
   * @default 65536
   */
  maxBodyBytes?: number | undefined;
  /**
   * Longest time a body may take to arrive; a slower one is answered 408 and its connection
   * closed.
   * @default 10000
   */
  bodyTimeoutMs?: number | undefined;
  /**
   * How many jobs' latest status is kept for waiters that subscribe after the callback came.
   * @default 10000
   */
  latestCapacity?: number | undefined;
  /**
   * Most memory the latest statuses may take, in bytes (estimated); the oldest go first.
   * @default 16777216 (16 MiB)
   */
  latestMaxBytes?: number | undefined;
}

/**
 * The deduplication key of a status: its job, and a 64-bit hash of what a redelivery repeats.
 * Not a cryptographic hash, and it need not be: without `verify` a sender can claim anything
 * anyway, and with it the hashed facts are the gateway's.
 */
function deliveryKey(status: JobStatus): string {
  const facts = JSON.stringify([status.status, status.updated_at ?? null, status.output ?? null, status.error ?? null]);
  return `${status.request_id}:${fnv1a64(facts)}`;
}

/**
 * Receives the gateway's webhook callbacks: takes the body however the framework left it,
 * answers quickly, drops duplicates, optionally verifies deliveries with the gateway, and hands
 * them on to your `onEvent` and to any `wait()` that uses this receiver as its `events`.
 *
 * Callbacks are not signed by the gateway. Without `verify`, treat a delivery as a claim from
 * anyone who knows your URL; with `verify`, only the gateway's own answer is passed on.
 *
 * @example
 * ```ts
 * const receiver = new WebhookReceiver({ verify: client, onEvent: (job) => console.log(job.status) });
 * http.createServer(receiver.nodeHandler()).listen(8080);          // or app.post("/hook", receiver.nodeHandler())
 * const job = await client.generate("ltx-2-3-text-to-video", { prompt: "..." }, {
 *   webhook: { url: "https://example.com/hook" },
 *   events: receiver, // resolves when the callback arrives; slow polling covers a lost one
 * });
 * ```
 */
export class WebhookReceiver implements JobEventSource {
  readonly #options: WebhookReceiverOptions;
  readonly #store: DeliveryStore;
  readonly #latest: LatestEvents;
  readonly #listeners = new Map<string, Set<(event: JobEvent) => void>>();
  readonly #verifier: Verifier | undefined;
  readonly #limits: BodyLimits;
  readonly #warn = warningWriter();
  /** Largest body the handlers accept. */
  readonly maxBodyBytes: number;

  /**
   * Creates a receiver; serve it with `nodeHandler()` or `fetchHandler()`.
   * @param options what to do with events, how to verify and deduplicate them, limits.
   * @throws {ValidationError} for a limit out of its range, or a callback or store of the wrong shape.
   */
  constructor(options: WebhookReceiverOptions = {}) {
    checkOptions(RECEIVER_OPTIONS, options, ["options"]);
    this.#options = options;
    this.#store = options.store ?? new MemoryDeliveryStore();
    this.maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_WEBHOOK_BODY_BYTES;
    this.#limits = {
      maxBodyBytes: this.maxBodyBytes,
      bodyTimeoutMs: options.bodyTimeoutMs ?? DEFAULT_WEBHOOK_BODY_TIMEOUT_MS,
    };
    this.#latest = new LatestEvents(options.latestCapacity ?? 10_000, options.latestMaxBytes ?? 16 * 1024 * 1024);
    const readsPerSecond = options.verifyReadsPerSecond ?? DEFAULT_VERIFY_READS_PER_SECOND;
    this.#verifier = options.verify ? new Verifier(options.verify, readsPerSecond) : undefined;
  }

  /**
   * Processes one delivery to the end: verify (if configured), drop if already seen, notify
   * waiters, call `onEvent`. The HTTP handlers call this after answering; call it yourself from
   * any other framework.
   *
   * @param body the raw body or the parsed object.
   * @returns the event passed on, or `undefined` when it was a duplicate.
   * @throws {WebhookPayloadError} for a body that is not a status object; errors of verification
   * and of `onEvent` are thrown too.
   */
  async receive(body: unknown): Promise<JobStatus | undefined> {
    return this.#accept(parseWebhook(body));
  }

  /**
   * A handler for Node's `http` server, Express, Connect, Koa (`ctx.req`, `ctx.res`) or Fastify
   * (`request.raw`, `reply.raw`). It takes the body as the framework left it: the unread stream,
   * or `req.body` as a Buffer, a string or a parsed object. A stream something else consumed
   * without keeping the body is answered 500 with a message saying how to mount the handler.
   */
  nodeHandler(): NodeWebhookHandler {
    return nodeWebhookHandler(
      this.#limits,
      (body) => this.#answer(body, undefined),
      (error) => this.#report(error, undefined),
    );
  }

  /**
   * A handler for the Fetch API, to pass to the platform as it is: `Deno.serve(handler)`,
   * `Bun.serve({ fetch: handler })`, a Worker's `export default { fetch: handler }`, a Next.js
   * route's `export const POST = handler`, Hono's `(c) => handler(c.req.raw)`. It reads the body
   * from the request; the platform's other arguments are never taken for one. Processing after
   * the answer is kept alive by `waitUntil` when given, else by a `waitUntil` method on the
   * platform's arguments (a Worker's `ctx`, a Vercel or Netlify edge context); one that throws is
   * reported to `onError` and changes nothing in the response. When a framework already read
   * the body, use {@link WebhookReceiver.respond} instead.
   *
   * @param options.waitUntil keeps work alive after the response (e.g. Next's `after`).
   * @default waitUntil: the platform's, when its arguments carry one
   * @example
   * ```ts
   * export default { fetch: receiver.fetchHandler() };  // a Cloudflare Worker: ctx.waitUntil is used
   * Deno.serve(receiver.fetchHandler());
   * ```
   */
  fetchHandler(options: { waitUntil?: ((work: Promise<unknown>) => void) | undefined } = {}): FetchWebhookHandler {
    const { waitUntil } = options;
    return fetchWebhookHandler(
      this.#limits,
      (body, keepAlive) => this.#answer(body, keepAlive),
      (error) => this.#report(error, undefined),
      waitUntil && ((work) => waitUntil(work)),
    );
  }

  /**
   * Answers a delivery whose body a framework already read: the same checks, answer and
   * processing as the handlers, for the body in hand. Use it where the request's stream is
   * gone (Hono after a validator: `receiver.respond(c.req.valid("json"))`), or where the body
   * arrives some other way (AWS Lambda behind API Gateway: the recipe in docs/webhooks.md).
   *
   * @param body the raw body (string or bytes) or the parsed object.
   * @param options.waitUntil keeps the processing after the answer alive; without it, it runs on
   * its own, which suits a long-running server.
   * @returns the response to send: 200, or 400/413 with a fixed message.
   * @example
   * ```ts
   * app.post("/hooks", zValidator("json", anything), (c) => receiver.respond(c.req.valid("json")));
   * ```
   */
  respond(body: unknown, options: { waitUntil?: ((work: Promise<unknown>) => void) | undefined } = {}): Response {
    const { waitUntil } = options;
    try {
      return responseOf(this.#answer(limitedBody(body, this.#limits), waitUntil && ((work) => waitUntil(work))));
    } catch (error) {
      const failure = asPayloadError(error);
      this.#report(failure, undefined);
      return responseOf(answerFor(failure));
    }
  }

  /** Calls `listener` with every new event of `requestId`, and at once with the latest one seen. */
  subscribe(requestId: string, listener: (event: JobEvent) => void): () => void {
    let listeners = this.#listeners.get(requestId);
    if (!listeners) {
      listeners = new Set();
      this.#listeners.set(requestId, listeners);
    }
    listeners.add(listener);
    const latest = this.#latest.get(requestId);
    if (latest) listener(latest);
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0 && this.#listeners.get(requestId) === listeners) this.#listeners.delete(requestId);
    };
  }

  /** Parses a body and decides the answer; an accepted delivery is processed after it. */
  #answer(body: unknown, keepAlive: KeepAlive | undefined): Answer {
    let delivered: JobStatus;
    try {
      delivered = parseWebhook(body);
    } catch (error) {
      const failure = asPayloadError(error);
      this.#report(failure, undefined);
      return answerFor(failure);
    }
    // After the response: the gateway wants its 2xx within seconds, whatever onEvent does.
    const work = new Promise<void>((resolve) => setTimeout(resolve, 0))
      .then(() => this.#accept(delivered))
      .then(
        () => undefined,
        (error: unknown) => this.#report(error, delivered),
      );
    try {
      keepAlive?.(work);
    } catch (error) {
      this.#report(error, undefined);
    }
    return { status: 200, body: { received: true } };
  }

  async #accept(delivered: JobStatus): Promise<JobStatus | undefined> {
    let status = delivered;
    if (this.#verifier) {
      // A job already seen verified in a final status costs no read: nothing can change it.
      const latest = this.#latest.get(delivered.request_id);
      if (latest?.verified && isTerminal(latest.status)) return undefined;
      status = await this.#verifier.verify(delivered);
    }
    // Deduplicated on what will be passed on (with verify, the gateway's answer), so a forged
    // delivery cannot mark a real status as already seen.
    if (!(await this.#store.markSeen(deliveryKey(status)))) return undefined;
    const event = { status, verified: this.#verifier !== undefined };
    this.#publish(status.request_id, event);
    await this.#options.onEvent?.(status, event);
    return status;
  }

  #publish(requestId: string, event: JobEvent): void {
    this.#latest.set(requestId, event);
    for (const listener of this.#listeners.get(requestId) ?? []) listener(event);
  }

  #report(error: unknown, delivered: JobStatus | undefined): void {
    const onError = this.#options.onError;
    if (onError) callIsolated("The webhook onError callback", () => onError(error, delivered));
    else this.#warn(error, delivered && deliveryLabel(delivered));
  }
}

/**
 * Which delivery a default log line is about, in words a sender cannot choose: the `request_id`
 * when it looks like one (letters, digits, `_ . : -`, 128 at most), else "a delivery"; the
 * status is left out, since any text is a status to the schema.
 */
function deliveryLabel(delivered: JobStatus): string {
  return /^[\w.:-]{1,128}$/.test(delivered.request_id) ? delivered.request_id : "a delivery";
}
