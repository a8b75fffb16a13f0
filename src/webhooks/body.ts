import { WebhookPayloadError } from "../errors/errors.js";

/** Limits on reading a webhook body, from the receiver's options. */
export interface BodyLimits {
  readonly maxBodyBytes: number;
  readonly bodyTimeoutMs: number;
}

/** How to hand the handler a body that something mounted before it already read. */
export const MOUNTING_HINT =
  "mount the webhook handler before any body parser, or hand it the body that parser kept: " +
  "req.body as a Buffer, string or parsed object (Node), or receiver.respond(body) (Fetch); " +
  "see docs/webhooks.md in the package";

export function tooLarge(limits: BodyLimits): WebhookPayloadError {
  return new WebhookPayloadError(`Webhook body is larger than ${limits.maxBodyBytes} bytes`, "too-large");
}

export function tooSlow(limits: BodyLimits): WebhookPayloadError {
  return new WebhookPayloadError(`Webhook body did not arrive within ${limits.bodyTimeoutMs} ms`, "too-slow");
}

export function unreadable(what: string): WebhookPayloadError {
  return new WebhookPayloadError(
    `Webhook body was already read (${what}) and nothing usable was kept: ${MOUNTING_HINT}`,
    "unreadable",
  );
}

/** Size of raw body bytes or text, as sent (text counted in UTF-8 bytes). */
export function byteLength(body: string | Uint8Array): number {
  return typeof body === "string" ? new TextEncoder().encode(body).byteLength : body.byteLength;
}

/**
 * A body a framework already produced, held to the size limit: bytes or text by their length, a
 * parsed value by its JSON text, so the limit does not depend on which parser ran first. One
 * that cannot be serialised is left to the payload check.
 *
 * @throws {WebhookPayloadError} for a body over the limit.
 */
export function limitedBody(body: unknown, limits: BodyLimits): unknown {
  if (body instanceof Uint8Array || typeof body === "string") {
    if (byteLength(body) > limits.maxBodyBytes) throw tooLarge(limits);
    return body;
  }
  let text: string | undefined;
  try {
    text = JSON.stringify(body);
  } catch {
    return body;
  }
  if (text !== undefined && text.length > limits.maxBodyBytes) throw tooLarge(limits);
  return body;
}

/** A reply a handler sends: status, JSON body, extra headers. */
export interface Answer {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * The reply to a body that was not accepted: 400, 413, 408, or 500 for one that a mounting made
 * unreadable (the only one an outsider cannot cause). Fixed words: the sender learns the kind of
 * problem, never anything it sent or anything of the host's.
 */
export function answerFor(error: WebhookPayloadError): Answer {
  return ANSWERS[error.problem];
}

const ANSWERS: Readonly<Record<WebhookPayloadError["problem"], Answer>> = {
  invalid: { status: 400, body: { error: "invalid", message: "The body is not a job status object." } },
  "too-large": { status: 413, body: { error: "too-large", message: "The body is over the receiver's size limit." } },
  "too-slow": { status: 408, body: { error: "too-slow", message: "The body did not arrive in time." } },
  unreadable: {
    status: 500,
    body: { error: "unreadable", message: "The receiver could not read the body; its owner's log says why." },
  },
};

/**
 * Any failure to get a body, as a `WebhookPayloadError`. A stream that fails while the body
 * arrives is the sender's doing (a dropped connection), so it is `invalid`, never the
 * misconfiguration `unreadable` reports; the cause is kept, not quoted.
 */
export function asPayloadError(error: unknown): WebhookPayloadError {
  if (error instanceof WebhookPayloadError) return error;
  return new WebhookPayloadError(
    "Webhook body could not be read: the connection failed while it arrived",
    "invalid",
    error,
  );
}
