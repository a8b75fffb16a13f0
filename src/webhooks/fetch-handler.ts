import { readLimited } from "../internal/read-limited.js";
import { type Answer, answerFor, asPayloadError, type BodyLimits, tooLarge, tooSlow, unreadable } from "./body.js";

/**
 * A Fetch API request handler, to hand straight to the platform: `Deno.serve(handler)`,
 * `Bun.serve({ fetch: handler })`, a Worker's `export default { fetch: handler }`, a Next.js
 * route's `export const POST = handler`. The body is always read from the request; the
 * platform's own arguments after it (Deno's `info`, Bun's server, a Worker's `env` and `ctx`,
 * Next's `{ params }`) are never taken for a body. The one thing used from them is a
 * `waitUntil` method (a Worker's `ctx`, a Vercel or Netlify edge function's context), to keep
 * the processing after the answer alive.
 */
export type FetchWebhookHandler = (request: Request, ...platform: unknown[]) => Promise<Response>;

/** Keeps work alive after the response on platforms that end it otherwise. */
export type KeepAlive = (work: Promise<void>) => void;

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

async function bodyOf(request: Request, limits: BodyLimits): Promise<Uint8Array> {
  if (request.bodyUsed || request.body?.locked) {
    throw unreadable("the request body was used; pass what was read to receiver.respond(body)");
  }
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > limits.maxBodyBytes) throw tooLarge(limits);
  return request.body ? readBody(request.body, limits) : new Uint8Array();
}

/**
 * The platform's `waitUntil`, if one of its arguments carries it: called as a method, since a
 * Worker's `ctx.waitUntil` refuses to run detached. A getter that throws counts as none.
 */
export function platformWaitUntil(platform: readonly unknown[]): KeepAlive | undefined {
  for (const argument of platform.slice(0, 2)) {
    try {
      const holder = argument as { waitUntil?: unknown } | null;
      if (typeof holder === "object" && holder !== null && typeof holder.waitUntil === "function") {
        return (work) => (holder as { waitUntil(work: Promise<unknown>): void }).waitUntil(work);
      }
    } catch {
      // Not a context with waitUntil.
    }
  }
  return undefined;
}

/** The answer as a Fetch `Response`. */
export function responseOf(answer: Answer): Response {
  return Response.json(answer.body, { status: answer.status, headers: answer.headers ?? {} });
}

/**
 * Builds the Fetch API handler: POST only; the body read within the limits; `answer` decides
 * the reply and starts the processing, kept alive by `keepAlive` (the given one, else the
 * platform's `waitUntil`, else none: long-running servers need none).
 */
export function fetchWebhookHandler(
  limits: BodyLimits,
  answer: (body: unknown, keepAlive: KeepAlive | undefined) => Answer,
  report: (error: unknown) => void,
  keepAlive: KeepAlive | undefined,
): FetchWebhookHandler {
  return async (request, ...platform) => {
    if (request.method !== "POST") {
      return responseOf({ status: 405, body: { error: "Method Not Allowed" }, headers: { allow: "POST" } });
    }
    let body: Uint8Array;
    try {
      body = await bodyOf(request, limits);
    } catch (error) {
      const failure = asPayloadError(error);
      report(failure);
      return responseOf(answerFor(failure));
    }
    return responseOf(answer(body, keepAlive ?? platformWaitUntil(platform)));
  };
}
