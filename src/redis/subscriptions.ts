import { fulfilsWithin } from "../internal/sleep.js";
import { checkedClient, duplicateOf, type PubSub, pubSubOf, type RedisClientLike } from "./connection.js";

/** Most channels named in one SUBSCRIBE or UNSUBSCRIBE. */
const CHANNELS_PER_COMMAND = 1_000;
/** After a failed subscribe, the next try comes this long after, doubling up to 30 s. */
const FIRST_RETRY_MS = 250;
const MAX_RETRY_MS = 30_000;

interface Channel {
  readonly handlers: Set<(message: string) => void>;
  /** Called once the channel is subscribed on the server, then forgotten. */
  readonly onActive: Set<() => void>;
}

/** The connection messages arrive on: a given client, or one the companion made and will end. */
interface Connection {
  readonly pubsub: PubSub;
  readonly connected: Promise<void>;
  readonly end?: () => Promise<void>;
}

/**
 * The channels subscribed on one connection, counted by handler: the server is subscribed to a
 * channel while any handler wants it, whichever companion added it, so two companions on one
 * subscriber never unsubscribe each other. What the server should be subscribed to is kept as
 * wanted state and brought about by one flush at a time; a flush that fails (Redis down, even at
 * the very first subscribe) is retried with backoff, with a fresh connection if the companion's
 * own could not connect. Meanwhile nothing is kept but the live handlers: a wait that ends while
 * Redis is down leaves nothing behind. Connection errors are reported once per outage.
 */
export class Subscriptions {
  readonly #channels = new Map<string, Channel>();
  /** Channels the server confirmed. */
  readonly #active = new Set<string>();
  readonly #reporters = new Set<(error: unknown) => void>();
  readonly #open: (subscriptions: Subscriptions) => Connection;
  #connection: Connection | undefined;
  #flushing: Promise<void> | undefined;
  #again = false;
  #retry: ReturnType<typeof setTimeout> | undefined;
  #retryMs = FIRST_RETRY_MS;
  #down = false;
  #closed = false;

  private constructor(open: (subscriptions: Subscriptions) => Connection) {
    this.#open = open;
  }

  /**
   * The subscriptions of a companion object: on the `subscriber` given, shared with every other
   * companion given the same one, or on a connection of its own, duplicated from `commands` on
   * first use.
   *
   * @throws {ValidationError} for a `subscriber` that is not a client of one Redis server.
   */
  static for(
    commands: RedisClientLike,
    subscriber: RedisClientLike | undefined,
    report: (error: unknown) => void,
  ): Subscriptions {
    let subscriptions: Subscriptions | undefined;
    if (subscriber === undefined) {
      subscriptions = new Subscriptions((self) => {
        const own = duplicateOf(
          commands,
          (error) => self.#outage(error),
          () => self.#ready(),
        );
        const pubsub = pubSubOf(own.client, (channel, message) => self.#dispatch(channel, message));
        return { pubsub, connected: own.connected, end: own.end };
      });
    } else {
      const given = checkedClient(subscriber, ["subscriber"]);
      subscriptions = SHARED.get(given);
      if (!subscriptions || subscriptions.#closed) {
        subscriptions = new Subscriptions((self) => ({
          pubsub: pubSubOf(given, (channel, message) => self.#dispatch(channel, message)),
          connected: Promise.resolve(),
        }));
        SHARED.set(given, subscriptions);
      }
    }
    subscriptions.#reporters.add(report);
    return subscriptions;
  }

  /**
   * Hands every message of `channel` to `handler` until the returned function is called.
   * `onActive` is called once the server confirmed the subscription (at once if it already had).
   */
  add(channel: string, handler: (message: string) => void, onActive?: () => void): () => void {
    let entry = this.#channels.get(channel);
    if (!entry) {
      entry = { handlers: new Set(), onActive: new Set() };
      this.#channels.set(channel, entry);
    }
    const live = entry;
    live.handlers.add(handler);
    if (onActive && this.#active.has(channel)) queueMicrotask(onActive);
    else if (onActive) live.onActive.add(onActive);
    this.#flush();
    return () => {
      if (!live.handlers.delete(handler)) return;
      if (onActive) live.onActive.delete(onActive);
      if (live.handlers.size === 0 && this.#channels.get(channel) === live) {
        this.#channels.delete(channel);
        this.#flush();
      }
    };
  }

  /**
   * Stops reporting to `report`. When no companion is left: a connection of the companion's own
   * is ended (its subscriptions with it); on a given one, the unsubscribes still due are awaited,
   * a second at most.
   */
  async release(report: (error: unknown) => void): Promise<void> {
    this.#reporters.delete(report);
    if (this.#reporters.size > 0) return;
    this.#closed = true;
    clearTimeout(this.#retry);
    const connection = this.#connection;
    if (connection?.end) {
      await connection.end();
      return;
    }
    if (this.#flushing) await fulfilsWithin(this.#flushing, 1_000);
  }

  /** Starts a flush, unless one is running (it takes the change) or a retry is due (it will). */
  #flush(): void {
    if (this.#flushing) {
      this.#again = true;
      return;
    }
    if (this.#retry !== undefined) return;
    this.#flushing = this.#reconcile().finally(() => {
      this.#flushing = undefined;
      if (this.#again && this.#retry === undefined) this.#flush();
    });
  }

  /** Brings the server's subscriptions in line with the wanted channels. */
  async #reconcile(): Promise<void> {
    try {
      for (;;) {
        this.#again = false;
        const unwanted = [...this.#active].filter((name) => !this.#channels.has(name));
        const wanted = [...this.#channels.keys()].filter((name) => !this.#active.has(name));
        if (unwanted.length === 0 && wanted.length === 0) break;
        const pubsub = await this.#connected();
        for (const batch of batches(unwanted)) {
          await pubsub.unsubscribe(batch);
          for (const name of batch) this.#active.delete(name);
        }
        for (const batch of batches(wanted)) {
          await pubsub.subscribe(batch);
          for (const name of batch) this.#activated(name);
        }
      }
      this.#retryMs = FIRST_RETRY_MS;
      this.#down = false;
    } catch (error) {
      this.#again = false;
      this.#outage(error);
      this.#scheduleRetry();
    }
  }

  /** The connection, opened if need be; one of the companion's own that failed to connect is dropped. */
  async #connected(): Promise<PubSub> {
    if (this.#closed && !this.#connection) throw new Error("closed");
    this.#connection ??= this.#open(this);
    const connection = this.#connection;
    try {
      await connection.connected;
    } catch (error) {
      if (this.#connection === connection) this.#connection = undefined;
      await connection.end?.();
      throw error;
    }
    return connection.pubsub;
  }

  #activated(name: string): void {
    this.#active.add(name);
    const entry = this.#channels.get(name);
    if (!entry) return;
    const callbacks = [...entry.onActive];
    entry.onActive.clear();
    for (const callback of callbacks) callback();
  }

  #dispatch(channel: string, message: string): void {
    for (const handler of [...(this.#channels.get(channel)?.handlers ?? [])]) handler(message);
  }

  #scheduleRetry(): void {
    if (this.#closed || this.#retry !== undefined) return;
    const delay = this.#retryMs * (0.8 + Math.random() * 0.4);
    this.#retryMs = Math.min(this.#retryMs * 2, MAX_RETRY_MS);
    this.#retry = setTimeout(() => {
      this.#retry = undefined;
      this.#flush();
    }, delay);
    // A retry alone does not keep a process alive: whatever waits keeps it alive itself.
    (this.#retry as { unref?: () => void }).unref?.();
  }

  /**
   * The companion's own connection is (back) up, subscribed to nothing it was not given again:
   * every wanted channel is subscribed now (a due retry with it), and the next outage is
   * reported again. Subscribing a channel twice is harmless to both libraries.
   */
  #ready(): void {
    this.#down = false;
    this.#active.clear();
    clearTimeout(this.#retry);
    this.#retry = undefined;
    this.#retryMs = FIRST_RETRY_MS;
    this.#flush();
  }

  /** Reports the first failure of an outage; the rest of it is the same news. */
  #outage(error: unknown): void {
    if (this.#down || this.#closed) return;
    this.#down = true;
    const reason = error instanceof Error ? error.message : "unknown error";
    const failure = new Error(
      `the Redis subscriber connection failed (${reason}); subscriptions are retried until it is back`,
      { cause: error },
    );
    for (const report of [...this.#reporters]) report(failure);
  }
}

/** Subscriptions on a subscriber a caller gave, shared by every companion given it. */
const SHARED = new WeakMap<object, Subscriptions>();

function batches(names: string[]): string[][] {
  const result: string[][] = [];
  for (let start = 0; start < names.length; start += CHANNELS_PER_COMMAND) {
    result.push(names.slice(start, start + CHANNELS_PER_COMMAND));
  }
  return result;
}
