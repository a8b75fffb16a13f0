import { WebhookPayloadError } from "../errors/errors.js";
import { type JobStatus, jobStatusSchema, MAX_REPLY_DEPTH } from "../gateway/schemas.js";
import { excerptOf } from "../internal/excerpt.js";
import { nestsDeeperThan } from "../internal/json-depth.js";

/**
 * Reads a webhook delivery. The gateway POSTs the same object `GET /v2/requests/status/{id}`
 * returns, so it is checked with the same schema as `client.status()`.
 *
 * A parsed payload is what the sender claims: callbacks are not signed. Use a
 * `WebhookReceiver` with `verify` to act only on what the gateway confirms.
 *
 * @param body the raw body (string or bytes) or an already-parsed object (e.g. Express's `req.body`).
 * @throws {WebhookPayloadError} when the body is not JSON, not a status object, or (as text)
 * nested deeper than any status object can be.
 * @example
 * ```ts
 * const event = parseWebhook(rawBody);
 * if (event.status === "COMPLETED") console.log(event.output?.media_url[0]);
 * ```
 */
export function parseWebhook(body: unknown): JobStatus {
  let value = body;
  // The text as received, when there is one: the excerpt of a bad body is cut from it.
  let received: string | undefined;
  if (typeof body === "string" || body instanceof Uint8Array) {
    received = typeof body === "string" ? body : new TextDecoder().decode(body);
    if (nestsDeeperThan(received, MAX_REPLY_DEPTH)) {
      throw new WebhookPayloadError(
        `Webhook body is nested deeper than ${MAX_REPLY_DEPTH} levels: ${excerptOf(received)}`,
        excerptOf(received),
      );
    }
    try {
      value = JSON.parse(received) as unknown;
    } catch {
      throw new WebhookPayloadError(
        `Webhook body is not JSON: ${excerptOf(received) || "(empty)"}`,
        excerptOf(received),
      );
    }
  }
  const result = jobStatusSchema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join(".") || "body"}: ${issue.message}`)
    .join("; ");
  const excerpt = excerptOf(received ?? serialised(value));
  throw new WebhookPayloadError(`Webhook body is not a job status object (${problems}): ${excerpt}`, excerpt);
}

/** An already-parsed body as text; a hostile value (cyclic, nested beyond the stack) by its type. */
function serialised(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}
