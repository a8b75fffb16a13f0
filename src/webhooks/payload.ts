import { WebhookPayloadError } from "../errors/errors.js";
import { nestsDeeperThan } from "../internal/json-depth.js";
import { type JobStatus, jobStatusSchema, MAX_REPLY_DEPTH } from "../job/status.js";
import { byteLength } from "./body.js";

/**
 * Reads a webhook delivery. The gateway POSTs the same object `GET /v2/requests/status/{id}`
 * returns, so it is checked with the same schema as `client.status()`.
 *
 * A parsed payload is what the sender claims: callbacks are not signed. Use a
 * `WebhookReceiver` with `verify` to act only on what the gateway confirms.
 *
 * @param body the raw body (string or bytes) or an already-parsed object (e.g. Express's `req.body`).
 * @throws {WebhookPayloadError} when the body is not JSON, not a status object, or (as text)
 * nested deeper than any status object can be. The message names the fields that failed and
 * the body's kind and size, never its content.
 * @example
 * ```ts
 * const event = parseWebhook(rawBody);
 * if (event.status === "COMPLETED") console.log(event.output?.media_url[0]);
 * ```
 */
export function parseWebhook(body: unknown): JobStatus {
  let value = body;
  if (typeof body === "string" || body instanceof Uint8Array) {
    const text = typeof body === "string" ? body : new TextDecoder().decode(body);
    const shape = text.trim() === "" ? "empty" : `text of ${byteLength(body)} bytes`;
    if (nestsDeeperThan(text, MAX_REPLY_DEPTH)) {
      throw new WebhookPayloadError(`Webhook body is nested deeper than ${MAX_REPLY_DEPTH} levels (${shape})`);
    }
    try {
      value = JSON.parse(text) as unknown;
    } catch {
      throw new WebhookPayloadError(`Webhook body is not JSON (${shape})`);
    }
  }
  let result: ReturnType<typeof jobStatusSchema.safeParse>;
  try {
    result = jobStatusSchema.safeParse(value);
  } catch (error) {
    // A parsed body whose getters throw (a proxy, a host object): not a status object either.
    throw new WebhookPayloadError(
      `Webhook body is not a job status object (${shapeOf(value)} that cannot be read)`,
      "invalid",
      error,
    );
  }
  if (result.success) return result.data;
  // Paths are the schema's own field names (unknown fields pass), and zod's messages name
  // expected and received types, not values: nothing here comes from the body.
  const problems = result.error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join(".") || "body"}: ${issue.message}`)
    .join("; ");
  throw new WebhookPayloadError(`Webhook body is not a job status object (${problems}; the body is ${shapeOf(value)})`);
}

/** A value's kind and size in fixed words; a hostile object (throwing proxy) by its kind alone. */
function shapeOf(value: unknown): string {
  try {
    if (value === undefined) return "nothing";
    if (value === null) return "null";
    if (Array.isArray(value)) return `an array of ${count(value.length, "item")}`;
    if (typeof value !== "object") return `a ${typeof value}`;
    return `an object of ${count(Object.keys(value).length, "field")}`;
  } catch {
    return "an object";
  }
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}
