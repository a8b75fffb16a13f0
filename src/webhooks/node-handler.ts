import type { IncomingMessage, ServerResponse } from "node:http";
import {
  type Answer,
  answerFor,
  asPayloadError,
  type BodyLimits,
  limitedBody,
  tooLarge,
  tooSlow,
  unreadable,
} from "./body.js";

/** A Node `http` / Express / Connect style request handler. */
export type NodeWebhookHandler = (req: IncomingMessage & { body?: unknown }, res: ServerResponse) => void;

/**
 * Reads the raw body within the limits. Over the size limit or the time limit, it stops reading
 * at once and rejects; the caller answers and closes the connection, so a sender cannot make
 * the server read on.
 */
function readBody(req: IncomingMessage, limits: BodyLimits): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers["content-length"]);
    if (Number.isFinite(declared) && declared > limits.maxBodyBytes) {
      reject(tooLarge(limits));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = (error: unknown) => {
      clearTimeout(timer);
      req.off("data", onData);
      req.pause();
      reject(error);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limits.maxBodyBytes) stop(tooLarge(limits));
      else chunks.push(chunk);
    };
    const timer = setTimeout(() => stop(tooSlow(limits)), limits.bodyTimeoutMs);
    req.on("data", onData);
    req.once("end", () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks));
    });
    req.once("error", stop);
  });
}

/**
 * The body of a Node request in whatever state the framework left it:
 * - the stream unread: it is read, whatever `req.body` holds (body-parser 1.x leaves `{}` when
 *   the content type did not match, and reads nothing);
 * - the stream consumed and `req.body` set: that is the body, even `{}` or `null`, which a
 *   sender can post; a bad one is a 400 like any other;
 * - the stream consumed and no `req.body`: a mounting that loses every delivery (no request a
 *   sender can make brings this about), answered 500 with how to mount the handler.
 * Never waits on a stream that was already consumed.
 */
async function bodyOf(req: IncomingMessage & { body?: unknown }, limits: BodyLimits): Promise<unknown> {
  const consumed = req.readableEnded || req.readableDidRead || req.destroyed;
  if (!consumed && !keptAnything(req.body)) return readBody(req, limits);
  if (req.body === undefined) throw unreadable("the request stream was consumed and req.body holds no body");
  return limitedBody(req.body, limits);
}

/** Whether a parser kept something, as opposed to the nothing it leaves when it read nothing. */
function keptAnything(body: unknown): boolean {
  if (body === undefined || body === null) return false;
  return !(
    typeof body === "object" &&
    Object.getPrototypeOf(body) === Object.prototype &&
    Object.keys(body).length === 0
  );
}

function send(res: ServerResponse, answer: Answer, closeAfter: boolean): void {
  const headers: Record<string, string> = { "content-type": "application/json", ...answer.headers };
  if (closeAfter) headers.connection = "close";
  res.writeHead(answer.status, headers);
  // Closing rather than reading on: a sender still sending may then see a reset instead of the
  // answer, the price of never reading a body past the limit.
  res.end(JSON.stringify(answer.body), () => {
    if (closeAfter) res.socket?.destroy();
  });
}

/**
 * Builds the Node handler: POST only; the body taken as the framework left it (see `bodyOf`);
 * `answer` decides the reply (the receiver parses, answers, and processes after the reply).
 */
export function nodeWebhookHandler(
  limits: BodyLimits,
  answer: (body: unknown) => Answer,
  report: (error: unknown) => void,
): NodeWebhookHandler {
  return (req, res) => {
    if (req.method !== "POST") {
      send(res, { status: 405, body: { error: "Method Not Allowed" }, headers: { allow: "POST" } }, false);
      return;
    }
    bodyOf(req, limits).then(
      (body) => send(res, answer(body), false),
      (error: unknown) => {
        const failure = asPayloadError(error);
        report(failure);
        // A request whose body was not read to its end leaves the connection unusable.
        send(res, answerFor(failure), failure.problem !== "unreadable" || !req.readableEnded);
      },
    );
  };
}
