import { joined } from "../internal/read-limited.js";

/*
 * The one way the SDK sends an HTTP request. A transport takes a request and returns its status,
 * headers and a body read chunk by chunk; the gateway's exchange and the media downloads build on
 * it. Which transport a client uses is chosen once, when it is made (see `connections.ts`): undici
 * over the client's pool on Node (`undici-transport.ts`), a `fetch` everywhere else.
 */

/**
 * A `fetch`-compatible function: the global `fetch`, one wrapped by a test library (msw), or an
 * edge runtime's. Only the standard parts of `fetch` are used.
 */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/** One request, with everything resolved. */
export interface HttpRequest {
  readonly method: "GET" | "POST";
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string | undefined;
  readonly signal: AbortSignal;
  /**
   * `"manual"`: a 3xx comes back as it is, so nothing the request carries travels elsewhere (the
   * gateway's key). `"follow"`: up to {@link MAX_REDIRECTS} redirects are followed, and an
   * `Authorization` header is dropped once one leads to another origin (media).
   */
  readonly redirect: "manual" | "follow";
}

/** A response: status, headers, and its body decoded, read chunk by chunk. */
export interface HttpResponse {
  readonly status: number;
  header(name: string): string | undefined;
  /**
   * The body was sent with a `Content-Encoding` and is delivered decoded: its length and byte
   * positions are not those of `Content-Length` or `Content-Range`.
   */
  readonly decoded: boolean;
  readonly body: AsyncIterable<Uint8Array>;
  /** Releases the connection when the body is not read. */
  discard(): Promise<void>;
}

/** Sends one request. Rejects on a network failure or an abort of `request.signal`. */
export type Transport = (request: HttpRequest) => Promise<HttpResponse>;

/** Redirects a `"follow"` request follows before the 3xx is handed back. */
export const MAX_REDIRECTS = 5;

/** Content encodings every transport decodes (`fetch` decodes them itself). */
export const DECODABLE_ENCODINGS = ["gzip", "x-gzip", "deflate", "br"] as const;

/** A response sent in an encoding no transport decodes; never worth a retry. */
export class UndecodableBodyError extends Error {
  constructor(readonly encoding: string) {
    // The coding's name is quoted (what to ask the host about), cut to a name's length: the
    // header is the server's to fill.
    const name = encoding.length > 32 ? `${encoding.slice(0, 32)}…` : encoding;
    super(`The server sent the body in an encoding that cannot be decoded (Content-Encoding: ${name})`);
  }
}

/**
 * The content encoding of a response: `undefined` for none.
 *
 * @throws {UndecodableBodyError} for one that cannot be decoded.
 */
export function encodingOf(value: string | undefined): (typeof DECODABLE_ENCODINGS)[number] | undefined {
  const coding = value?.trim().toLowerCase();
  if (!coding || coding === "identity") return undefined;
  const known = DECODABLE_ENCODINGS.find((name) => name === coding);
  if (known === undefined) throw new UndecodableBodyError(value ?? "");
  return known;
}

/** The transport over a `fetch` function. */
export function fetchTransport(fetchFunction: FetchLike): Transport {
  return async (request) => {
    const init: RequestInit = {
      method: request.method,
      headers: request.headers,
      signal: request.signal,
      redirect: request.redirect,
    };
    if (request.body !== undefined) init.body = request.body;
    const response = await fetchFunction(request.url, init);
    const stream = response.body;
    const discard = async () => {
      await stream?.cancel().catch(() => {});
    };
    const header = (name: string) => response.headers.get(name) ?? undefined;
    let decoded: boolean;
    try {
      decoded = encodingOf(header("content-encoding")) !== undefined;
    } catch (error) {
      await discard();
      throw error;
    }
    return {
      // A browser-style fetch reports a manual redirect as status 0, type "opaqueredirect".
      status: response.type === "opaqueredirect" ? 302 : response.status,
      header,
      decoded,
      body: chunksOf(stream),
      discard,
    };
  };
}

/**
 * A web stream's chunks, read with a reader: not every runtime makes `ReadableStream` async
 * iterable. Leaving the loop early cancels the stream.
 */
async function* chunksOf(stream: ReadableStream<Uint8Array> | null): AsyncGenerator<Uint8Array> {
  if (!stream) return;
  const reader = stream.getReader();
  let done = false;
  try {
    for (;;) {
      const next = await reader.read();
      if (next.done) {
        done = true;
        return;
      }
      yield next.value;
    }
  } finally {
    if (!done) await reader.cancel().catch(() => {});
  }
}

/**
 * A body read whole, unless it is longer than `limit` bytes: then reading stops, the rest is
 * released, and the result is `undefined`, so an endless body costs at most `limit` bytes.
 */
export async function readBounded(body: AsyncIterable<Uint8Array>, limit: number): Promise<Uint8Array | undefined> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (size > limit) return undefined;
    chunks.push(chunk);
  }
  return joined(chunks, size);
}
