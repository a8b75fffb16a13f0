import { pipeline, type Readable } from "node:stream";
import { createBrotliDecompress, createGunzip, createInflate } from "node:zlib";
import type * as Undici from "undici";
import { headerValue } from "../internal/headers.js";
import type { ProxySettings } from "./connections.js";
import { type DECODABLE_ENCODINGS, encodingOf, MAX_REDIRECTS, type Transport } from "./transport.js";

/*
 * The transport on Node: undici's `request` over the client's pool. Loaded with undici on first
 * request (importing undici takes about 140 ms), never by the build for Fetch runtimes (see
 * `runtime/node-only.ts`); undici is handed in, so that the CommonJS build too requires it
 * only then.
 */

/**
 * Keep-alive sockets are closed after this idle time, below the idle limits of common load
 * balancers, so a pooled socket is rarely reused just after the server side dropped it.
 */
const KEEP_ALIVE_TIMEOUT_MS = 4_000;

/**
 * Hosts never reached through a proxy, whatever `NO_PROXY` says: through a proxy, a loopback
 * name would mean the proxy's own machine, not this one (Go's and browsers' proxy rules agree).
 */
const LOOPBACK_HOSTS = "localhost,127.0.0.1,[::1]";

/** A decoder for each coding `encodingOf` accepts: the type makes the two lists one. */
const DECODERS: Record<(typeof DECODABLE_ENCODINGS)[number], () => NodeJS.ReadWriteStream> = {
  gzip: createGunzip,
  "x-gzip": createGunzip,
  deflate: createInflate,
  br: createBrotliDecompress,
};

/**
 * A keep-alive pool of `maxConnections` sockets per origin, going through the proxy when one is
 * set (never for loopback hosts).
 */
export function ownPool(
  { Agent, EnvHttpProxyAgent }: typeof Undici,
  maxConnections: number,
  proxy: ProxySettings | undefined,
): Undici.Dispatcher {
  const pool = { keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS, connections: maxConnections };
  if (!proxy) return new Agent(pool);
  // Every setting is passed, "" for none, so the agent never reads the environment itself: what
  // the client was built with is what it uses.
  const { httpProxy = "", httpsProxy = "", noProxy } = proxy;
  return new EnvHttpProxyAgent({
    ...pool,
    httpProxy,
    httpsProxy,
    noProxy: noProxy ? `${noProxy},${LOOPBACK_HOSTS}` : LOOPBACK_HOSTS,
  });
}

/** The transport over `dispatcher`. */
export function undiciTransport({ request }: typeof Undici, dispatcher: Undici.Dispatcher): Transport {
  return async ({ method, url, headers, body, signal, redirect }) => {
    const firstOrigin = new URL(url).origin;
    let sent = headers;
    let target = url;
    for (let hop = 0; ; hop++) {
      const options: Parameters<typeof request>[1] & { maxRedirections: 0 } = {
        method,
        headers: sent,
        body: body ?? null,
        signal,
        dispatcher,
        // undici.request follows no redirect, but a caller's dispatcher composed with undici's
        // redirect interceptor would, headers and body included. That interceptor reads this
        // per-request setting: 0 turns it off, so a 3xx always comes back here.
        maxRedirections: 0,
      };
      const response = await request(target, options);
      const location = response.headers.location;
      const { statusCode } = response;
      if (redirect === "follow" && statusCode >= 300 && statusCode < 400 && typeof location === "string") {
        if (hop < MAX_REDIRECTS) {
          await response.body.dump();
          target = new URL(location, target).href;
          if (new URL(target).origin !== firstOrigin && "authorization" in sent) {
            const { authorization: _dropped, ...rest } = sent;
            sent = rest;
          }
          continue;
        }
      }
      const discard = async () => {
        await response.body.dump().catch(() => {});
      };
      let coding: ReturnType<typeof encodingOf>;
      try {
        coding = encodingOf(headerValue(response.headers["content-encoding"]));
      } catch (error) {
        await discard();
        throw error;
      }
      return {
        status: statusCode,
        header: (name) => headerValue(response.headers[name]),
        decoded: coding !== undefined,
        body: coding === undefined ? response.body : decode(response.body, DECODERS[coding]()),
        discard,
      };
    }
  };
}

/** The body decoded; an error on either side (a cut connection, corrupt data) ends both. */
function decode(body: Readable, decoder: NodeJS.ReadWriteStream): Readable {
  return pipeline(body, decoder, () => {}) as unknown as Readable;
}
