import { pipeline, type Readable } from "node:stream";
import { createBrotliDecompress, createGunzip, createInflate } from "node:zlib";
import type { Dispatcher } from "undici";
import type { FetchLike } from "../gateway/exchange.js";
import { headerValue } from "../internal/headers.js";
import { loadUndici } from "../internal/undici.js";

/** A media response: status, headers, and a body read chunk by chunk. */
export interface MediaResponse {
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

/** GETs media from a CDN. Never sends the API key: it has no access to it. */
export type MediaGet = (
  url: string,
  headers: Record<string, string>,
  signal: AbortSignal | undefined,
) => Promise<MediaResponse>;

const MAX_REDIRECTS = 5;

/**
 * Content encodings a media body may arrive in although `identity` was asked for, all of which
 * both paths decode (`fetch` decodes them itself). Anything else would be written encoded.
 */
const DECODERS = {
  gzip: createGunzip,
  "x-gzip": createGunzip,
  deflate: createInflate,
  br: createBrotliDecompress,
} as const;

/** The content encoding of a response: `undefined` for none, `null` for one that cannot be decoded. */
function encodingOf(value: string | undefined): keyof typeof DECODERS | undefined | null {
  const coding = value?.trim().toLowerCase();
  if (!coding || coding === "identity") return undefined;
  return Object.hasOwn(DECODERS, coding) ? (coding as keyof typeof DECODERS) : null;
}

/** An error a media GET throws for an encoding it cannot decode; never worth a retry. */
export class UndecodableMediaError extends Error {
  constructor(readonly encoding: string) {
    super(`The media host sent the body in an encoding that cannot be decoded (Content-Encoding: ${encoding})`);
  }
}

/**
 * The URL to request and the headers to add: userinfo in a media URL becomes Basic credentials
 * (as curl does), because `fetch` refuses URLs that carry them, and a URL is no place for them.
 */
function credentialsOf(url: string): { url: string; authorization: string | undefined } {
  const parsed = new URL(url);
  if (parsed.username === "" && parsed.password === "") return { url, authorization: undefined };
  const pair = `${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`;
  parsed.username = "";
  parsed.password = "";
  return { url: parsed.href, authorization: `Basic ${Buffer.from(pair).toString("base64")}` };
}

/**
 * The media GET over undici (the client's dispatcher) or the caller's fetch. Both ask for the
 * file as stored (`Accept-Encoding: identity`), since a video does not compress and a decoded
 * body cannot be resumed. Redirects are followed, up to five: a CDN may redirect, and these
 * requests carry no key. Credentials from the URL's userinfo go to its origin only.
 */
export function mediaGet(
  transport: { dispatcher: () => Promise<Dispatcher | undefined>; fetch?: undefined } | { fetch: FetchLike },
): MediaGet {
  if (transport.fetch) return viaFetch(transport.fetch);
  return viaUndici(transport.dispatcher);
}

function viaFetch(fetchFunction: FetchLike): MediaGet {
  return async (url, headers, signal) => {
    const { url: target, authorization } = credentialsOf(url);
    const sent: Record<string, string> = { ...headers, "accept-encoding": "identity" };
    // fetch drops Authorization itself on a redirect to another origin.
    if (authorization) sent.authorization = authorization;
    const init: RequestInit = { method: "GET", headers: sent, redirect: "follow" };
    if (signal) init.signal = signal;
    const response = await fetchFunction(target, init);
    const stream = response.body;
    const discard = async () => {
      await stream?.cancel().catch(() => {});
    };
    const encoding = response.headers.get("content-encoding") ?? undefined;
    if (encodingOf(encoding) === null) {
      await discard();
      throw new UndecodableMediaError(encoding ?? "");
    }
    return {
      status: response.status,
      header: (name) => response.headers.get(name) ?? undefined,
      decoded: encodingOf(encoding) !== undefined,
      body: stream ? (stream as unknown as AsyncIterable<Uint8Array>) : (async function* () {})(),
      discard,
    };
  };
}

function viaUndici(sockets: () => Promise<Dispatcher | undefined>): MediaGet {
  return async (url, headers, signal) => {
    const dispatcher = await sockets();
    // Where undici cannot be loaded, the runtime's fetch (see `undiciIfLoadable`).
    if (!dispatcher) return viaFetch((input, init) => globalThis.fetch(input, init))(url, headers, signal);
    const { request: undiciRequest } = await loadUndici();
    const { url: first, authorization } = credentialsOf(url);
    const origin = new URL(first).origin;
    let target = first;
    for (let hop = 0; ; hop++) {
      const sent: Record<string, string> = { ...headers, "accept-encoding": "identity" };
      if (authorization && new URL(target).origin === origin) sent.authorization = authorization;
      const response = await undiciRequest(target, {
        method: "GET",
        headers: sent,
        signal: signal ?? null,
        dispatcher,
      });
      const location = response.headers.location;
      if (
        response.statusCode >= 300 &&
        response.statusCode < 400 &&
        typeof location === "string" &&
        hop < MAX_REDIRECTS
      ) {
        await response.body.dump();
        target = new URL(location, target).href;
        continue;
      }
      const discard = async () => {
        await response.body.dump().catch(() => {});
      };
      const encoding = headerValue(response.headers["content-encoding"]);
      const coding = encodingOf(encoding);
      if (coding === null) {
        await discard();
        throw new UndecodableMediaError(encoding ?? "");
      }
      return {
        status: response.statusCode,
        header: (name) => headerValue(response.headers[name]),
        decoded: coding !== undefined,
        body: coding === undefined ? response.body : decode(response.body, coding),
        discard,
      };
    }
  };
}

/** The body decoded; an error on either side (a cut connection, corrupt data) ends both. */
function decode(body: Readable, coding: keyof typeof DECODERS): Readable {
  return pipeline(body, DECODERS[coding](), () => {});
}
