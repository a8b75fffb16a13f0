import type { WebhookPayloadError } from "../errors/errors.js";
import type { JobStatus } from "../gateway/schemas.js";
import { parseWebhook } from "./payload.js";

/** A Fetch API request handler: `(request) => Promise<Response>`. */
export type FetchWebhookHandler = (request: Request) => Promise<Response>;

/** Reads at most `limit` bytes of a body; `undefined` when it is larger. */
async function readLimited(request: Request, limit: number): Promise<Uint8Array | undefined> {
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > limit) return undefined;
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

/**
 * Builds the Fetch API handler: POST only, body read with a size limit, parsed, answered `200`,
 * and handed to `accept` (which must not block the answer).
 */
export function fetchWebhookHandler(maxBodyBytes: number, accept: (delivered: JobStatus) => void): FetchWebhookHandler {
  return async (request) => {
    if (request.method !== "POST") {
      return Response.json({ error: "Method Not Allowed" }, { status: 405, headers: { allow: "POST" } });
    }
    const body = await readLimited(request, maxBodyBytes);
    if (body === undefined) return Response.json({ error: "Payload Too Large", limit: maxBodyBytes }, { status: 413 });
    let delivered: JobStatus;
    try {
      delivered = parseWebhook(body);
    } catch (error) {
      return Response.json({ error: "Invalid webhook payload", message: (error as WebhookPayloadError).message }, { status: 400 });
    }
    accept(delivered);
    return Response.json({ received: true });
  };
}
