import type * as z from "zod/mini";
import {
  ConnectionError,
  RateLimitError,
  type RequestDescription,
  SubmitUncertainError,
  UnexpectedResponseError,
  ValidationError,
  type ValidationIssue,
} from "../errors/errors.js";
import { Connections, type TransportChoice } from "../http/connections.js";
import type { Transport } from "../http/transport.js";
import { escapeControlCharacters } from "../internal/control-characters.js";
import { excerptOf } from "../internal/excerpt.js";
import { callIsolated } from "../internal/isolated.js";
import { keyRedactor, type Redact } from "../internal/redact.js";
import { sleep } from "../internal/sleep.js";
import {
  type CompletedJob,
  type JobStatus,
  jobStatusSchema,
  type SubmittedJob,
  submittedJobSchema,
} from "../job/status.js";
import {
  ExchangeAborted,
  type ExchangeSetup,
  exchange,
  type GatewayCall,
  type GatewayReply,
  unexpectedReply,
} from "./exchange.js";
import { RequestGate } from "./request-gate.js";
import {
  MAX_RETRY_AFTER_MS,
  mayHaveCreatedJob,
  type RequestKind,
  rateLimitPauseMs,
  retryDelayMs,
} from "./retry-rules.js";
import type { SharedRateLimitPause } from "./shared-pause.js";

/**
 * Where the SDK writes its debug lines: `console` works, as does any object with a `debug`
 * method. The lines carry method, path, status and timing, never headers, bodies or the key.
 * A logger that throws is ignored (the first throw is reported once as a process warning):
 * logging never changes the outcome of a request.
 */
export interface Logger {
  /**
   * Receives one line: a short message and its fields: `method`, `path`, `ms`, and `status`, or
   * for a failure `error` (the error's class name), `status` and `code` when known, and
   * `retrying` (whether the client tries the request again).
   */
  debug(message: string, details: Record<string, unknown>): void;
}

/** What a request made without an API key is refused with, before anything is sent. */
export const MISSING_KEY: ValidationIssue = {
  path: ["apiKey"],
  message: "no API key: pass { apiKey } or set the PIXAZO_API_KEY environment variable",
};

/** Everything the gateway needs; resolved and validated by the client. */
export interface GatewayOptions extends TransportChoice {
  /** `undefined` when none was given: every request is then refused with {@link MISSING_KEY}. */
  readonly apiKey: string | undefined;
  /** Gateway base URL; may carry a path prefix (a proxy). */
  readonly baseUrl: URL;
  readonly requestTimeoutMs: number;
  readonly maxRetries: number;
  readonly maxRequestsInFlight: number;
  readonly logger: Logger | undefined;
  /** Shares this client's 429 pauses with other processes of the key (`sharedRateLimitPause`). */
  readonly sharedRateLimitPause?: SharedRateLimitPause | undefined;
}

/** Where a model's submits go. */
export interface SubmitTarget {
  readonly id: string;
  readonly path: string;
}

/** The gateway's universal status path for a job. */
export function statusPath(requestId: string): string {
  return `/v2/requests/status/${encodeURIComponent(requestId)}`;
}

/**
 * A `COMPLETED` status as a completed job with its output. The reference's completed status
 * always carries `output.media_url`; one without it is reported rather than handed on as a
 * success that has no video.
 *
 * @throws {UnexpectedResponseError} when the status has no `output.media_url` entry.
 */
export function completedJob(status: JobStatus): CompletedJob {
  const urls = status.output?.media_url;
  if (status.output && Array.isArray(urls) && urls.length > 0) return status as CompletedJob;
  const shown = JSON.stringify(status);
  throw new UnexpectedResponseError({
    message: `Job ${escapeControlCharacters(status.request_id)} is COMPLETED, but its status carries no output.media_url, which the reference's completed status always has; read it again later with client.status(${escapeControlCharacters(JSON.stringify(status.request_id))})`,
    status: 200,
    excerpt: excerptOf(shown),
    request: { method: "GET", path: statusPath(status.request_id) },
    requestId: status.request_id,
  });
}

/**
 * The request path of one client: everything between a validated call and the gateway. It owns
 * the sockets, the gate (requests in flight, the client-wide pause after a 429) and the retry
 * loop; each attempt is one {@link exchange}; the rules of the loop are in `retry-rules.ts`.
 */
export class Gateway {
  readonly #setup: ExchangeSetup;
  readonly #connections: Connections;
  readonly #gate: RequestGate;
  readonly #maxRetries: number;
  readonly #logger: Logger | undefined;
  readonly #shared: SharedRateLimitPause | undefined;
  readonly #stopSharing: (() => void) | undefined;
  #closed = false;
  readonly #hasKey: boolean;
  /** Removes the key from text taken from a reply into an error. */
  readonly #redact: Redact;

  constructor(options: GatewayOptions) {
    this.#connections = new Connections(options);
    this.#hasKey = options.apiKey !== undefined;
    this.#redact = options.apiKey === undefined ? (text) => text : keyRedactor(options.apiKey);
    this.#setup = {
      apiKey: options.apiKey ?? "",
      root: `${options.baseUrl.origin}${options.baseUrl.pathname.replace(/\/+$/, "")}`,
      requestTimeoutMs: options.requestTimeoutMs,
      connections: this.#connections,
      redact: this.#redact,
    };
    this.#gate = new RequestGate(options.maxRequestsInFlight);
    this.#maxRetries = options.maxRetries;
    this.#logger = options.logger;
    this.#shared = options.sharedRateLimitPause;
    // Another process's 429 holds this client back too, bounded as a Retry-After of its own.
    this.#stopSharing = this.#shared?.subscribe((ms) => {
      if (Number.isFinite(ms) && ms > 0) this.#gate.pauseFor(Math.min(ms, MAX_RETRY_AFTER_MS));
    });
  }

  /**
   * POSTs a job. Resent only when the previous attempt provably created no job.
   *
   * @param body the validated input, serialised once: every attempt sends these bytes.
   * @throws {SubmitUncertainError} when the submit failed, or the caller aborted, after an attempt
   * may have reached the gateway; its `cause` is the failure or the abort reason.
   * @throws the signal's reason when the caller aborted before any attempt could have arrived.
   */
  async submit(
    model: SubmitTarget,
    body: string,
    options: { headers?: Readonly<Record<string, string>> | undefined; signal?: AbortSignal | undefined },
  ): Promise<SubmittedJob> {
    const call: GatewayCall = { method: "POST", path: model.path, body, headers: options.headers };
    try {
      return await this.#send("submit", call, options.signal, (reply) =>
        checkReply(submittedJobSchema, reply, call, this.#redact),
      );
    } catch (error) {
      if (error instanceof ExchangeAborted) {
        if (!error.mayHaveReachedGateway) throw error.reason;
        throw new SubmitUncertainError({ modelId: model.id, cause: error.reason });
      }
      if (mayHaveCreatedJob(error)) throw new SubmitUncertainError({ modelId: model.id, cause: error });
      throw error;
    }
  }

  /**
   * GETs a job's status, retrying transient failures. A `background` read (webhook
   * verification) fails at a 429 instead of pausing the client's other requests and retrying.
   *
   * @throws {UnexpectedResponseError} when the reply is not a status object, or is about another job.
   * @throws the signal's reason when the caller aborts.
   */
  async status(requestId: string, signal?: AbortSignal, options: { background?: boolean } = {}): Promise<JobStatus> {
    const call: GatewayCall = { method: "GET", path: statusPath(requestId), requestId };
    try {
      return await this.#send(options.background ? "background-status" : "status", call, signal, (reply) => {
        const status = checkReply(jobStatusSchema, reply, call, this.#redact);
        if (status.request_id !== requestId) {
          const other = JSON.stringify(excerptOf(status.request_id));
          throw unexpectedReply(reply, describe(call), requestId, this.#redact, `a status of another job (${other})`);
        }
        return status;
      });
    } catch (error) {
      if (error instanceof ExchangeAborted) throw error.reason;
      throw error;
    }
  }

  /**
   * The transport gateway requests use, for media downloads to share. Only the transport: the
   * key never leaves `exchange.ts`.
   */
  transport(): Promise<Transport> {
    return this.#connections.transport();
  }

  /**
   * @throws {ValidationError} naming `PIXAZO_API_KEY` when the client was made without a key:
   * every request checks it first, and a wait before its first sleep.
   */
  checkKey(): void {
    if (!this.#hasKey) throw new ValidationError([MISSING_KEY]);
  }

  /**
   * Closes the client's own sockets; a caller's dispatcher is theirs to close. Requests made
   * afterwards fail at once with a `ConnectionError` saying nothing was sent.
   */
  close(): Promise<void> {
    this.#stopSharing?.();
    this.#closed = true;
    return this.#connections.close();
  }

  /**
   * The retry loop: one exchange per attempt, each through the gate, each reply checked by
   * `check` (so an undocumented reply counts as a failed attempt), the rules deciding whether and
   * when to try again. Every wait in it (a slot, a pause, a backoff) ends at once on abort.
   */
  async #send<T>(
    kind: RequestKind,
    call: GatewayCall,
    signal: AbortSignal | undefined,
    check: (reply: GatewayReply) => T,
  ): Promise<T> {
    this.checkKey();
    for (let retriesDone = 0; ; retriesDone++) {
      // Waiting for a slot (or for a 429 pause to end) does not count against the timeout.
      // A free slot is taken at once; otherwise the request queues behind earlier ones.
      const release = this.#gate.tryAcquire() ?? (await this.#gate.acquire(signal));
      if (this.#closed) {
        release();
        throw closedError(call);
      }
      const started = performance.now();
      let failure: unknown;
      try {
        const reply = await exchange(this.#setup, call, signal);
        try {
          const checked = check(reply);
          this.#log(call, started, reply.status);
          return checked;
        } catch (error) {
          failure = error;
        }
      } catch (error) {
        // An abort is the caller's decision: never retried.
        if (error instanceof ExchangeAborted) {
          this.#log(call, started, error.reason);
          throw error;
        }
        failure = error;
        // A rate limit applies to the client, not to this request: hold every request back,
        // unless the request was a background read, which gives way instead.
        if (failure instanceof RateLimitError && kind !== "background-status") {
          const pauseMs = rateLimitPauseMs(failure);
          this.#gate.pauseFor(pauseMs);
          const shared = this.#shared;
          if (shared) callIsolated("The sharedRateLimitPause's announce()", () => shared.announce(pauseMs));
        }
      } finally {
        release();
      }
      const delay = retryDelayMs(kind, failure, retriesDone, this.#maxRetries);
      this.#log(call, started, failure, delay !== undefined);
      if (delay === undefined) throw failure;
      if (delay > 0) await sleep(delay, signal);
    }
  }

  /** One debug line per exchange. A logger that throws is ignored: it must not change the outcome. */
  #log(call: GatewayCall, started: number, outcome: number | unknown, retrying = false): void {
    if (!this.#logger) return;
    const details: Record<string, unknown> = {
      method: call.method,
      path: call.path,
      ms: Math.round(performance.now() - started),
    };
    if (typeof outcome === "number") details.status = outcome;
    else {
      details.error = outcome instanceof Error ? outcome.name : typeof outcome;
      const { status, code } = (typeof outcome === "object" && outcome !== null ? outcome : {}) as {
        status?: unknown;
        code?: unknown;
      };
      if (typeof status === "number" && status > 0) details.status = status;
      if (typeof code === "string") details.code = code;
      details.retrying = retrying;
    }
    const logger = this.#logger;
    // A failing logger must not turn a created job into an error.
    callIsolated("The logger's debug()", () =>
      logger.debug(typeof outcome === "number" ? "pixazo-ltx request" : "pixazo-ltx request failed", details),
    );
  }
}

/** The error for a request made after `close()`: nothing was sent. */
function closedError(call: GatewayCall): ConnectionError {
  return new ConnectionError({
    message: `${call.method} ${call.path} was not sent: the client was closed`,
    code: "ERR_CLIENT_CLOSED",
    mayHaveReachedGateway: false,
    request: describe(call),
    requestId: call.requestId,
  });
}

/** Checks a 2xx body against the documented shape. */
function checkReply<S extends z.ZodMiniType>(
  schema: S,
  reply: GatewayReply,
  call: GatewayCall,
  redact: Redact,
): z.infer<S> {
  const result = schema.safeParse(reply.json);
  if (result.success) return result.data;
  const problems = result.error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join(".") || "body"}: ${issue.message}`)
    .join("; ");
  throw unexpectedReply(reply, describe(call), call.requestId, redact, `an undocumented body (${excerptOf(problems)})`);
}

/** Method and path only: what an error may keep of a request (never its headers or body). */
function describe(call: GatewayCall): RequestDescription {
  return { method: call.method, path: call.path };
}
