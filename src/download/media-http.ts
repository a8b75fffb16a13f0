import type { Dispatcher } from "undici";
import type { FetchLike } from "../gateway/exchange.js";
import { headerValue } from "../internal/headers.js";
import { loadUndici } from "../internal/undici.js";

/** A media response: status, headers, and a body read chunk by chunk. */
export interface MediaResponse {
  readonly status: number;
  header(name: string): string | undefined;
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
 * The media GET over undici (the client's dispatcher) or the caller's fetch. Redirects are
 * followed, up to five: a CDN may redirect, and these requests carry no secret.
 */
export function mediaGet(
  transport: { dispatcher: () => Promise<Dispatcher>; fetch?: undefined } | { fetch: FetchLike },
): MediaGet {
  if (transport.fetch) {
    const fetchFunction = transport.fetch;
    return async (url, headers, signal) => {
      const init: RequestInit = { method: "GET", headers, redirect: "follow" };
      if (signal) init.signal = signal;
      const response = await fetchFunction(url, init);
      const stream = response.body;
      return {
        status: response.status,
        header: (name) => response.headers.get(name) ?? undefined,
        body: stream ? (stream as unknown as AsyncIterable<Uint8Array>) : (async function* () {})(),
        discard: async () => {
          await stream?.cancel().catch(() => {});
        },
      };
    };
  }
  const sockets = transport.dispatcher;
  return async (url, headers, signal) => {
    const { request: undiciRequest } = await loadUndici();
    const dispatcher = await sockets();
    let target = url;
    for (let hop = 0; ; hop++) {
      const response = await undiciRequest(target, { method: "GET", headers, signal: signal ?? null, dispatcher });
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
      return {
        status: response.statusCode,
        header: (name) => headerValue(response.headers[name]),
        body: response.body,
        discard: async () => {
          await response.body.dump().catch(() => {});
        },
      };
    }
  };
}
