import type { IncomingMessage, ServerResponse } from "node:http";
import type { WebhookPayloadError } from "../errors/errors.js";
import type { JobStatus } from "../gateway/schemas.js";
import { parseWebhook } from "./payload.js";

/** A Node `http` / Express style request handler. */
export type NodeWebhookHandler = (req: IncomingMessage & { body?: unknown }, res: ServerResponse) => void;

class BodyTooLargeError extends Error {}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers["content-length"]);
    if (Number.isFinite(declared) && declared > limit) {
      reject(new BodyTooLargeError());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners("data");
        req.resume();
        reject(new BodyTooLargeError());
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function answer(res: ServerResponse, status: number, body: Record<string, unknown>): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

/**
 * Builds the Node handler: POST only, body read raw with a size limit (or taken from `req.body`
 * when a body parser such as `express.json()` ran first), parsed, answered `200` at once, and
 * handed to `accept` after the answer.
 */
export function nodeWebhookHandler(maxBodyBytes: number, accept: (delivered: JobStatus) => void): NodeWebhookHandler {
  return (req, res) => {
    if (req.method !== "POST") {
      res.setHeader("allow", "POST");
      answer(res, 405, { error: "Method Not Allowed" });
      return;
    }
    const body: Promise<unknown> = req.body !== undefined ? Promise.resolve(req.body) : readBody(req, maxBodyBytes);
    body.then(
      (raw) => {
        let delivered: JobStatus;
        try {
          delivered = parseWebhook(raw);
        } catch (error) {
          answer(res, 400, { error: "Invalid webhook payload", message: (error as WebhookPayloadError).message });
          return;
        }
        answer(res, 200, { received: true });
        accept(delivered);
      },
      (error: unknown) => {
        if (error instanceof BodyTooLargeError) answer(res, 413, { error: "Payload Too Large", limit: maxBodyBytes });
        else answer(res, 400, { error: "Unreadable body" });
      },
    );
  };
}
