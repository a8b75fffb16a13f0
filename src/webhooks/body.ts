import { WebhookPayloadError } from "../errors/errors.js";

/** Limits on reading a webhook body, from the receiver's options. */
export interface BodyLimits {
  readonly maxBodyBytes: number;
  readonly bodyTimeoutMs: number;
}

/** How to hand the handler a body that something mounted before it already read. */
export const MOUNTING_HINT =
  "mount the webhook handler before any body parser, or hand it the body that parser kept: " +
  "req.body as a Buffer, string or parsed object (Node), or fetchHandler()(request, body) " +
  '(Fetch); see "Webhooks" in the README';

export function tooLarge(limits: BodyLimits): WebhookPayloadError {
  return new WebhookPayloadError(`Webhook body is larger than ${limits.maxBodyBytes} bytes`, "", "too-large");
}

export function tooSlow(limits: BodyLimits): WebhookPayloadError {
  return new WebhookPayloadError(`Webhook body did not arrive within ${limits.bodyTimeoutMs} ms`, "", "too-slow");
}

export function unreadable(what: string): WebhookPayloadError {
  return new WebhookPayloadError(
    `Webhook body was already read (${what}) and nothing usable was kept: ${MOUNTING_HINT}`,
    "",
    "unreadable",
  );
}

/**
 * A body a framework already produced, if it is one to use: bytes or text within the limit, or
 * a parsed object. `undefined` when there is none; an empty object counts as none, since that
 * is what body-parser 1.x leaves when the content type did not match and it read nothing.
 *
 * @throws {WebhookPayloadError} for bytes or text over the limit.
 */
export function presetBody(body: unknown, limits: BodyLimits): unknown {
  if (body === undefined || body === null) return undefined;
  if (body instanceof Uint8Array || typeof body === "string") {
    const size = typeof body === "string" ? new TextEncoder().encode(body).byteLength : body.byteLength;
    if (size > limits.maxBodyBytes) throw tooLarge(limits);
    return body;
  }
  if (typeof body === "object" && Object.getPrototypeOf(body) === Object.prototype && Object.keys(body).length === 0) {
    return undefined;
  }
  // A parsed body is held to the same limit, as its JSON text, so the limit does not depend on
  // which parser ran first. One that cannot be serialised is left to the payload check.
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

/** The reply to a body that was not accepted: 400, 413, 408, or 500 for one that cannot be read. */
export function answerFor(error: WebhookPayloadError): Answer {
  const status = { invalid: 400, "too-large": 413, "too-slow": 408, unreadable: 500 }[error.problem];
  return { status, body: { error: error.problem, message: error.message } };
}

/** Any failure to get a body, as a `WebhookPayloadError`. */
export function asPayloadError(error: unknown): WebhookPayloadError {
  if (error instanceof WebhookPayloadError) return error;
  return new WebhookPayloadError(`Webhook body could not be read: ${(error as Error)?.message}`, "", "unreadable");
}
