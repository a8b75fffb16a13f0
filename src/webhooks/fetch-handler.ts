import type { WebhookPayloadError } from "../errors/errors.js";
import type { JobStatus } from "../gateway/schemas.js";
import { readLimited } from "../internal/read-limited.js";
import { parseWebhook } from "./payload.js";

/** A Fetch API request handler: `(request) => Promise<Response>`. */
export type FetchWebhookHandler = (request: Request) => Promise<Response>;

/**
 * Builds the Fetch API handler: POST only, body read with a size limit, parsed, answered `200`,
 * and handed to `accept` (which must not block the answer).
 */
export function fetchWebhookHandler(maxBodyBytes: number, accept: (delivered: JobStatus) => void): FetchWebhookHandler {
  return async (request) => {
    if (request.method !== "POST") {
      return Response.json({ error: "Method Not Allowed" }, { status: 405, headers: { allow: "POST" } });
    }
    const declared = Number(request.headers.get("content-length"));
    const body =
      Number.isFinite(declared) && declared > maxBodyBytes ? undefined : await readLimited(request.body, maxBodyBytes);
    if (body === undefined) return Response.json({ error: "Payload Too Large", limit: maxBodyBytes }, { status: 413 });
    let delivered: JobStatus;
    try {
      delivered = parseWebhook(body);
    } catch (error) {
      return Response.json(
        { error: "Invalid webhook payload", message: (error as WebhookPayloadError).message },
        { status: 400 },
      );
    }
    accept(delivered);
    return Response.json({ received: true });
  };
}
