import { escapeControlCharacters as oneLine } from "../internal/control-characters.js";
import { describeValue } from "../internal/describe-value.js";
import type { JobStatus } from "../job/status.js";

/**
 * Root of every error the SDK throws. An aborted signal is the one exception: it rejects with the
 * signal's own reason, untouched, except for a submit that may already have reached the gateway,
 * which rejects with a {@link SubmitUncertainError} whose `cause` is the reason.
 *
 * Errors are safe to log: none contains the API key, in its message, its properties,
 * `JSON.stringify` or `util.inspect` output, even where a server echoed the key back.
 *
 * @example
 * ```ts
 * try {
 *   await client.generate("ltx-2-3-text-to-video", { prompt: "a fox in the snow" });
 * } catch (error) {
 *   if (error instanceof PixazoError && error.requestId) {
 *     console.log("resume later with client.wait(%s)", error.requestId);
 *   }
 * }
 * ```
 */
export class PixazoError extends Error {
  /** The job this error concerns, when there is one: pass it to `client.wait()` to resume. */
  readonly requestId: string | undefined;

  /** @internal Errors are created by the SDK. */
  constructor(message: string, options: { requestId?: string | undefined; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    // From the prototype, where the names are written out below: `new.target.name` would be
    // whatever a minifier renamed the class to.
    this.name = new.target.prototype.name;
    this.requestId = options.requestId;
  }
}

/** One rejected field of a {@link ValidationError}. */
export interface ValidationIssue {
  /** Where the bad value sits, e.g. `["options", "maxRetries"]`. Empty for the input as a whole. */
  readonly path: readonly (string | number)[];
  /** What is wrong, in words. */
  readonly message: string;
  /** The value that was received (omitted for secrets such as the API key). */
  readonly received?: unknown;
  /** What would have been accepted, in words, e.g. `"an integer ≥ 0"`. */
  readonly allowed?: string;
}

/**
 * Bad input caught before any request was sent: nothing reached the gateway and nothing was charged.
 * The message lists every bad field with the value received and what is allowed; `issues` holds the
 * same as data.
 */
export class ValidationError extends PixazoError {
  /** Every rejected field. */
  readonly issues: readonly ValidationIssue[];

  /** @internal Errors are created by the SDK. */
  constructor(issues: readonly ValidationIssue[], options: { requestId?: string } = {}) {
    super(formatIssues(issues), options);
    this.issues = issues;
  }
}

function formatIssues(issues: readonly ValidationIssue[]): string {
  const lines = issues.map((issue) => {
    const where = issue.path.length > 0 ? issue.path.join(".") : "input";
    const received = "received" in issue ? ` (received ${describeValue(issue.received)})` : "";
    const allowed = issue.allowed ? `; allowed: ${issue.allowed}` : "";
    return `  - ${where}: ${issue.message}${received}${allowed}`;
  });
  const noun = issues.length === 1 ? "1 invalid field" : `${issues.length} invalid fields`;
  return `Invalid input, no request was sent (${noun}):\n${lines.join("\n")}`;
}

/** Where a failed HTTP exchange went; never includes headers, so never the key. */
export interface RequestDescription {
  readonly method: string;
  /** Path on the gateway, e.g. `/v2/requests/status/…`. */
  readonly path: string;
}

/**
 * The gateway answered with an error status code. Subclasses name the documented codes; this base
 * class covers the rest (e.g. 408, 409).
 */
export class APIError extends PixazoError {
  /** HTTP status code. */
  readonly status: number;
  /** Parsed JSON body, or a short text excerpt when the body was not JSON. */
  readonly body: unknown;
  /** The body's `error` field, e.g. `"Insufficient Balance"`. */
  readonly gatewayError: string | undefined;
  /** The body's `message` field, e.g. `"Your wallet does not have enough balance."`. */
  readonly gatewayMessage: string | undefined;
  /** Delay the gateway asked for in `Retry-After`, in milliseconds, when it sent one. */
  readonly retryAfterMs: number | undefined;
  /** The request that failed (method and gateway path). */
  readonly request: RequestDescription;

  /** @internal Errors are created by the SDK. */
  constructor(init: {
    status: number;
    body: unknown;
    gatewayError?: string | undefined;
    gatewayMessage?: string | undefined;
    retryAfterMs?: number | undefined;
    request: RequestDescription;
    requestId?: string | undefined;
    message: string;
  }) {
    super(init.message, { requestId: init.requestId });
    this.status = init.status;
    this.body = init.body;
    this.gatewayError = init.gatewayError;
    this.gatewayMessage = init.gatewayMessage;
    this.retryAfterMs = init.retryAfterMs;
    this.request = init.request;
  }
}

/** 400: the gateway rejected the request body or parameters. */
export class BadRequestError extends APIError {}
/** 400 with `"error": "Model not found"`: the model is unknown to the gateway or disabled. */
export class ModelNotFoundError extends BadRequestError {}
/** 401: the API key is missing or wrong. */
export class AuthenticationError extends APIError {}
/** 402: the wallet does not have enough balance for this job. */
export class InsufficientBalanceError extends APIError {}
/** 403: the key is not allowed to use this model or endpoint. */
export class PermissionDeniedError extends APIError {}
/** 404: unknown path or unknown `request_id`. */
export class NotFoundError extends APIError {}
/** 429: too many requests; `retryAfterMs` holds the gateway's requested delay when it sent one. */
export class RateLimitError extends APIError {}
/** 5xx: the gateway or something behind it failed. */
export class InternalServerError extends APIError {}

/**
 * The request failed on the wire (refused, reset, DNS, TLS, a proxy refusing the tunnel) before a
 * response arrived. `mayHaveReachedGateway` is `false` only when the failure proves no byte of
 * the request reached the gateway.
 */
export class ConnectionError extends PixazoError {
  /** The low-level error code, e.g. `ECONNREFUSED`, `UND_ERR_SOCKET`. */
  readonly code: string | undefined;
  /** `false` when the failure proves the gateway never saw the request (safe to resend). */
  readonly mayHaveReachedGateway: boolean;
  /** The request that failed (method and gateway path). */
  readonly request: RequestDescription;

  /** @internal Errors are created by the SDK. */
  constructor(init: {
    message: string;
    code: string | undefined;
    mayHaveReachedGateway: boolean;
    request: RequestDescription;
    requestId?: string | undefined;
    cause?: unknown;
  }) {
    super(init.message, { requestId: init.requestId, cause: init.cause });
    this.code = init.code;
    this.mayHaveReachedGateway = init.mayHaveReachedGateway;
    this.request = init.request;
  }
}

/** One HTTP request took longer than `requestTimeoutMs` and was aborted. */
export class RequestTimeoutError extends PixazoError {
  /** The limit that was exceeded. */
  readonly timeoutMs: number;
  /** The request that timed out (method and gateway path). */
  readonly request: RequestDescription;

  /** @internal Errors are created by the SDK. */
  constructor(init: { timeoutMs: number; request: RequestDescription; requestId?: string | undefined }) {
    super(`${init.request.method} ${init.request.path} got no complete response within ${init.timeoutMs} ms`, {
      requestId: init.requestId,
    });
    this.timeoutMs = init.timeoutMs;
    this.request = init.request;
  }
}

/**
 * A submit failed after it may have reached the gateway (connection reset, timeout, 5xx, a reply
 * without `request_id`), or the caller's signal aborted it while it was on the wire. The job may
 * exist and may be charged, so the SDK did not resend it. `cause` holds the underlying error, or
 * the signal's reason after an abort. Check your Pixazo dashboard or history before submitting
 * again.
 */
export class SubmitUncertainError extends PixazoError {
  /** The model the submit was for. */
  readonly modelId: string;

  /** @internal Errors are created by the SDK. */
  constructor(init: { modelId: string; cause: unknown }) {
    const cause = init.cause;
    const what =
      cause instanceof PixazoError
        ? `failed after it may have reached the gateway (${cause.message})`
        : "was aborted after it may have reached the gateway";
    super(`Submit to ${init.modelId} ${what}; a job may exist and may be charged, so it was not resent automatically`, {
      cause,
      requestId: cause instanceof PixazoError ? cause.requestId : undefined,
    });
    this.modelId = init.modelId;
  }
}

/**
 * The gateway answered with something the reference does not document: HTML from an edge proxy,
 * invalid JSON, a redirect, a body over the size limit, or JSON of the wrong shape.
 */
export class UnexpectedResponseError extends PixazoError {
  /** HTTP status code of the odd response. */
  readonly status: number;
  /** The first few hundred characters of the body, for diagnosis. */
  readonly excerpt: string;
  /** The request that got the odd response (method and gateway path). */
  readonly request: RequestDescription;

  /** @internal Errors are created by the SDK. */
  constructor(init: {
    message: string;
    status: number;
    excerpt: string;
    request: RequestDescription;
    requestId?: string | undefined;
  }) {
    super(init.message, { requestId: init.requestId });
    this.status = init.status;
    this.excerpt = init.excerpt;
    this.request = init.request;
  }
}

/**
 * What the API reference says about billing a job that ended this way: `"not charged"` for
 * `ERROR` ("System error — not charged"); `"not stated"` for `FAILED`, about which the reference
 * says nothing.
 */
export type FailureCharge = "not charged" | "not stated";

/**
 * The job ended `FAILED` (the model failed: check `gatewayError`) or `ERROR` (a system error,
 * which the reference says is not charged; it says nothing on charging `FAILED`).
 */
export class GenerationFailedError extends PixazoError {
  declare readonly requestId: string;
  /** The model that ran the job. */
  readonly modelId: string | undefined;
  /** `"FAILED"` or `"ERROR"`. */
  readonly status: "FAILED" | "ERROR";
  /** The gateway's `error` text. */
  readonly gatewayError: string | null;
  /**
   * What the reference says about billing this outcome: `"not charged"` for `ERROR`; `"not
   * stated"` for `FAILED` (whether a failed job is billed is not documented; your account's
   * balance tells).
   */
  readonly charge: FailureCharge;
  /** The terminal status object as the gateway sent it. */
  readonly job: JobStatus;

  /** @internal Errors are created by the SDK. */
  constructor(job: JobStatus & { status: "FAILED" | "ERROR" }) {
    const what = job.status === "FAILED" ? "failed" : "ended with a system error (not charged, per the API reference)";
    // The gateway's words on one line: a newline in them must not forge a line of a log.
    super(`Job ${oneLine(job.request_id)} ${what}: ${oneLine(job.error ?? "no error text given")}`, {
      requestId: job.request_id,
    });
    this.modelId = job.model_id;
    this.status = job.status;
    this.gatewayError = job.error;
    this.charge = job.status === "ERROR" ? "not charged" : "not stated";
    this.job = job;
  }
}

/**
 * `wait()` ran out of `timeoutMs`. The job may still finish: resume with
 * `client.wait(error.requestId)`.
 */
export class WaitTimeoutError extends PixazoError {
  declare readonly requestId: string;
  /** The last status read before time ran out, if any read succeeded. */
  readonly lastStatus: JobStatus | undefined;
  /** The limit that was exceeded. */
  readonly timeoutMs: number;

  /** @internal Errors are created by the SDK. */
  constructor(init: { requestId: string; lastStatus: JobStatus | undefined; timeoutMs: number }) {
    const last = init.lastStatus ? `last status ${oneLine(init.lastStatus.status)}` : "no status read yet";
    super(
      `Job ${oneLine(init.requestId)} did not finish within ${init.timeoutMs} ms (${last}); it may still ` +
        `finish: resume with client.wait(${JSON.stringify(init.requestId)})`,
      { requestId: init.requestId },
    );
    this.lastStatus = init.lastStatus;
    this.timeoutMs = init.timeoutMs;
  }
}

/** Why a webhook body was not accepted. */
export type WebhookPayloadProblem =
  /** Not JSON, or not a status object (answered 400). */
  | "invalid"
  /** Over `maxBodyBytes` (answered 413, the connection closed). */
  | "too-large"
  /** Not complete within `bodyTimeoutMs` (answered 408, the connection closed). */
  | "too-slow"
  /**
   * Already read by something mounted before the handler, which left nothing usable: answered
   * 500, so the gateway retries once the mounting is fixed. The message says how to mount it.
   */
  | "unreadable";

/**
 * A webhook delivery that could not be taken as a status object: not JSON, of the wrong shape,
 * too large, too slow, or already consumed by a body parser. The receiving handlers answer it
 * (see `problem`) and report it to the receiver's `onError`. Its message describes the body's
 * shape in fixed words (its kind and size, the fields that failed) and never quotes it: a
 * delivery comes from anyone who knows the URL.
 */
export class WebhookPayloadError extends PixazoError {
  /** What was wrong. */
  readonly problem: WebhookPayloadProblem;

  /** @internal Errors are created by the SDK. */
  constructor(message: string, problem: WebhookPayloadProblem = "invalid", cause?: unknown) {
    super(message, { cause });
    this.problem = problem;
  }
}

/**
 * A webhook delivery a `WebhookReceiver` with `verify` did not confirm, because its verification
 * reads were at their cap (`verifyReadsPerSecond`): it was answered 200 and dropped, and reported
 * to `onError`. A `wait` on that job still learns the outcome by polling.
 */
export class VerificationSkippedError extends PixazoError {}

/**
 * A media download failed: the media host answered an error, the body ended short of its
 * `Content-Length`, or the connection kept failing past the retry budget. No partial file is left.
 */
export class DownloadError extends PixazoError {
  /** The media URL without its query string (CDN URLs may carry signed tokens). */
  readonly url: string;
  /** HTTP status of the media host's answer, when it answered with an error. */
  readonly status: number | undefined;
  /** Bytes received before giving up. */
  readonly bytesReceived: number;

  /** @internal Errors are created by the SDK. */
  constructor(init: {
    message: string;
    url: string;
    status?: number | undefined;
    bytesReceived: number;
    requestId?: string | undefined;
    cause?: unknown;
  }) {
    super(init.message, { requestId: init.requestId, cause: init.cause });
    this.url = init.url;
    this.status = init.status;
    this.bytesReceived = init.bytesReceived;
  }
}

/**
 * Each error's `name`, written out as a string: bundlers that minify rename classes, and
 * `error.name` must still say `"DownloadError"`.
 */
const ERROR_NAMES = {
  PixazoError,
  ValidationError,
  APIError,
  BadRequestError,
  ModelNotFoundError,
  AuthenticationError,
  InsufficientBalanceError,
  PermissionDeniedError,
  NotFoundError,
  RateLimitError,
  InternalServerError,
  ConnectionError,
  RequestTimeoutError,
  SubmitUncertainError,
  UnexpectedResponseError,
  GenerationFailedError,
  WaitTimeoutError,
  WebhookPayloadError,
  VerificationSkippedError,
  DownloadError,
};
for (const [name, type] of Object.entries(ERROR_NAMES)) {
  Object.defineProperty(type.prototype, "name", { value: name, writable: true, configurable: true });
}
