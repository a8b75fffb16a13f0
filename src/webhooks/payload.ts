import { WebhookPayloadError } from "../errors/errors.js";
import { type JobStatus, jobStatusSchema } from "../gateway/schemas.js";
import { excerptOf } from "../internal/excerpt.js";

/**
 * Reads a webhook delivery. The gateway POSTs the same object `GET /v2/requests/status/{id}`
 * returns, so it is checked with the same schema as `client.status()`.
 *
 * A parsed payload is what the sender claims: callbacks are not signed. Use a
 * `WebhookReceiver` with `verify` to act only on what the gateway confirms.
 *
 * @param body the raw body (string or bytes) or an already-parsed object (e.g. Express's `req.body`).
 * @throws {WebhookPayloadError} when the body is not JSON or not a status object.
 * @example
 * ```ts
 * const event = parseWebhook(rawBody);
 * if (event.status === "COMPLETED") console.log(event.output?.media_url[0]);
 * ```
 */
export function parseWebhook(body: unknown): JobStatus {
  let value = body;
  if (typeof body === "string" || body instanceof Uint8Array) {
    const text = typeof body === "string" ? body : Buffer.from(body).toString("utf8");
    try {
      value = JSON.parse(text) as unknown;
    } catch {
      throw new WebhookPayloadError(`Webhook body is not JSON: ${excerptOf(text) || "(empty)"}`, excerptOf(text));
    }
  }
  const result = jobStatusSchema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join(".") || "body"}: ${issue.message}`)
    .join("; ");
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    // A hostile value (cyclic, or nested beyond the stack) cannot be shown; its type can.
    text = Object.prototype.toString.call(value);
  }
  const excerpt = excerptOf(text);
  throw new WebhookPayloadError(`Webhook body is not a job status object (${problems}): ${excerpt}`, excerpt);
}
