import type * as Undici from "undici";
import type { Dispatcher } from "undici";
import { warn } from "../internal/warn.js";
import { type FetchLike, fetchTransport, type Transport } from "./transport.js";

/**
 * The forward proxies read from the environment (lower-case names first, as curl reads them):
 * `HTTPS_PROXY` for https targets, `HTTP_PROXY` for http ones and for https ones when
 * `HTTPS_PROXY` is unset (undici's `EnvHttpProxyAgent` rule), and the hosts of `NO_PROXY`
 * reached directly.
 */
export interface ProxySettings {
  readonly httpProxy?: string | undefined;
  readonly httpsProxy?: string | undefined;
  readonly noProxy?: string | undefined;
}

/**
 * The proxy settings in `env`, or `undefined` when it names no proxy.
 *
 * @example
 * ```ts
 * proxyFromEnvironment({ HTTPS_PROXY: "http://proxy.corp:3128", NO_PROXY: "localhost" });
 * // { httpProxy: undefined, httpsProxy: "http://proxy.corp:3128", noProxy: "localhost" }
 * ```
 */
export function proxyFromEnvironment(env: Readonly<Record<string, string | undefined>>): ProxySettings | undefined {
  const pick = (name: string) => env[name.toLowerCase()] || env[name] || undefined;
  const settings = { httpProxy: pick("HTTP_PROXY"), httpsProxy: pick("HTTPS_PROXY"), noProxy: pick("NO_PROXY") };
  return settings.httpProxy || settings.httpsProxy ? settings : undefined;
}

/** How a client's requests travel, as its options chose. */
export interface TransportChoice {
  /** Send through this `fetch` (the caller's; Bun's and Deno's own). */
  readonly fetch: FetchLike | undefined;
  /** Otherwise through this dispatcher (the caller's), or the client's own pool. */
  readonly dispatcher: Dispatcher | undefined;
  readonly maxConnections: number;
  /** The environment's proxy, for the client's own pool. */
  readonly proxy: ProxySettings | undefined;
  /** Loads undici and its transport; `undefined` where the build has none (Fetch runtimes). */
  readonly loadUndici: () => Promise<UndiciTransport | undefined>;
}

/** undici, and the transport that runs on it. */
export interface UndiciTransport {
  readonly undici: typeof Undici;
  readonly http: typeof import("./undici-transport.js");
}

let warned = false;

/**
 * The client's transport, shared by gateway requests and media downloads: the `fetch` it was
 * given, or undici over the caller's dispatcher or a pool of the client's own, made (and undici
 * loaded) on first use. Where undici is not part of the build (Fetch runtimes) or cannot be
 * loaded, the runtime's `fetch`.
 */
export class Connections {
  readonly #choice: TransportChoice;
  #own: Dispatcher | undefined;
  #transport: Promise<Transport> | undefined;

  constructor(choice: TransportChoice) {
    this.#choice = choice;
  }

  /** The transport; the first call loads it. A failure here proves nothing was sent. */
  transport(): Promise<Transport> {
    this.#transport ??= this.#load();
    return this.#transport;
  }

  async #load(): Promise<Transport> {
    const { fetch, dispatcher, maxConnections, proxy, loadUndici } = this.#choice;
    if (fetch) return fetchTransport(fetch);
    let undici: UndiciTransport | undefined;
    try {
      undici = await loadUndici();
    } catch (error) {
      // An ESM bundle that wrapped undici's CommonJS cannot `require` Node's builtins ("Dynamic
      // require of node:assert is not supported"). The runtime's fetch still works; said once,
      // since the client's connection pool and proxy settings then do not apply.
      if (typeof globalThis.fetch !== "function") throw error;
      if (!warned) {
        warned = true;
        warn(
          `undici could not be loaded (${error instanceof Error ? error.message : "no message"}); requests go through the runtime's fetch instead, without the client's connection pool or proxy settings`,
        );
      }
    }
    if (!undici) return fetchTransport((input, init) => globalThis.fetch(input, init));
    if (dispatcher) return undici.http.undiciTransport(undici.undici, dispatcher);
    this.#own = undici.http.ownPool(undici.undici, maxConnections, proxy);
    return undici.http.undiciTransport(undici.undici, this.#own);
  }

  /** Closes the pool this client made; a caller's dispatcher is theirs to close. */
  async close(): Promise<void> {
    await this.#transport?.catch(() => {});
    const own: Partial<Pick<Dispatcher, "close">> | undefined = this.#own;
    // Bun's built-in undici stands in for Agent with an object that has no close(): its requests
    // go through Bun's fetch, which keeps no pool of ours to close.
    await own?.close?.();
  }
}
