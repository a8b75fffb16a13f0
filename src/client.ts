import { loadBatch, loadDownloads, loadRunTimeFile, loadUndiciTransport } from "#node-only";
import type { BatchItem } from "./batch/items.js";
import type { BatchResult } from "./batch/run.js";
import {
  type GenerateManyOptions,
  type GenerateOptions,
  isDefaultGateway,
  type PixazoOptions,
  type ResolvedOptions,
  resolveOptions,
  resolveWaitOptions,
  type StatusOptions,
  type SubmitOptions,
  type WaitOptions,
} from "./client-options.js";
import type { DownloadContext, DownloadOptions, DownloadResult } from "./download/download.js";
import { ValidationError } from "./errors/errors.js";
import { Gateway } from "./gateway/gateway.js";
import { BACKGROUND_STATUS } from "./gateway/retry-rules.js";
import { webhookHeaders } from "./gateway/webhook-registration.js";
import { monotonicNow } from "./internal/clock.js";
import { type CompletedJob, type JobStatus, MAX_REQUEST_ID_LENGTH, type SubmittedJob } from "./job/status.js";
import { buildShortcuts, type ModelShortcuts } from "./model-shortcuts.js";
import { getModel, type InputOf, type ModelId } from "./models/registry.js";
import { validateInput } from "./models/validate.js";
import { relativeWork } from "./models/work.js";
import { Polling } from "./polling/polling.js";

const inspectSymbol = Symbol.for("nodejs.util.inspect.custom");

/**
 * Per-model shortcuts, grouped by family: `client.ltx23.textToVideo(input)`,
 * `client.ltx2.pro(input)`, ... (see {@link ModelShortcuts}). Built from the model registry.
 */
export interface Pixazo extends ModelShortcuts {}

/**
 * The Pixazo gateway client for the LTX video models.
 *
 * @example
 * ```ts
 * import { Pixazo } from "pixazo-ltx";
 *
 * const client = new Pixazo(); // reads PIXAZO_API_KEY
 * const job = await client.generate("ltx-2-3-text-to-video", { prompt: "A lighthouse in a storm" }, {
 *   onSubmit: ({ request_id }) => console.log("submitted", request_id),
 *   onStatus: ({ status }) => console.log(status),
 * });
 * console.log(job.output.media_url[0]);
 * ```
 */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: the interface above declares the shortcuts the constructor assigns.
export class Pixazo {
  /** The gateway this client talks to (normalised, no trailing slash). */
  readonly baseUrl: string;
  readonly #options: ResolvedOptions;
  /** The request path: sockets, the request gate, retries, every exchange with the gateway. */
  readonly #gateway: Gateway;
  /** The run times learned from this client's jobs, which every wait plans with. */
  readonly #polling: Polling;
  #closed = false;

  /**
   * Without a key (no `apiKey`, no `PIXAZO_API_KEY`) the client is still made, so one made at
   * module scope does not break a build that sends nothing; every request (`submit`, `status`,
   * `wait`, `generate`) then throws a `ValidationError` naming `PIXAZO_API_KEY`, before anything
   * is sent. Downloads, which never use the key, work.
   *
   * @throws {ValidationError} for a key that cannot be a header value (never echoed), a base URL
   * that is not https (loopback excepted), an out-of-range number, or an unparsable proxy URL in
   * the environment (with a missing key, named with them). Nothing is sent.
   */
  constructor(options: PixazoOptions = {}) {
    this.#options = resolveOptions(options);
    this.baseUrl = this.#options.baseUrl.href.replace(/\/+$/, "");
    // The parts only Node has (undici, files) are handed down, so the folders below need not
    // know which build they run in (see runtime/node-only.ts).
    this.#gateway = new Gateway({ ...this.#options, loadUndici: loadUndiciTransport });
    const store = this.#options.runTimeStore;
    this.#polling = new Polling(
      this.#options.adaptivePolling,
      store === undefined
        ? undefined
        : typeof store === "string"
          ? () => loadRunTimeFile().then((file) => file.fileRunTimeStore(store))
          : () => Promise.resolve(store),
      isDefaultGateway(this.#options.baseUrl),
    );
    Object.assign(this, buildShortcuts(this));
  }

  /**
   * Submits a job to a model and returns the gateway's acceptance, without waiting.
   *
   * A submit is resent automatically only when the gateway provably did not receive it (connection
   * refused, DNS) or answered 429. Any failure after it may have arrived is a
   * `SubmitUncertainError`: a job may exist and may be charged.
   *
   * @param modelId one of the seven LTX model ids, e.g. `"ltx-2-3-text-to-video"`.
   * @param input the model's fields, named as the gateway names them (snake_case), checked
   * against the model's schema before anything is sent. Fields left out are left out of the body,
   * so the gateway applies its documented defaults.
   * @returns `{ request_id, status, polling_url }` exactly as the gateway sent them.
   * @throws {ValidationError} for an unknown model id, any invalid field (listing them all), or a
   * `webhook` whose URL is not https.
   * @throws {SubmitUncertainError} when the submit may have created a job but no id came back:
   * it failed, or `signal` aborted it, after it may have reached the gateway (`cause` holds the
   * failure or the abort reason).
   * @throws the signal's reason when `signal` aborts before anything could have reached the gateway.
   * @throws {ConnectionError} with `mayHaveReachedGateway: false` when nothing was sent and the
   * retries ran out (connection refused, DNS, a proxy refusing the tunnel).
   * @throws {APIError} subclasses for the documented refusals (400, 401, 402, 403, 404, 429).
   * @example
   * ```ts
   * const { request_id } = await client.submit("ltx-2-3-text-to-video", { prompt: "Waves at dusk", duration: 6 });
   * ```
   */
  async submit<Id extends ModelId>(
    modelId: Id,
    input: InputOf<Id>,
    options: SubmitOptions<Id> = {},
  ): Promise<SubmittedJob> {
    const model = getModel(modelId);
    const checked = validateInput(model, input, options.extraFields, options.uncheckedFields);
    const headers = options.webhook === undefined ? undefined : webhookHeaders(options.webhook, this.#options.baseUrl);
    // Serialised here, once, before the first await: every attempt sends exactly the bytes that
    // were checked, whatever the caller does with its object afterwards.
    const body = JSON.stringify(checked);
    const startedAt = monotonicNow();
    const submitted = await this.#gateway.submit(model, body, { headers, signal: options.signal });
    this.#polling.submitted(submitted.request_id, model.id, startedAt, relativeWork(model.work, checked));
    return submitted;
  }

  /**
   * Reads a job's status once. Network errors, timeouts, 408, 429, 5xx and undocumented replies
   * (an HTML page from a proxy) are retried.
   *
   * @param requestId the `request_id` returned by `submit`.
   * @returns the status object as documented; a status value the reference does not list is
   * passed through.
   * @throws {NotFoundError} when the gateway does not know the id.
   * @throws {UnexpectedResponseError} when the reply is not a status object.
   * @example
   * ```ts
   * const { status, output } = await client.status(requestId);
   * ```
   */
  async status(requestId: string, options: StatusOptions = {}): Promise<JobStatus> {
    checkRequestId(requestId);
    return this.#gateway.status(requestId, options.signal);
  }

  /**
   * The read a `WebhookReceiver` verifies with (see `BACKGROUND_STATUS`).
   * @internal
   */
  [BACKGROUND_STATUS](requestId: string): Promise<JobStatus> {
    checkRequestId(requestId);
    return this.#gateway.status(requestId, undefined, { background: true });
  }

  /**
   * Polls a job until it is `COMPLETED`, `FAILED` or `ERROR`: a first read after about a second
   * (for a job this client submitted, none before the fastest recent run time of its model, see
   * the `adaptivePolling` option), then intervals growing from `pollIntervalMs` to
   * `maxPollIntervalMs`, with jitter. It settles by `timeoutMs` plus one `requestTimeoutMs`: at
   * the deadline one last read is made, so a job that completed in time is never reported unfinished.
   *
   * @returns the `COMPLETED` status object, with `output.media_url`.
   * @throws {GenerationFailedError} when the job ends `FAILED` or `ERROR` (a system error, not
   * charged per the reference).
   * @throws {WaitTimeoutError} when `timeoutMs` runs out; carries `requestId` and `lastStatus`.
   * @throws the signal's reason, at once, when `signal` aborts; no request follows.
   * @example
   * ```ts
   * const done = await client.wait(requestId, { timeoutMs: 10 * 60_000, onStatus: (s) => console.log(s.status) });
   * ```
   */
  async wait(requestId: string, options: WaitOptions = {}): Promise<CompletedJob> {
    checkRequestId(requestId);
    const settings = resolveWaitOptions(options, this.#options);
    this.#gateway.checkKey();
    return this.#polling.wait(requestId, (signal) => this.#gateway.status(requestId, signal), {
      ...settings,
      requestTimeoutMs: this.#options.requestTimeoutMs,
      signal: options.signal,
      onStatus: options.onStatus,
      events: options.events,
    });
  }

  /**
   * Submits a job and waits for it: `submit` then `wait`, with `onSubmit` called in between so
   * the `request_id` can be stored before any waiting.
   *
   * @returns the `COMPLETED` status object.
   * @throws everything `submit` and `wait` throw. Every error raised after the submit carries
   * `requestId`, so the job can be resumed with `client.wait(error.requestId)`.
   * @example
   * ```ts
   * const job = await client.generate("ltx-2-3-text-to-video", { prompt: "A paper boat on a stream" });
   * console.log(job.output.media_url[0]);
   * ```
   */
  async generate<Id extends ModelId>(
    modelId: Id,
    input: InputOf<Id>,
    options: GenerateOptions<Id> = {},
  ): Promise<CompletedJob> {
    // Checked before the submit so a bad wait option cannot leave a job nobody waits for.
    resolveWaitOptions(options, this.#options);
    const submitted = await this.submit(modelId, input, options);
    await options.onSubmit?.(submitted);
    return this.wait(submitted.request_id, options);
  }

  /**
   * Generates many videos, at most `concurrency` at a time, yielding each line's result as it
   * ends, and records every line's state in a manifest so that a rerun after a crash or an abort
   * resumes: a line with a job is waited on and saved, never sent again; a line never sent is
   * sent; a line whose submit may have reached the gateway with no id back is `held` for a
   * person (see `resubmitHeld`), never sent again on its own. A rerun of a finished batch sends
   * nothing. A 429 slows the batch (the client's shared pause), it does not fail it.
   *
   * Every item is checked before anything is sent. The CLI's `pixazo-ltx batch` is this call.
   *
   * @param items each `{ model, input, name? }`; a line of the manifest is the item's position
   * counting from 1, so a rerun must give the same items in the same order (a changed item with
   * a job is refused).
   * @returns an async iterable of {@link BatchResult}, one per item, in the order they end
   * (lines an earlier run finished come first).
   * @throws {ValidationError} (on the first iteration, nothing sent) for a bad item, at
   * `items.<index>.<field>`, a bad option, a manifest of another batch or one another live run
   * is writing; and in the build for Fetch runtimes (workerd, edge, browsers), which leaves
   * batches out: one outlives any request.
   * @throws {AuthenticationError}, {InsufficientBalanceError}, {PermissionDeniedError} or a
   * {ConnectionError} that reached nothing, after the results of every line: such a refusal stops
   * the batch's submits, and the lines left come as `pending`.
   * @example
   * ```ts
   * const items = ["a lighthouse", "a fox", "a paper boat"].map((idea, index) => ({
   *   model: "ltx-2-3-text-to-video" as const,
   *   input: { prompt: `${idea} at dusk` },
   *   name: `clip-${index + 1}`,
   * }));
   * for await (const result of client.generateMany(items, { out: "videos", concurrency: 3 })) {
   *   console.log(result.line, result.outcome, result.files[0]?.path ?? result.error);
   * }
   * ```
   */
  async *generateMany(
    items: Iterable<BatchItem>,
    options: GenerateManyOptions = {},
  ): AsyncGenerator<BatchResult, void, undefined> {
    const { generateMany } = await loadBatch();
    const { webhook, timeoutMs, pollIntervalMs, maxPollIntervalMs, events } = options;
    const wait = { timeoutMs, pollIntervalMs, maxPollIntervalMs, events };
    yield* generateMany(
      {
        check: () => {
          resolveWaitOptions(wait, this.#options);
          if (webhook !== undefined) webhookHeaders(webhook, this.#options.baseUrl);
          this.#gateway.checkKey();
        },
        submit: (item) => this.submit(item.modelId, item.input as never, { webhook }),
        wait: (requestId, signal, onEstimate) =>
          this.wait(requestId, { ...wait, signal, onStatus: (_status, { estimate }) => onEstimate(estimate) }),
        downloads: () => this.#downloadContext(),
      },
      items,
      options,
    );
  }

  /**
   * Closes the client's own connection pool, after the last save of learned run times (with a
   * `runTimeStore`) has finished. Optional: idle sockets do not keep the process alive. A
   * `dispatcher` you supplied is yours to close. Gateway requests made afterwards fail
   * at once with a `ConnectionError` (`code: "ERR_CLIENT_CLOSED"`, `mayHaveReachedGateway: false`).
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#polling.flush();
    await this.#gateway.close();
  }

  /**
   * Downloads a finished job's media (or any media URL) to a file, streaming: memory stays flat
   * whatever the size. The API key is never sent to the media host.
   *
   * The file is either byte for byte what the host serves, or absent. Bytes go to a temporary
   * file beside `filePath` (missing folders are created), renamed into place only when complete:
   * of the announced length, and, when a dropped connection or a stall was resumed with `Range`,
   * made only of parts carrying the same strong validator (`ETag` or `Last-Modified`) as the
   * first; anything else starts over from zero. Attempts that bring more of the file to disk do
   * not count against `maxRetries`. On any failure or abort, nothing is left behind.
   *
   * @param source a `COMPLETED` status object (its `output.media_url[index]`) or a media URL.
   * @param filePath where to save; its folder is created if missing.
   * @returns `{ path, bytes, contentType }`.
   * @throws {ValidationError} before any request when the job has no media, `index` is out of
   * range, the media URL is not http(s), `filePath` is a folder or cannot be written, or an
   * option is out of range; and on a Fetch runtime (the package's build for workerd, edge and
   * browsers), which has no file system to write to.
   * @throws {DownloadError} when the media host refuses (4xx), writing to disk fails, or attempts
   * without progress run out.
   * @throws the signal's reason when `signal` aborts.
   * @example
   * ```ts
   * const job = await client.ltx23.textToVideo({ prompt: "Waves at dusk" });
   * const file = await client.download(job, "out/waves.mp4", {
   *   onProgress: ({ bytes, totalBytes }) => console.log(bytes, "/", totalBytes),
   * });
   * ```
   */
  async download(source: JobStatus | string, filePath: string, options: DownloadOptions = {}): Promise<DownloadResult> {
    const { download } = await loadDownloads();
    return download(this.#downloadContext(), source, filePath, options);
  }

  /**
   * Downloads every `media_url` of a finished job into `directory` (created if missing), named
   * `<request_id>.<ext>` (or `<request_id>-<n>.<ext>` for several), the extension from
   * `media_type`, else from the URL's path, else from the file's first bytes (the reference's
   * `application/octet-stream` with `…/output.ext` gives no other clue), else `bin`; a request
   * id over 120 characters is shortened (its start and a hash).
   *
   * @returns one result per file, in `media_url` order.
   * @throws as {@link Pixazo.download}; every media URL is checked before the first request.
   * @example
   * ```ts
   * const files = await client.downloadAll(job, "out");
   * ```
   */
  async downloadAll(
    job: JobStatus,
    directory: string,
    options: Omit<DownloadOptions, "index"> = {},
  ): Promise<DownloadResult[]> {
    const { downloadAll } = await loadDownloads();
    return downloadAll(this.#downloadContext(), job, directory, options);
  }

  /** What downloads borrow from the client: media GETs share the gateway's sockets, never the key. */
  #downloadContext(): DownloadContext {
    return {
      transport: () => this.#gateway.transport(),
      maxRetries: this.#options.maxRetries,
      stallTimeoutMs: this.#options.requestTimeoutMs,
    };
  }

  /** Shows the gateway, never the key. */
  [inspectSymbol](): string {
    return `Pixazo { baseUrl: '${this.baseUrl}' }`;
  }

  /** Serialises to the gateway URL only, never the key. */
  toJSON(): { baseUrl: string } {
    return { baseUrl: this.baseUrl };
  }
}

function checkRequestId(requestId: unknown): void {
  if (typeof requestId !== "string" || requestId.trim() === "" || requestId.length > MAX_REQUEST_ID_LENGTH) {
    throw new ValidationError([
      {
        path: ["requestId"],
        message: `must be the request_id returned by submit (1 to ${MAX_REQUEST_ID_LENGTH} characters)`,
        received: requestId,
        allowed: 'a string such as "ltx-2-3-text-to-video_019d…"',
      },
    ]);
  }
}
