import { EventEmitter } from "node:events";
import type * as Undici from "undici";
import {
  APIError,
  ConnectionError,
  PixazoError,
  RequestTimeoutError,
  UnexpectedResponseError,
} from "../errors/errors.js";
import { errorFromResponse } from "../errors/from-response.js";
import { excerptOf } from "../internal/excerpt.js";
import { headerValue } from "../internal/headers.js";
import { readLimited } from "../internal/read-limited.js";
import { onAbort } from "../internal/signals.js";
import { loadUndici } from "../internal/undici.js";
import { VERSION } from "../version.js";
import { toConnectionError } from "./connection-errors.js";
import type { ConnectionPool } from "./connection-pool.js";
import type { RequestGate } from "./request-gate.js";
import { MAX_RETRY_AFTER_MS } from "./retry.js";

/**
 * A `fetch`-compatible function: the global `fetch`, one wrapped by a test library (msw), or an
 * edge runtime's. Only the standard parts of `fetch` are used.
 */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/** Largest gateway response read into memory. Documented replies are a few hundred bytes. */
export const MAX_RESPONSE_BYTES = 1024 * 1024;

/** How long every request waits after a 429 that named no `Retry-After`. */
const DEFAULT_RATE_LIMIT_PAUSE_MS = 1_000;

/** Everything the transport needs; resolved and validated by the client. */
export interface TransportOptions {
  readonly apiKey: string;
  /** Gateway base URL; may carry a path prefix (a proxy). */
  readonly baseUrl: URL;
  readonly requestTimeoutMs: number;
  /** The connections to send through (used when `fetch` is not given). */
  readonly pool: ConnectionPool;
  /** A fetch function to send through instead of undici. */
  readonly fetch?: FetchLike | undefined;
  /** Caps requests in flight and holds them all back after a 429. */
  readonly gate: RequestGate;
  /** Receives one line per request: method, path, status or error, duration. Never headers. */
  readonly logger?: Logger | undefined;
}

/**
 * Where the SDK writes its debug lines: `console` works, as does any object with a `debug`
 * method. The lines carry method, path, status and timing, never headers, bodies or the key.
 */
export interface Logger {
  /** Receives one line: a short message and its fields (method, path, status or error, ms). */
  debug(message: string, details: Record<string, unknown>): void;
}

/** One HTTP exchange with the gateway. */
export interface GatewayCall {
  readonly method: "GET" | "POST";
  /** Path below the base URL, starting with `/`. */
  readonly path: string;
  /** JSON body; its presence makes this a submit with the submit headers. */
  readonly json?: unknown;
  /** Extra headers (e.g. webhook headers). */
  readonly headers?: Readonly<Record<string, string>> | undefined;
  readonly signal?: AbortSignal | undefined;
  /** The job this call concerns, copied into any error. */
  readonly requestId?: string | undefined;
}

/** A 2xx reply: its parsed JSON and the text it was parsed from. */
export interface GatewayReply {
  readonly status: number;
  readonly json: unknown;
  readonly text: string;
}

/** A response reduced to what the SDK reads from it. */
interface RawResponse {
  readonly status: number;
  header(name: string): string | undefined;
  readonly text: string;
}

class ResponseTooLargeError extends Error {}

/**
 * The only code in the SDK that speaks HTTP to the gateway. It adds the key and the documented
 * headers, bounds each request in time and size, never follows redirects (so the key cannot leave
 * the gateway's origin), and turns every failure into an error of the SDK's tree.
 */
export class GatewayTransport {
  readonly #apiKey: string;
  readonly #baseUrl: URL;
  /** Origin and path prefix of the gateway, without a trailing slash. */
  readonly #root: string;
  readonly #requestTimeoutMs: number;
  readonly #fetch: FetchLike | undefined;
  readonly #pool: ConnectionPool;
  #undici: typeof Undici | undefined;
  readonly #gate: RequestGate;
  readonly #logger: Logger | undefined;

  constructor(options: TransportOptions) {
    this.#gate = options.gate;
    this.#logger = options.logger;
    this.#apiKey = options.apiKey;
    this.#baseUrl = options.baseUrl;
    this.#root = `${options.baseUrl.origin}${options.baseUrl.pathname.replace(/\/+$/, "")}`;
    this.#requestTimeoutMs = options.requestTimeoutMs;
    this.#fetch = options.fetch;
    this.#pool = options.pool;
  }

  /**
   * Sends one request and returns the parsed JSON of a 2xx reply, with its text (for excerpts).
   *
   * @throws {APIError} (a subclass per status code) for a non-2xx reply.
   * @throws {UnexpectedResponseError} for a redirect, a body that is not JSON, or one over the size limit.
   * @throws {ConnectionError} when the network failed, {@link RequestTimeoutError} when time ran out.
   * @throws the signal's reason, untouched, when `call.signal` aborts.
   */
  send(call: GatewayCall): Promise<GatewayReply> {
    // Without a logger there is nothing to time: skip the extra async frame on the hot path.
    return this.#logger ? this.#sendLogged(call, this.#logger) : this.#exchange(call);
  }

  async #sendLogged(call: GatewayCall, logger: Logger): Promise<GatewayReply> {
    const started = performance.now();
    try {
      const reply = await this.#exchange(call);
      logger.debug("pixazo-ltx request", {
        method: call.method,
        path: call.path,
        status: reply.status,
        ms: Math.round(performance.now() - started),
      });
      return reply;
    } catch (error) {
      logger.debug("pixazo-ltx request failed", {
        method: call.method,
        path: call.path,
        ms: Math.round(performance.now() - started),
        error: error instanceof Error ? error.name : typeof error,
        ...(error instanceof APIError ? { status: error.status } : {}),
        ...(error instanceof ConnectionError ? { code: error.code } : {}),
      });
      throw error;
    }
  }

  async #exchange(call: GatewayCall): Promise<GatewayReply> {
    const request = { method: call.method, path: call.path };
    const url = this.#urlFor(call.path);
    const headers: Record<string, string> = {
      accept: "application/json",
      "user-agent": USER_AGENT,
      ...call.headers,
      // Set last so no extra header can replace or duplicate it.
      "ocp-apim-subscription-key": this.#apiKey,
    };
    let body: string | undefined;
    if (call.json !== undefined) {
      body = JSON.stringify(call.json);
      headers["content-type"] = "application/json";
      headers["cache-control"] = "no-cache";
    }

    // Waiting for a slot (or for a rate-limit pause to end) does not count against the timeout.
    const release = this.#gate.tryAcquire() ?? (await this.#gate.acquire(call.signal));
    // undici takes an EventEmitter as its abort signal: far cheaper per request than an
    // AbortController, and this runs for every request. fetch gets a real AbortSignal.
    const cancel = new EventEmitter();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      cancel.emit("abort");
    }, this.#requestTimeoutMs);
    const stopFollowing = call.signal ? onAbort(call.signal, () => cancel.emit("abort")) : undefined;
    let raw: RawResponse;
    try {
      call.signal?.throwIfAborted();
      raw = this.#fetch
        ? await this.#viaFetch(this.#fetch, url, call.method, headers, body, abortSignalOf(cancel))
        : await this.#viaUndici(url, call.method, headers, body, cancel);
    } catch (error) {
      if (call.signal?.aborted) throw call.signal.reason;
      if (timedOut) {
        throw new RequestTimeoutError({ timeoutMs: this.#requestTimeoutMs, request, requestId: call.requestId });
      }
      if (error instanceof ResponseTooLargeError) {
        throw new UnexpectedResponseError({
          message: `${request.method} ${request.path}: response body exceeds ${MAX_RESPONSE_BYTES} bytes`,
          status: 0,
          excerpt: "",
          request,
          requestId: call.requestId,
        });
      }
      if (error instanceof PixazoError) throw error;
      throw toConnectionError(error, request, call.requestId);
    } finally {
      clearTimeout(timer);
      stopFollowing?.();
      release();
    }
    return this.#interpret(raw, request, call.requestId);
  }

  #urlFor(path: string): string {
    // Plain concatenation onto the configured origin and prefix: whatever the path holds, the
    // host part stays the gateway's, so the key only ever travels there. Paths are built by the
    // SDK from validated parts (request ids are percent-encoded).
    if (!path.startsWith("/")) throw new Error(`Gateway paths start with "/": ${path}`);
    return `${this.#root}${path}`;
  }

  #interpret(raw: RawResponse, request: { method: string; path: string }, requestId: string | undefined): GatewayReply {
    // A proxy could echo request headers back in an error page; the key must not reach an error.
    const text = this.#redact(raw.text);
    if (raw.status >= 300 && raw.status < 400) {
      const location = raw.header("location");
      throw new UnexpectedResponseError({
        message:
          `${request.method} ${request.path} answered ${raw.status} redirecting to ` +
          `${location ? safeOrigin(location, this.#baseUrl) : "an unknown location"}; redirects are ` +
          `not followed so the API key stays with the configured gateway`,
        status: raw.status,
        excerpt: excerptOf(text),
        request,
        requestId,
      });
    }
    if (raw.status < 200 || raw.status >= 300) {
      const error = errorFromResponse({
        status: raw.status,
        bodyText: text,
        retryAfter: raw.header("retry-after"),
        request,
        requestId,
      });
      // A rate limit applies to the client, not to this request: hold every request back.
      if (raw.status === 429) {
        this.#gate.pauseFor(Math.min(error.retryAfterMs ?? DEFAULT_RATE_LIMIT_PAUSE_MS, MAX_RETRY_AFTER_MS));
      }
      throw error;
    }
    try {
      return { status: raw.status, json: JSON.parse(text) as unknown, text };
    } catch {
      const contentType = raw.header("content-type") ?? "no content type";
      throw new UnexpectedResponseError({
        message:
          `${request.method} ${request.path} answered ${raw.status} with a body that is not JSON ` +
          `(${contentType}): ${excerptOf(text) || "(empty)"}`,
        status: raw.status,
        excerpt: excerptOf(text),
        request,
        requestId,
      });
    }
  }

  #redact(text: string): string {
    return text.includes(this.#apiKey) ? text.replaceAll(this.#apiKey, "[redacted]") : text;
  }

  async #viaUndici(
    url: string,
    method: string,
    headers: Record<string, string>,
    body: string | undefined,
    signal: EventEmitter,
  ): Promise<RawResponse> {
    // undici.request never follows redirects, which is what keeps the key on the gateway origin.
    // Loaded on the first request; from then on both are at hand without an await.
    this.#undici ??= await loadUndici();
    const dispatcher = this.#pool.ready ?? (await this.#pool.dispatcher());
    const response = await this.#undici.request(url, {
      method,
      headers,
      body: body ?? null,
      signal,
      dispatcher,
    });
    const declared = Number(response.headers["content-length"]);
    let text: string;
    if (
      Number.isFinite(declared) &&
      declared <= MAX_RESPONSE_BYTES &&
      response.headers["content-length"] !== undefined
    ) {
      // The usual reply: a small body of known length. undici's own reader is the fast path
      // (and fails on a body longer than announced).
      text = await response.body.text();
    } else if (Number.isFinite(declared) && declared > MAX_RESPONSE_BYTES) {
      response.body.destroy();
      throw new ResponseTooLargeError();
    } else {
      // No length announced (chunked): count as it comes and stop at the limit.
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of response.body) {
        size += (chunk as Buffer).length;
        if (size > MAX_RESPONSE_BYTES) {
          response.body.destroy();
          throw new ResponseTooLargeError();
        }
        chunks.push(chunk as Buffer);
      }
      text = Buffer.concat(chunks).toString("utf8");
    }
    return {
      status: response.statusCode,
      header: (name) => headerValue(response.headers[name]),
      text,
    };
  }

  async #viaFetch(
    fetchFunction: FetchLike,
    url: string,
    method: string,
    headers: Record<string, string>,
    body: string | undefined,
    signal: AbortSignal,
  ): Promise<RawResponse> {
    // "manual" hands the 3xx back instead of replaying the request, key included, elsewhere.
    const init: RequestInit = { method, headers, signal, redirect: "manual" };
    if (body !== undefined) init.body = body;
    const response = await fetchFunction(url, init);
    const bytes = await readLimited(response.body, MAX_RESPONSE_BYTES);
    if (bytes === undefined) throw new ResponseTooLargeError();
    const text = new TextDecoder().decode(bytes);
    return {
      // A browser-style fetch reports a manual redirect as status 0, type "opaqueredirect".
      status: response.type === "opaqueredirect" ? 302 : response.status,
      header: (name) => response.headers.get(name) ?? undefined,
      text,
    };
  }
}

/** An AbortSignal that aborts when `cancel` emits "abort", for fetch. */
function abortSignalOf(cancel: EventEmitter): AbortSignal {
  const controller = new AbortController();
  cancel.once("abort", () => controller.abort());
  return controller.signal;
}

/** Names where a redirect pointed without echoing a full URL that might carry tokens. */
function safeOrigin(location: string, base: URL): string {
  try {
    return new URL(location, base).origin;
  } catch {
    return "an unreadable location";
  }
}

const runtime =
  typeof process !== "undefined" && process.versions?.node ? `node/${process.versions.node}` : "unknown-runtime";

/** Names the SDK and its version for the gateway's logs. */
export const USER_AGENT = `pixazo-ltx/${VERSION} (${runtime})`;
