import type { Agent, Dispatcher } from "undici";
import { loadUndici } from "../internal/undici.js";

/**
 * Keep-alive sockets are closed after this idle time, below the idle limits of common load
 * balancers, so a pooled socket is rarely reused just after the server side dropped it.
 */
const KEEP_ALIVE_TIMEOUT_MS = 4_000;

/**
 * The client's connections: the caller's dispatcher, or a keep-alive undici Agent of
 * `maxConnections` sockets per origin, created (and undici loaded) on first use.
 */
export class ConnectionPool {
  readonly #given: Dispatcher | undefined;
  readonly #maxConnections: number;
  #own: Promise<Agent> | undefined;
  /** Set once known, so requests after the first skip the await. */
  ready: Dispatcher | undefined;

  constructor(given: Dispatcher | undefined, maxConnections: number) {
    this.#given = given;
    this.#maxConnections = maxConnections;
    this.ready = given;
  }

  /** The dispatcher to send through. */
  async dispatcher(): Promise<Dispatcher> {
    if (this.ready) return this.ready;
    this.#own ??= loadUndici().then(
      ({ Agent }) => new Agent({ keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS, connections: this.#maxConnections }),
    );
    this.ready = await this.#own;
    return this.ready;
  }

  /** Closes the pool this client made; a caller's dispatcher is theirs to close. */
  async close(): Promise<void> {
    if (this.#given || !this.#own) return;
    const agent = await this.#own;
    await agent.close();
  }
}
