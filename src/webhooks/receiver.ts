import type { JobStatus } from "../gateway/schemas.js";
import type { JobEvent, JobEventSource } from "../polling/wait.js";
import { type DeliveryStore, MemoryDeliveryStore } from "./delivery-store.js";
import { type FetchWebhookHandler, fetchWebhookHandler } from "./fetch-handler.js";
import { type NodeWebhookHandler, nodeWebhookHandler } from "./node-handler.js";
import { parseWebhook } from "./payload.js";

/** Default limit on a webhook body. A status object is a few hundred bytes. */
export const DEFAULT_MAX_WEBHOOK_BODY_BYTES = 64 * 1024;

/** What `verify` needs: a way to read a job's status from the gateway with your key (a `Pixazo` client). */
export interface StatusReader {
  /** Reads the job's status from the gateway. */
  status(requestId: string): Promise<JobStatus>;
}

/** Options of {@link WebhookReceiver}. */
export interface WebhookReceiverOptions {
  /**
   * Called once per new event (duplicates dropped), after the HTTP answer was sent. With
   * `verify`, it receives the gateway's answer rather than the delivered body.
   * @default undefined
   */
  onEvent?: ((status: JobStatus) => void | Promise<void>) | undefined;
  /**
   * A client to confirm each delivery with: the job's status is re-read from the gateway with
   * your key and that answer is passed on, so a forged POST cannot fake a completed job. Costs
   * one status read per accepted delivery.
   * @default undefined (deliveries are passed on as received, unverified)
   */
  verify?: StatusReader | undefined;
  /**
   * Where handled deliveries are remembered, to drop redeliveries (keyed by `request_id` and status).
   * @default a MemoryDeliveryStore of 10000 keys
   */
  store?: DeliveryStore | undefined;
  /**
   * Called when processing an accepted delivery fails: `onEvent` threw, verification failed, or
   * the store failed. The HTTP answer was already sent.
   * @default writes a warning to stderr
   */
  onError?: ((error: unknown, delivered: JobStatus) => void) | undefined;
  /**
   * Largest body accepted; larger ones are answered 413.
   * @default 65536
   */
  maxBodyBytes?: number | undefined;
  /**
   * How many jobs' latest status is kept for waiters that subscribe after the callback came.
   * @default 10000
   */
  latestCapacity?: number | undefined;
}

/**
 * Receives the gateway's webhook callbacks: parses them, answers quickly, drops duplicates,
 * optionally verifies them with the gateway, and hands them on to your `onEvent` and to any
 * `wait()` that uses this receiver as its `events`.
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
  readonly #latest = new Map<string, JobEvent>();
  readonly #latestCapacity: number;
  readonly #listeners = new Map<string, Set<(event: JobEvent) => void>>();
  /** Largest body the handlers accept. */
  readonly maxBodyBytes: number;

  /**
   * Creates a receiver; serve it with `nodeHandler()` or `fetchHandler()`.
   * @param options what to do with events, how to verify and deduplicate them.
   */
  constructor(options: WebhookReceiverOptions = {}) {
    this.#options = options;
    this.#store = options.store ?? new MemoryDeliveryStore();
    this.#latestCapacity = options.latestCapacity ?? 10_000;
    this.maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_WEBHOOK_BODY_BYTES;
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

  /** A handler for Node's `http` server, Express, Connect or Fastify's raw mode. */
  nodeHandler(): NodeWebhookHandler {
    return nodeWebhookHandler(this.maxBodyBytes, (delivered) => this.#acceptInBackground(delivered));
  }

  /**
   * A handler for the Fetch API: Next.js route handlers, Hono, Bun, Deno, Cloudflare Workers.
   * Where the platform ends work once the response is sent, pass its `waitUntil`.
   */
  fetchHandler(options: { waitUntil?: (work: Promise<unknown>) => void } = {}): FetchWebhookHandler {
    return fetchWebhookHandler(this.maxBodyBytes, (delivered) => {
      const work = this.#acceptInBackground(delivered);
      options.waitUntil?.(work);
    });
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

  #acceptInBackground(delivered: JobStatus): Promise<void> {
    // After the response: the gateway wants its 2xx within seconds, whatever onEvent does.
    return new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.#accept(delivered))
      .then(
        () => undefined,
        (error: unknown) => this.#reportError(error, delivered),
      );
  }

  async #accept(delivered: JobStatus): Promise<JobStatus | undefined> {
    const verify = this.#options.verify;
    // Deduplicate on what will be passed on: with verify, the gateway's answer, so a forged
    // delivery cannot mark a real status as already seen.
    const status = verify ? await verify.status(delivered.request_id) : delivered;
    if (!(await this.#store.markSeen(`${status.request_id}:${status.status}`))) return undefined;
    this.#publish(status.request_id, { status, verified: verify !== undefined });
    await this.#options.onEvent?.(status);
    return status;
  }

  #publish(requestId: string, event: JobEvent): void {
    this.#latest.delete(requestId);
    this.#latest.set(requestId, event);
    if (this.#latest.size > this.#latestCapacity) {
      const oldest = this.#latest.keys().next().value;
      if (oldest !== undefined) this.#latest.delete(oldest);
    }
    for (const listener of this.#listeners.get(requestId) ?? []) listener(event);
  }

  #reportError(error: unknown, delivered: JobStatus): void {
    if (this.#options.onError) {
      this.#options.onError(error, delivered);
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.emitWarning(`pixazo-ltx webhook for ${delivered.request_id} (${delivered.status}) failed: ${message}`);
  }
}
