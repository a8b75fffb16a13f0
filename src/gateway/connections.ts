import type { Agent, Dispatcher, EnvHttpProxyAgent } from "undici";
import { undiciIfLoadable } from "../internal/undici.js";

/**
 * Keep-alive sockets are closed after this idle time, below the idle limits of common load
 * balancers, so a pooled socket is rarely reused just after the server side dropped it.
 */
const KEEP_ALIVE_TIMEOUT_MS = 4_000;

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
 * Hosts never reached through a proxy, whatever `NO_PROXY` says: through a proxy, a loopback
 * name would mean the proxy's own machine, not this one (Go's and browsers' proxy rules agree).
 */
const LOOPBACK_HOSTS = "localhost,127.0.0.1,[::1]";

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

/**
 * The client's sockets, shared by gateway requests and media downloads: the caller's dispatcher,
 * or a keep-alive pool of `maxConnections` sockets per origin owned by the client, going
 * through the environment's proxy when one is set (never for loopback hosts). Made (and undici
 * loaded) on first use.
 */
export class Connections {
  readonly #given: Dispatcher | undefined;
  readonly #maxConnections: number;
  readonly #proxy: ProxySettings | undefined;
  #own: Promise<Agent | EnvHttpProxyAgent | undefined> | undefined;

  constructor(given: Dispatcher | undefined, maxConnections: number, proxy: ProxySettings | undefined) {
    this.#given = given;
    this.#maxConnections = maxConnections;
    this.#proxy = proxy;
  }

  /**
   * The dispatcher to send through; `undefined` where undici cannot be loaded and the caller
   * gave none, in which case requests go through the runtime's `fetch`.
   */
  async dispatcher(): Promise<Dispatcher | undefined> {
    if (this.#given) return this.#given;
    this.#own ??= undiciIfLoadable().then((undici) => {
      if (!undici) return undefined;
      const { Agent, EnvHttpProxyAgent } = undici;
      const pool = { keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS, connections: this.#maxConnections };
      if (!this.#proxy) return new Agent(pool);
      // Every setting is passed, "" for none, so the agent never reads the environment itself:
      // what the client was built with is what it uses.
      const { httpProxy = "", httpsProxy = "", noProxy } = this.#proxy;
      return new EnvHttpProxyAgent({
        ...pool,
        httpProxy,
        httpsProxy,
        noProxy: noProxy ? `${noProxy},${LOOPBACK_HOSTS}` : LOOPBACK_HOSTS,
      });
    });
    return this.#own;
  }

  /** Closes the pool this client made; a caller's dispatcher is theirs to close. */
  async close(): Promise<void> {
    if (this.#given || !this.#own) return;
    const agent: Partial<Pick<Agent, "close">> | undefined = await this.#own;
    // Bun's built-in undici stands in for Agent with an object that has no close(): its requests
    // go through Bun's fetch, which keeps no pool of ours to close. Without undici, none either.
    await agent?.close?.();
  }
}
