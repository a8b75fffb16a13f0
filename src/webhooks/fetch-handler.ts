import { readLimited } from "../internal/read-limited.js";
import {
  type Answer,
  answerFor,
  asPayloadError,
  type BodyLimits,
  presetBody,
  tooLarge,
  tooSlow,
  unreadable,
} from "./body.js";

/**
 * A Fetch API request handler. `body`, when given, is used instead of reading the request: the
 * parsed object or the raw text a framework already read (Hono's `c.req.valid("json")`, ...).
 */
export type FetchWebhookHandler = (request: Request, body?: unknown) => Promise<Response>;

/**
 * Reads a web stream within the limits: over the size limit, or not ended within the time
 * limit, the stream is cancelled and the read rejects.
 */
async function readBody(stream: ReadableStream<Uint8Array>, limits: BodyLimits): Promise<Uint8Array> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(tooSlow(limits)), limits.bodyTimeoutMs);
  });
  try {
    const body = await readLimited(stream, limits.maxBodyBytes, late);
    if (body === undefined) throw tooLarge(limits);
    return body;
  } finally {
    clearTimeout(timer);
  }
}

async function bodyOf(request: Request, given: unknown, limits: BodyLimits): Promise<unknown> {
  const kept = presetBody(given, limits);
  if (kept !== undefined) return kept;
  if (request.bodyUsed || request.body?.locked) {
    throw unreadable("the request body was used; pass what was read as the handler's second argument");
  }
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > limits.maxBodyBytes) throw tooLarge(limits);
  return request.body ? readBody(request.body, limits) : new Uint8Array();
}

/**
 * Builds the Fetch API handler: POST only; the body given, or read within the limits; `answer`
 * decides the reply.
 */
export function fetchWebhookHandler(
  limits: BodyLimits,
  answer: (body: unknown) => Answer,
  report: (error: unknown) => void,
): FetchWebhookHandler {
  return async (request, given) => {
    if (request.method !== "POST") {
      return Response.json({ error: "Method Not Allowed" }, { status: 405, headers: { allow: "POST" } });
    }
    let reply: Answer;
    try {
      reply = answer(await bodyOf(request, given, limits));
    } catch (error) {
      const failure = asPayloadError(error);
      report(failure);
      reply = answerFor(failure);
    }
    return Response.json(reply.body, { status: reply.status, headers: reply.headers ?? {} });
  };
}
